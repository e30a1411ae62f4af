// A grid's cells run as experiments of their own, each in its own stack, workspace and lock,
// up to `parallel` at once; one cell that fails leaves the others running. The grid's record
// (its axes and cells) is kept beside the stacks' state so `ls`, `attach` and `destroy --grid`
// act on it whole; the cells' state also names the grid (output `grid`), so a grid created on
// another machine is found through a shared backend too.
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { join } from "node:path";
import { stateLayout } from "../env/paths.js";
import { BadInputError, CellsFailedError, ExitCode, exitCodeOf, type ZerostackError } from "../errors.js";
import type { EventSink, ProgressEvent } from "../events.js";
import type { Grid, GridAxis, GridCell } from "../spec/grid.js";
import type { Plan } from "../spec/index.js";
import { stackStates } from "../driver/inventory.js";
import { estimateOf } from "./estimate.js";
import type { Session } from "./session.js";

export interface GridRecord {
  v: 1;
  name: string;
  createdAt: string;
  axes: GridAxis[];
  cells: Array<Pick<GridCell, "name" | "values">>;
}

export interface CellOutcome {
  stack: string;
  exitCode: ExitCode;
  message?: string;
  nextStep?: string;
}

export const DEFAULT_PARALLEL = 4;

function gridsDir(sandbox: boolean, env: NodeJS.ProcessEnv = process.env): string {
  return join(stateLayout(sandbox, env).base, "grids");
}

/** What a grid's record keeps: its name, axes and each cell's name and values. */
export type GridShape = Pick<Grid, "name" | "axes"> & { cells: ReadonlyArray<Pick<GridCell, "name" | "values">> };

export function recordOf(grid: GridShape, now = new Date()): GridRecord {
  return {
    v: 1,
    name: grid.name,
    createdAt: now.toISOString(),
    axes: grid.axes,
    cells: grid.cells.map(({ name, values }) => ({ name, values })),
  };
}

