// attach and logs: follow an experiment whose `up` runs here, in another process, or died.
import type { Command } from "commander";
import { join } from "node:path";
import { runCommand } from "./run-command.js";
import { openSession } from "./session.js";
import { InterruptedError } from "../errors.js";
import { withCommonOptions } from "./common-options.js";

/** Ctrl-C ends a watch: exit 130 once the watchers stopped. */
function interruptible(): { signal: AbortSignal; interrupted: () => boolean; dispose: () => void } {
  const controller = new AbortController();
  const stop = () => controller.abort();
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
  return {
    signal: controller.signal,
    interrupted: () => controller.signal.aborted,
    dispose: () => {
      process.off("SIGINT", stop);
      process.off("SIGTERM", stop);
    },
  };
}

export function hostName(host: string | undefined): string | undefined {
  if (host === undefined) return undefined;
  return /^\d+$/.test(host) ? `algo-${host}` : host;
}

export function registerWatchCommands(program: Command, setExit: (code: number) => void): void {
  withCommonOptions(
    program.command("attach").description("stream an experiment's events (training, logs, loss, endpoint, cost) until it settles").requiredOption("-s, --stack <name>", "experiment (stack) name"),
  ).action((flags: { stack: string; json?: boolean; sandbox?: boolean }) =>
    runCommand("attach", flags.json ?? false, async ({ out }) => {
      const started = Date.now();
      const session = await openSession(flags.sandbox, out);
      const { attachExperiment } = await import("../driver/experiment-stack.js");
      const watch = interruptible();
      try {
        await attachExperiment(session, flags.stack, (e) => out.event(e), watch.signal);
      } finally {
        watch.dispose();
      }
      if (watch.interrupted()) throw new InterruptedError(`stopped watching ${flags.stack}`, `run \`zerostack attach --stack ${flags.stack}\` to watch again`);
      out.event({ type: "done", action: "attach", stack: flags.stack, ok: true, seconds: (Date.now() - started) / 1000 });
    }).then(setExit),
  );

  withCommonOptions(
    program
      .command("logs")
      .description("print a training job's logs, one stream per host")
      .requiredOption("-s, --stack <name>", "experiment (stack) name")
      .option("-f, --follow", "keep following until the job ends; resumes where the last `logs -f` of this stack stopped")
      .option("--from-start", "with --follow: start again from the first line")
      .option("--host <n>", "only this host: 2 or algo-2"),
  ).action((flags: { stack: string; follow?: boolean; fromStart?: boolean; host?: string; json?: boolean; sandbox?: boolean }) =>
    runCommand("logs", flags.json ?? false, async ({ out }) => {
      const session = await openSession(flags.sandbox, out);
      const [{ readWatchTarget }, { tailLogs, fileCursors, memoryCursors }, { pollInterval }, { zerostackHome }, { CloudWatchLogsClient }, { clientSettings }] = await Promise.all([
        import("../driver/experiment-stack.js"),
        import("../watch/log-tailer.js"),
        import("../watch/poll.js"),
        import("../env/paths.js"),
        import("@aws-sdk/client-cloudwatch-logs"),
        import("../aws/clients.js"),
      ]);
      const target = await readWatchTarget(session, flags.stack);
      const cursorFile = join(zerostackHome(), session.sandbox ? "sandbox" : "", "cursors", `${flags.stack}.json`);
      const cursors = flags.follow ? fileCursors(cursorFile) : memoryCursors();
      if (flags.follow && flags.fromStart) cursors.save({});
      const host = hostName(flags.host);
      const { watchTraining, TERMINAL_TRAINING } = await import("../watch/training-watcher.js");
      const { SageMakerClient } = await import("@aws-sdk/client-sagemaker");
      const watch = interruptible();
      let status = "";
      try {
        const following = flags.follow
          ? watchTraining(new SageMakerClient(clientSettings()), target.trainingJob, () => {}, { ...pollInterval(), signal: watch.signal }, (s) => (status = s.status))
          : Promise.resolve(undefined);
        await tailLogs(new CloudWatchLogsClient(clientSettings()), target.trainingJob, (e) => out.event(e), {
          ...pollInterval(),
          signal: watch.signal,
          cursors,
          ...(host ? { host } : {}),
          finished: () => !flags.follow || TERMINAL_TRAINING.includes(status),
        });
        await following;
      } finally {
        watch.dispose();
      }
      if (watch.interrupted()) throw new InterruptedError(`stopped following ${flags.stack}`, `run \`zerostack logs -f --stack ${flags.stack}\` to resume where it stopped`);
      if (out.json) out.event({ type: "done", action: "logs", stack: flags.stack, ok: true, seconds: 0 });
    }).then(setExit),
  );
}
