// Grids on the command line: `up` with list-valued axis flags, and `ls`, `attach`, `destroy`
// with --grid NAME. Parsing and printing only; the cells run through program/app/grid.ts.
import { readFileSync } from "node:fs";
import type { Session } from "../app/session.js";
import { BadInputError } from "../errors.js";
import type { EventSink, ProgressEvent } from "../events.js";
import type { CommandContext, CommandOutcome } from "./command-frame.js";
import { humanLine, type Output } from "./output.js";
import { planFor, type ExperimentFlags } from "./plan-from-flags.js";

export interface GridUpFlags extends ExperimentFlags {
  extendTtl?: boolean;
  parallel?: string;
}

const UNPREFIXED: ReadonlySet<ProgressEvent["type"]> = new Set(["grid", "cell", "done", "stack"]);

/** Cells share one stream: JSON lines carry `stack`; plain lines start with `[stack]`. */
export function cellOutput(out: Output): Output {
  if (out.json) return out;
  return {
    ...out,
    event(event) {
      if (!event.stack || UNPREFIXED.has(event.type)) return out.event(event);
      const line = humanLine(event);
      if (line === undefined) return;
      out.info(
        line
          .split("\n")
          .map((l) => `[${event.stack}] ${l.trimStart()}`)
          .join("\n"),
      );
    },
  };
}

export function parallelOf(text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1)
    throw new BadInputError([
      { field: "--parallel", message: `${JSON.stringify(text)} is not a positive integer`, allowed: "1, 2, 4, ..." },
    ]);
  return n;
}

/** Every cell validated (exit 2 naming each bad cell and field), then each cell's plan. */
async function gridPlans(flags: ExperimentFlags, ctx: CommandContext) {
  const { validateGrid } = await import("../spec/grid.js");
  const { grid } = validateGrid(flags, (path) => readFileSync(path, "utf8"));
  const session = await ctx.session();
  const out = cellOutput(ctx.out);
  const plans = [];
  for (const cell of grid.cells)
    plans.push(await planFor({ ...cell.flags, rehearse: flags.rehearse ?? false }, session, out, { grid: grid.name }));
  return { grid, session, out, plans };
}

/** `up` of a grid: every cell validated first (exit 2 naming each bad cell), one question, then the cells. */
export async function upGrid(flags: GridUpFlags, ctx: CommandContext): Promise<CommandOutcome> {
  const [grids, { estimateOf }] = await Promise.all([import("../app/grid.js"), import("../app/estimate.js")]);
  const requested = parallelOf(flags.parallel, grids.DEFAULT_PARALLEL);
  const { grid, session, out, plans } = await gridPlans(flags, ctx);
  for (const plan of plans) out.event(estimateOf(plan));
  const planned = grids.gridEvent(grid.name, plans, requested, { rehearse: flags.rehearse ?? false });
  out.event(planned);
  await ctx.confirm(
    `Create or update the ${plans.length} experiments of grid ${grid.name} (estimated $${planned.expectedUsd.toFixed(2)}, at most $${planned.maxUsd.toFixed(2)})?`,
  );
  await grids.launchGrid(session, grid, plans, planned.parallel, {
    onEvent: (e) => out.event(e),
    extendTtl: flags.extendTtl ?? false,
  });
  return { stack: grid.name };
}

/**
 * `preview` of a grid: every cell validated first (exit 2 naming each bad cell), then each cell
 * previewed in its own stack (its changes and estimate), and the grid's total; nothing is created.
 */
export async function previewGrid(
  flags: ExperimentFlags & { parallel?: string },
  ctx: CommandContext,
): Promise<CommandOutcome> {
  const grids = await import("../app/grid.js");
  const requested = parallelOf(flags.parallel, grids.DEFAULT_PARALLEL);
  const { grid, session, out, plans } = await gridPlans(flags, ctx);
  const planned = grids.gridEvent(grid.name, plans, requested, { rehearse: false });
  await grids.previewGrid(session, grid.name, plans, planned.parallel, { onEvent: (e) => out.event(e) });
  // the total last: what the whole grid is expected to cost, and its ceiling
  out.event(planned);
  return { stack: grid.name };
}

/** The stacks of grid `name`: its record's cells and any stack whose state names it. */
export async function gridStacks(session: Session, name: string): Promise<string[]> {
  const [{ gridMembers, loadGridRecord }, { stackStates }] = await Promise.all([
    import("../app/grid.js"),
    import("../driver/inventory.js"),
  ]);
  return gridMembers(name, loadGridRecord(session.sandbox, name), await stackStates(session));
}

/** Runs `work` on each existing cell of a grid, `parallel` at once; throws naming the failed cells. */
export async function forEachCell(
  session: Session,
  grid: string,
  action: string,
  parallel: number,
  out: Output,
  work: (stack: string, onEvent: EventSink) => Promise<unknown>,
): Promise<string[]> {
  const [grids, { stackStates }] = await Promise.all([import("../app/grid.js"), import("../driver/inventory.js")]);
  const existing = new Set((await stackStates(session)).map((s) => s.name));
  const stacks = (await gridStacks(session, grid)).filter((s) => existing.has(s));
  const cells = cellOutput(out);
  const outcomes = await grids.runPool(stacks, parallel, async (stack) => {
    try {
      await work(
        stack,
        grids.cellSink((e) => cells.event(e), stack),
      );
      return grids.outcomeOf(stack);
    } catch (error) {
      return grids.outcomeOf(stack, error);
    }
  });
  const settled = outcomes.map((o, i) => o ?? grids.outcomeOf(stacks[i]!, new Error("not started")));
  for (const o of settled)
    cells.event({
      type: "cell",
      grid,
      stack: o.stack,
      ok: o.exitCode === 0,
      exitCode: o.exitCode,
      ...(o.message ? { message: o.message.split("\n")[0]! } : {}),
    });
  grids.refuseFailedCells(grid, settled, action);
  return stacks;
}

/** Exactly one of --stack and --grid. */
export function stackOrGrid(flags: { stack?: string; grid?: string }, command: string): void {
  if ((flags.stack === undefined) === (flags.grid === undefined))
    throw new BadInputError(
      [
        {
          field: "--stack/--grid",
          message: `${command} needs one experiment or one grid`,
          allowed: "--stack NAME or --grid NAME",
        },
      ],
      `run \`zerostack ${command} --stack NAME\` or \`zerostack ${command} --grid NAME\``,
    );
}