export function saveGridRecord(sandbox: boolean, record: GridRecord, env: NodeJS.ProcessEnv = process.env): void {
  const dir = gridsDir(sandbox, env);
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${record.name}.json`);
  writeFileSync(`${file}.tmp`, `${JSON.stringify(record, null, 2)}\n`);
  renameSync(`${file}.tmp`, file);
}

export function loadGridRecord(
  sandbox: boolean,
  name: string,
  env: NodeJS.ProcessEnv = process.env,
): GridRecord | undefined {
  try {
    return JSON.parse(readFileSync(join(gridsDir(sandbox, env), `${name}.json`), "utf8")) as GridRecord;
  } catch {
    return undefined;
  }
}

/** A destroyed grid's record goes with it. */
export function forgetGrid(sandbox: boolean, name: string, env: NodeJS.ProcessEnv = process.env): void {
  rmSync(join(gridsDir(sandbox, env), `${name}.json`), { force: true });
}

/** The grids whose every cell is gone (each destroyed alone): their records have nothing to name. */
export function gridsEmptied(records: readonly GridRecord[], existing: ReadonlySet<string>): string[] {
  return records.filter((r) => r.cells.every((c) => !existing.has(c.name))).map((r) => r.name);
}

/** After `stack` is destroyed on its own: a grid it was the last cell of is forgotten too. */
export async function forgetEmptiedGrids(session: Session, stack: string): Promise<void> {
  const records = gridNames(session.sandbox)
    .map((name) => loadGridRecord(session.sandbox, name))
    .filter((r): r is GridRecord => r?.cells.some((c) => c.name === stack) === true);
  if (records.length === 0) return;
  const existing = new Set((await stackStates(session)).map((s) => s.name));
  for (const name of gridsEmptied(records, existing)) forgetGrid(session.sandbox, name);
}

export function gridNames(sandbox: boolean, env: NodeJS.ProcessEnv = process.env): string[] {
  try {
    return readdirSync(gridsDir(sandbox, env))
      .filter((f) => f.endsWith(".json"))
      .map((f) => f.slice(0, -".json".length));
  } catch {
    return [];
  }
}

/**
 * How many cells run at once. A rehearsal runs the real payload as two local processes per cell:
 * on a machine short of cores its cells run one after another, and the plan says so.
 */
export function gridParallel(
  requested: number,
  cells: number,
  opts: { rehearse: boolean; cores?: number },
): { parallel: number; note?: string } {
  const wanted = Math.max(1, Math.min(requested, cells));
  if (!opts.rehearse) return { parallel: wanted };
  const cores = opts.cores ?? availableParallelism();
  const fits = Math.max(1, Math.floor(cores / 2));
  if (fits >= wanted) return { parallel: wanted };
  return {
    parallel: fits,
    note: `rehearsal on ${cores} core(s): ${fits === 1 ? "cells run one after another" : `${fits} cells at a time`}`,
  };
}

/** Runs `work` for each item, at most `parallel` at once; stops starting new ones once `stop()` says so. */
export async function runPool<T, R>(
  items: readonly T[],
  parallel: number,
  work: (item: T) => Promise<R>,
  stop: () => boolean = () => false,
): Promise<Array<R | undefined>> {
  const results: Array<R | undefined> = new Array(items.length).fill(undefined);
  let next = 0;
  const worker = async () => {
    while (next < items.length && !stop()) {
      const i = next++;
      results[i] = await work(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(parallel, items.length)) }, worker));
  return results;
}

/** Events of one cell carry its stack name: the cells share one stream. */
export function cellSink(sink: EventSink, stack: string): EventSink {
  return (event) => sink({ ...event, stack: event.stack ?? stack } as ProgressEvent);
}

/** What a cell's failure says: its exit code, message and next step. */
export function outcomeOf(stack: string, error?: unknown): CellOutcome {
  if (error === undefined) return { stack, exitCode: ExitCode.ok };
  const nextStep = (error as Partial<ZerostackError>).nextStep;
  return {
    stack,
    exitCode: exitCodeOf(error),
    message: error instanceof Error ? error.message : String(error),
    ...(typeof nextStep === "string" ? { nextStep } : {}),
  };
}

/** The grid's exit code is its worst cell's (130 > 3 > 2 > 1 > 0). */
export function worstExitCode(outcomes: readonly CellOutcome[]): ExitCode {
  return outcomes.reduce<ExitCode>((worst, o) => Math.max(worst, o.exitCode) as ExitCode, ExitCode.ok);
}

/** Throws one error naming every failed cell (exit code: the worst), or returns when all succeeded. */
export function refuseFailedCells(grid: string, outcomes: readonly CellOutcome[], action: string): void {
  const failed = outcomes.filter((o) => o.exitCode !== ExitCode.ok);
  if (failed.length === 0) return;
  const lines = failed.map((o) => `${o.stack}: ${(o.message ?? "").split("\n")[0]}`);
  throw new CellsFailedError(
    worstExitCode(outcomes),
    `grid ${grid}: ${failed.length} of ${outcomes.length} cell(s) failed (${action})\n${lines.join("\n")}`,
    failed.length === 1 && failed[0]?.nextStep
      ? failed[0].nextStep
      : `see each cell with \`zerostack compare --grid ${grid}\`; run \`zerostack ${action} --stack <cell>\` again for one cell`,
  );
}

/**
 * Runs every cell's plan through `run` (an `up`), at most `parallel` at once; a cell that fails
 * does not stop the others, an interrupted one stops new cells from starting.
 */
export async function runGrid(
  grid: string,
  plans: readonly Plan[],
  parallel: number,
  onEvent: EventSink,
  run: (plan: Plan, onEvent: EventSink) => Promise<unknown>,
): Promise<CellOutcome[]> {
  let interrupted = false;
  const outcomes = await runPool(
    plans,
    parallel,
    async (plan) => {
      const stack = plan.names.stack;
      const sink = cellSink(onEvent, stack);
      let outcome: CellOutcome;
      try {
        await run(plan, sink);
        outcome = outcomeOf(stack);
      } catch (error) {
        outcome = outcomeOf(stack, error);
      }
      if (outcome.exitCode === ExitCode.interrupted) interrupted = true;
      onEvent({
        type: "cell",
        grid,
        stack,
        ok: outcome.exitCode === ExitCode.ok,
        exitCode: outcome.exitCode,
        ...(outcome.message ? { message: outcome.message.split("\n")[0]! } : {}),
      });
      return outcome;
    },
    () => interrupted,
  );
  return outcomes.map(
    (o, i) =>
      o ?? {
        stack: plans[i]!.names.stack,
        exitCode: ExitCode.interrupted,
        message: "not started: the grid was interrupted",
      },
  );
}

