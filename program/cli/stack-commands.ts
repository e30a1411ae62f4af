// preview, up, destroy, refresh, export, cancel: the stack lifecycle commands. Parsing only; the
// work is in program/app (launch), program/driver (Automation API) and program/stack (the program).
import type { Command } from "commander";
import { ExitCode } from "../errors.js";
import { estimateOf } from "../app/estimate.js";
import { framed } from "./command-frame.js";
import { withCommonOptions } from "./common-options.js";
import { checkFlags, planFor, type ExperimentFlags } from "./plan-from-flags.js";
import { withSpecOptions } from "./spec-options.js";

interface StackFlags {
  stack: string;
  force?: boolean;
}

interface UpFlags extends ExperimentFlags {
  extendTtl?: boolean;
  parallel?: string;
}

interface DestroyFlags {
  stack?: string;
  grid?: string;
  parallel?: string;
}

const withStack = (cmd: Command) => cmd.requiredOption("-s, --stack <name>", "experiment (stack) name");

export function registerStackCommands(program: Command, setExit: (code: number) => void): void {
  withCommonOptions(
    withSpecOptions(
      program
        .command("preview")
        .description(
          "show what `up` would change; a grid (an axis flag with a list, e.g. --zero 2,3) previews each cell and the total cost",
        ),
    )
      .option("-s, --stack <name>", "experiment (stack) name")
      .option("--diff", "show which inputs of each resource change")
      .option("--parallel <n>", "a grid: cells previewed at once", "4"),
  ).action(
    framed<ExperimentFlags & { parallel?: string }>({ action: "preview", timed: true }, setExit, async (flags, ctx) => {
      const { out, session: open } = ctx;
      const { isGrid } = await import("../spec/grid.js");
      if (isGrid(flags)) return (await import("./grid-commands.js")).previewGrid(flags, ctx);
      await checkFlags(flags); // bad input: exit 2 before anything starts
      const session = await open();
      const plan = await planFor(flags, session, out);
      const { previewExperiment } = await import("../driver/experiment-stack.js");
      // the engine's own summary event carries the changes: one changes line
      await previewExperiment(session, plan, session.base, { onEvent: (e) => out.event(e), now: await session.now() });
      out.event(estimateOf(plan));
      return { stack: plan.names.stack };
    }),
  );

  withCommonOptions(
    withSpecOptions(
      program.command("up").description("create or update an experiment: training job, then model and endpoint"),
    )
      .option("-s, --stack <name>", "experiment (stack) name (same as --name)")
      .option("--extend-ttl", "restart the endpoint's time to live from now")
      .option("--diff", "show which inputs of each resource change")
      .option(
        "--rehearse",
        "sandbox only: run the real payload locally (2 processes as 2 nodes) instead of the simulated timeline",
      )
      .option("--parallel <n>", "a grid (an axis flag with a list, e.g. --zero 2,3): cells run at once", "4")
      .option("-y, --yes", "do not ask for confirmation"),
  ).action(
    framed<UpFlags>({ action: "up", timed: true }, setExit, async (flags, ctx) => {
      const { out, session: open, confirm } = ctx;
      const { isGrid } = await import("../spec/grid.js");
      if (isGrid(flags)) return (await import("./grid-commands.js")).upGrid(flags, ctx);
      await checkFlags(flags); // bad input: exit 2 before anything starts
      const session = await open();
      const plan = await planFor(flags, session, out);
      const stack = plan.names.stack;
      out.event(estimateOf(plan));
      await confirm(`Create or update ${stack} (estimated $${plan.cost.totalUsd.toFixed(2)})?`);
      const { launchExperiment } = await import("../app/launch.js");
      await launchExperiment(session, plan, { onEvent: (e) => out.event(e), extendTtl: flags.extendTtl ?? false });
      return { stack };
    }),
  );

  withCommonOptions(
    program
      .command("destroy")
      .description("delete every resource of an experiment (or of every cell of a grid) and remove its stack")
      .option("-s, --stack <name>", "experiment (stack) name")
      .option("--grid <name>", "every experiment of this grid")
      .option("--parallel <n>", "with --grid: cells destroyed at once", "4")
      .option("-y, --yes", "do not ask for confirmation"),
  ).action(
    framed<DestroyFlags>({ action: "destroy", timed: true }, setExit, async (flags, { out, session, confirm }) => {
      const grids = await import("./grid-commands.js");
      grids.stackOrGrid(flags, "destroy");
      const { destroyExperiment } = await import("../driver/experiment-stack.js");
      if (flags.grid !== undefined) {
        const grid = flags.grid;
        const parallel = grids.parallelOf(flags.parallel, 4);
        const opened = await session();
        const cells = await grids.gridStacks(opened, grid);
        await confirm(`Destroy the ${cells.length} experiments of grid ${grid} and remove their stacks?`);
        await grids.forEachCell(opened, grid, "destroy", parallel, out, (stack, onEvent) =>
          destroyExperiment(opened, stack, { onEvent }),
        );
        (await import("../app/grid.js")).forgetGrid(opened.sandbox, grid);
        return { stack: grid };
      }
      const stack = flags.stack!;
      await confirm(`Destroy ${stack} and remove its stack?`);
      const opened = await session();
      await destroyExperiment(opened, stack, { onEvent: (e) => out.event(e) });
      await (await import("../app/grid.js")).forgetEmptiedGrids(opened, stack);
      return { stack };
    }),
  );

  withCommonOptions(
    withStack(
      program
        .command("refresh")
        .description("read the real state of an experiment's resources (e.g. an endpoint its TTL deleted)"),
    ),
  ).action(
    framed<StackFlags>({ action: "refresh", timed: true }, setExit, async (flags, { out, session }) => {
      const { refresh } = await import("../driver/operations.js");
      await refresh(await session(), flags.stack, async () => ({}), { onEvent: (e) => out.event(e) });
      return { stack: flags.stack };
    }),
  );

  withCommonOptions(
    withStack(
      program
        .command("export")
        .description("print an experiment's stack state (deployment JSON; secrets stay encrypted)"),
    ),
  ).action(
    framed<StackFlags>({ action: "export" }, setExit, async (flags, { out, session }) => {
      const { exportExperiment } = await import("../driver/experiment-stack.js");
      const deployment = await exportExperiment(await session(), flags.stack);
      out.result(deployment, () => JSON.stringify(deployment, null, 2));
      return { stack: flags.stack };
    }),
  );

  withCommonOptions(
    withStack(
      program
        .command("cancel")
        .description("remove the lock a killed process left on a stack (file-backend locks never expire)"),
    ).option("--force", "also remove the lock of a process that is still running"),
  ).action(
    framed<StackFlags>({ action: "cancel" }, setExit, async (flags, { out, session }) => {
      const { removeLocks } = await import("../driver/locks.js");
      const { removed, live } = removeLocks(await session(), flags.stack, flags.force ?? false);
      const holders = live.map((l) => `${l.pid}@${l.hostname}`).join(", ");
      out.result({ removed: removed.length, live: live.map((l) => ({ pid: l.pid, hostname: l.hostname })) }, () =>
        live.length > 0
          ? `${flags.stack} is locked by a running process (pid ${holders}); pass --force only if it is not updating this stack`
          : `removed ${removed.length} lock(s) of ${flags.stack}`,
      );
      if (live.length === 0) return { stack: flags.stack };
      return {
        stack: flags.stack,
        exitCode: ExitCode.conflict,
        failure: {
          message: `${flags.stack} is locked by a running process (pid ${holders})`,
          nextStep: "wait for it to finish; pass --force only if it is not updating this stack",
        },
      };
    }),
  );
}
