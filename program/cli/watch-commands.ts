// attach and logs: follow an experiment whose `up` runs here, in another process, or died.
import type { Command } from "commander";
import { InterruptedError } from "../errors.js";
import { framed } from "./command-frame.js";
import { withCommonOptions } from "./common-options.js";

interface AttachFlags {
  stack?: string;
  grid?: string;
  fromStart?: boolean;
}

interface LogsFlags {
  stack: string;
  follow?: boolean;
  fromStart?: boolean;
  host?: string;
}

/** Ctrl-C ends a watch: exit 130 once the watchers stopped. */
async function untilInterrupted(work: (signal: AbortSignal) => Promise<void>): Promise<boolean> {
  const controller = new AbortController();
  const stop = () => controller.abort();
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
  try {
    await work(controller.signal);
  } finally {
    process.off("SIGINT", stop);
    process.off("SIGTERM", stop);
  }
  return controller.signal.aborted;
}

export function hostName(host: string | undefined): string | undefined {
  if (host === undefined) return undefined;
  return /^\d+$/.test(host) ? `algo-${host}` : host;
}

export function registerWatchCommands(program: Command, setExit: (code: number) => void): void {
  withCommonOptions(
    program
      .command("attach")
      .description("stream an experiment's events (training, logs, loss, endpoint, cost) until it settles")
      .option("-s, --stack <name>", "experiment (stack) name")
      .option("--grid <name>", "every experiment of this grid at once (events carry their stack)")
      .option("--from-start", "the whole history, not only what is new since the last up or attach"),
  ).action(
    framed<AttachFlags>({ action: "attach", timed: true }, setExit, async (flags, { out, session: open }) => {
      const grids = await import("./grid-commands.js");
      grids.stackOrGrid(flags, "attach");
      const session = await open();
      const { attachExperiment } = await import("../driver/experiment-stack.js");
      const target = flags.grid ?? flags.stack!;
      const option = flags.grid !== undefined ? "--grid" : "--stack";
      const interrupted = await untilInterrupted(async (signal) => {
        const from = { fromStart: flags.fromStart ?? false };
        if (flags.grid === undefined) return attachExperiment(session, target, (e) => out.event(e), signal, from);
        const cells = await grids.gridStacks(session, flags.grid);
        await grids.forEachCell(session, flags.grid, "attach", cells.length, out, (stack, onEvent) =>
          attachExperiment(session, stack, onEvent, signal, from),
        );
      });
      if (interrupted) {
        throw new InterruptedError(
          `stopped watching ${target}`,
          `run \`zerostack attach ${option} ${target}\` to watch again`,
        );
      }
      return { stack: target };
    }),
  );

  withCommonOptions(
    program
      .command("logs")
      .description("print a training job's logs, one stream per host")
      .requiredOption("-s, --stack <name>", "experiment (stack) name")
      .option(
        "-f, --follow",
        "keep following until the job ends; resumes where the last `logs -f` of this stack stopped",
      )
      .option("--from-start", "with --follow: start again from the first line")
      .option("--host <n>", "only this host: 2 or algo-2"),
  ).action(
    framed<LogsFlags>({ action: "logs" }, setExit, async (flags, { out, session: open }) => {
      const session = await open();
      const { followLogs } = await import("../watch/follow-logs.js");
      const { readWatchTarget } = await import("../driver/experiment-stack.js");
      const { cursorFile } = await import("../env/paths.js");
      const target = await readWatchTarget(session, flags.stack);
      const host = hostName(flags.host);
      const interrupted = await untilInterrupted((signal) =>
        followLogs(target.trainingJob, (e) => out.event(e), {
          signal,
          follow: flags.follow ?? false,
          fromStart: flags.fromStart ?? false,
          cursorFile: cursorFile(session.sandbox, flags.stack),
          ...(host ? { host } : {}),
        }),
      );
      if (interrupted) {
        throw new InterruptedError(
          `stopped following ${flags.stack}`,
          `run \`zerostack logs -f --stack ${flags.stack}\` to resume where it stopped`,
        );
      }
      return { stack: flags.stack };
    }),
  );
}