/** A grid's cells: from its record, plus any stack whose state names it (a shared backend). */
export function gridMembers(
  name: string,
  record: GridRecord | undefined,
  states: ReadonlyArray<{ name: string; outputs: Record<string, unknown> }>,
): string[] {
  const members = record ? record.cells.map((c) => c.name) : [];
  for (const s of states) if (s.outputs.grid === name && !members.includes(s.name)) members.push(s.name);
  if (members.length === 0)
    throw new BadInputError(
      [{ field: "--grid", message: `no grid named ${name}`, allowed: "a grid `zerostack up` created" }],
      "`zerostack ls` lists the experiments; a grid's cells are named <grid>-<axis values>",
    );
  return members;
}

/**
 * The grid's plan as both front ends show it before asking: its cells, how many run at once (a
 * rehearsal on a machine short of cores: fewer, with the note saying so) and the total expected
 * and ceiling cost.
 */
export function gridEvent(
  grid: string,
  plans: readonly Plan[],
  requested: number,
  opts: { rehearse: boolean; cores?: number },
): Extract<ProgressEvent, { type: "grid" }> {
  const { parallel, note } = gridParallel(requested, plans.length, opts);
  return {
    type: "grid",
    grid,
    cells: plans.map((p) => p.names.stack),
    parallel,
    expectedUsd: plans.reduce((sum, p) => sum + p.cost.totalUsd, 0),
    maxUsd: plans.reduce((sum, p) => sum + p.cost.maxTotalUsd, 0),
    ...(note ? { note } : {}),
  };
}

/**
 * Previews every cell (each in its own stack, `parallel` at once): each cell's changes and
 * estimate come through `onEvent` with its stack; a new cell's empty stack is removed again, so
 * nothing is created. Resolves with the changes of all cells added up; throws naming the cells
 * whose preview failed.
 */
export async function previewGrid(
  session: Session,
  grid: string,
  plans: readonly Plan[],
  parallel: number,
  opts: { onEvent: EventSink; signal?: AbortSignal },
): Promise<Record<string, number>> {
  const { previewExperiment } = await import("../driver/experiment-stack.js");
  const now = await session.now();
  const totals: Record<string, number> = {};
  const outcomes = await runGrid(grid, plans, parallel, opts.onEvent, async (plan, onEvent) => {
    // the engine's own summary event carries the cell's changes
    const changes = await previewExperiment(session, plan, session.base, {
      onEvent,
      now,
      ...(opts.signal ? { signal: opts.signal } : {}),
    });
    for (const [op, n] of Object.entries(changes)) totals[op] = (totals[op] ?? 0) + n;
    onEvent(estimateOf(plan));
  });
  refuseFailedCells(grid, outcomes, "preview");
  return totals;
}

/**
 * `up` of a grid once it was asked for: the grid's record is kept (so `ls`, `attach`, `destroy
 * --grid` find it), then every cell is launched, `parallel` at once; throws naming the failed cells.
 */
export async function launchGrid(
  session: Session,
  grid: GridShape,
  plans: readonly Plan[],
  parallel: number,
  opts: { onEvent: EventSink; signal?: AbortSignal; extendTtl?: boolean },
): Promise<void> {
  saveGridRecord(session.sandbox, recordOf(grid));
  const { launchExperiment } = await import("./launch.js");
  const outcomes = await runGrid(grid.name, plans, parallel, opts.onEvent, (plan, onEvent) =>
    launchExperiment(session, plan, {
      onEvent,
      extendTtl: opts.extendTtl ?? false,
      ...(opts.signal ? { signal: opts.signal } : {}),
    }),
  );
  refuseFailedCells(grid.name, outcomes, "up");
}
