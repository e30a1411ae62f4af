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

/** `up` of a grid: every cell validated first (exit 2 naming each bad cell), one question, then the cells. */
export async function upGrid(flags: GridUpFlags, ctx: CommandContext): Promise<CommandOutcome> {
  const [{ validateGrid }, grids, { estimateOf }] = await Promise.all([
    import("../spec/grid.js"),
    import("../app/grid.js"),
    import("../app/estimate.js"),
  ]);
  const { grid } = validateGrid(flags, (path) => readFileSync(path, "utf8"));
  const requested = parallelOf(flags.parallel, grids.DEFAULT_PARALLEL);
  const session = await ctx.session();
  const out = cellOutput(ctx.out);
  const plans = [];
  for (const cell of grid.cells) {
    const plan = await planFor({ ...cell.flags, rehearse: flags.rehearse ?? false }, session, out, {
      grid: grid.name,
    });
    plans.push(plan);
    out.event({ ...estimateOf(plan), stack: plan.names.stack });
  }
  const { parallel, note } = grids.gridParallel(requested, plans.length, { rehearse: flags.rehearse ?? false });
  const expected = plans.reduce((sum, p) => sum + p.cost.totalUsd, 0);
  const ceiling = plans.reduce((sum, p) => sum + p.cost.maxTotalUsd, 0);
  out.event({
    type: "grid",
    grid: grid.name,
    cells: plans.map((p) => p.names.stack),
    parallel,
    expectedUsd: expected,
    maxUsd: ceiling,
    ...(note ? { note } : {}),
  });
  await ctx.confirm(
    `Create or update the ${plans.length} experiments of grid ${grid.name} (estimated $${expected.toFixed(2)}, at most $${ceiling.toFixed(2)})?`,
  );
  grids.saveGridRecord(session.sandbox, grids.recordOf(grid));
  const { launchExperiment } = await import("../app/launch.js");
  const outcomes = await grids.runGrid(
    grid.name,
    plans,
    parallel,
    (e) => out.event(e),
    (plan, onEvent) => launchExperiment(session, plan, { onEvent, extendTtl: flags.extendTtl ?? false }),
  );
  grids.refuseFailedCells(grid.name, outcomes, "up");
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
