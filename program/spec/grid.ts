// Grids: axis flags that take a list (`--zero 2,3 --nodes 1,2`) expand to one experiment per
// cell, named after the values that vary (`<name>-z3-n2`). Pure: flags in, cells out, and every
// bad cell and field listed before anything is created.
import { BadInputError, type Problem } from "../errors.js";
import { derivePlan } from "./derive.js";
import { specFromFlags, type PlanFlags } from "./flags.js";
import { defaultExperimentName } from "./overrides.js";
import type { ExperimentSpec } from "./schema.js";

/** The flags that may take a list, in the order their values appear in a cell's name. */
export const GRID_AXES = [
  { key: "zero", flag: "--zero", short: "z" },
  { key: "nodes", flag: "--nodes", short: "n" },
  { key: "backend", flag: "--backend", short: "b" },
  { key: "trainInstance", flag: "--train-instance", short: "i" },
  { key: "lr", flag: "--lr", short: "lr" },
  { key: "epochs", flag: "--epochs", short: "e" },
] as const satisfies ReadonlyArray<{ key: keyof PlanFlags; flag: string; short: string }>;

export type GridAxisKey = (typeof GRID_AXES)[number]["key"];

export interface GridAxis {
  key: GridAxisKey;
  flag: string;
  values: string[];
}

export interface GridCell {
  /** the cell's experiment (and stack) name */
  name: string;
  /** the value of every varying axis, by flag key */
  values: Partial<Record<GridAxisKey, string>>;
  /** the flags of this one experiment: each axis one value, the name the cell's */
  flags: PlanFlags;
}

export interface Grid {
  /** the grid's name: the experiment name the cells extend */
  name: string;
  /** only the axes with more than one value */
  axes: GridAxis[];
  cells: GridCell[];
}

/** `3-offload` -> `3offload`, `ml.g5.2xlarge` -> `g52xlarge`, `1e-4` -> `1e4`: name-safe pieces. */
export function slug(value: string): string {
  return value
    .toLowerCase()
    .replace(/^ml\./, "")
    .replace(/[^a-z0-9]/g, "");
}

/** The values of one axis flag as typed: `2,3` -> ["2", "3"]. */
export function listOf(text: string): string[] {
  return text.split(",").map((v) => v.trim());
}

/** Whether any axis flag holds a list: then `up` runs a grid. */
export function isGrid(flags: PlanFlags): boolean {
  return GRID_AXES.some((a) => {
    const text = flags[a.key];
    return typeof text === "string" && text.includes(",");
  });
}

export function cellName(grid: string, values: Partial<Record<GridAxisKey, string>>): string {
  const parts = GRID_AXES.filter((a) => values[a.key] !== undefined).map((a) => `${a.short}${slug(values[a.key]!)}`);
  return [grid, ...parts].join("-");
}

function product(axes: GridAxis[]): Array<Partial<Record<GridAxisKey, string>>> {
  let rows: Array<Partial<Record<GridAxisKey, string>>> = [{}];
  for (const axis of axes) rows = rows.flatMap((row) => axis.values.map((v) => ({ ...row, [axis.key]: v })));
  return rows;
}

/**
 * Flags with lists -> the grid's cells; a list that cannot be read (an empty item, a value twice)
 * is a problem of its own. The grid's name is --name (or --stack), else the preset's default name.
 */
export function expandGrid(flags: PlanFlags & { stack?: string }): { grid: Grid; problems: Problem[] } {
  const problems: Problem[] = [];
  const name = flags.name ?? flags.stack ?? (flags.preset ? defaultExperimentName(flags.preset) : "grid");
  const axes: GridAxis[] = [];
  const { stack: _stack, ...rest } = flags;
  for (const a of GRID_AXES) {
    const text = flags[a.key];
    if (typeof text !== "string" || !text.includes(",")) continue;
    const values = listOf(text);
    if (values.some((v) => v === ""))
      problems.push({ field: a.flag, message: `${JSON.stringify(text)} has an empty value`, allowed: "a,b,c" });
    const seen = new Set<string>();
    for (const v of values.filter((v) => v !== "")) {
      if (seen.has(v)) problems.push({ field: a.flag, message: `${v} is listed twice`, allowed: "each value once" });
      seen.add(v);
    }
    // a list with no value left: reported above; the other axes still expand and are checked
    if (seen.size > 0) axes.push({ key: a.key, flag: a.flag, values: [...seen] });
    else delete rest[a.key];
  }
  const cells = product(axes).map((values) => {
    const cell = cellName(name, values);
    return { name: cell, values, flags: { ...rest, ...values, name: cell } };
  });
  const byName = new Map<string, GridCell[]>();
  for (const c of cells) byName.set(c.name, [...(byName.get(c.name) ?? []), c]);
  for (const [cell, same] of byName)
    if (same.length > 1)
      problems.push({
        field: "--name",
        message: `${same.length} cells would be named ${cell}`,
        allowed: "values that differ in letters or digits",
      });
  return { grid: { name, axes, cells }, problems };
}

/** One cell's spec, tagged with its grid (the `zerostack:grid` tag and `ls --grid`). */
export function inGrid(spec: ExperimentSpec, grid: string): ExperimentSpec {
  return { ...spec, grid };
}

/** Each problem of a cell, named `<cell>: <field>`. */
function cellProblems(cell: GridCell, error: unknown): Problem[] {
  if (!(error instanceof BadInputError)) throw error;
  return error.problems.map((p) => ({ ...p, field: `${cell.name}: ${p.field}` }));
}

/**
 * Every cell validated (flags, schema and the guards' errors) before anything is created: one
 * BadInputError naming each bad cell and field, or the cells' specs.
 */
export function validateGrid(
  flags: PlanFlags & { stack?: string },
  readSpecFile: (path: string) => string,
): { grid: Grid; specs: ExperimentSpec[] } {
  const { grid, problems } = expandGrid(flags);
  const specs: ExperimentSpec[] = [];
  // every cell is checked even when a list was unreadable: the user fixes everything in one go
  for (const cell of grid.cells) {
    try {
      const { spec } = specFromFlags(cell.flags, readSpecFile);
      const plan = derivePlan(spec);
      problems.push(
        ...plan.errors.map((f) => ({
          field: `${cell.name}: ${f.field}`,
          message: `${f.value}: ${f.message}`,
          ...(f.allowed ? { allowed: f.allowed } : {}),
        })),
      );
      specs.push(inGrid(spec, grid.name));
    } catch (error) {
      problems.push(...cellProblems(cell, error));
    }
  }
  if (problems.length > 0)
    throw new BadInputError(
      problems,
      `fix what is listed above (a grid of ${grid.cells.length} cells); nothing was created; \`zerostack plan\` checks one cell`,
    );
  return { grid, specs };
}
