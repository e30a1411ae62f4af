// preview, up, destroy, refresh, cancel: the stack lifecycle commands. Parsing only; the
// work is in program/driver (Automation API) and program/stack (the inline program).
import type { Command } from "commander";
import { ExitCode } from "../errors.js";
import { confirmOrRequireYes } from "./confirm.js";
import { checkFlags, planFor, type ExperimentFlags } from "./experiment-plan.js";
import { runCommand } from "./run-command.js";
import { openSession } from "./session.js";
import { withSpecOptions } from "./spec-options.js";
import { withCommonOptions } from "./common-options.js";

interface CommonFlags extends ExperimentFlags {
  json?: boolean;
  yes?: boolean;
  nonInteractive?: boolean;
  sandbox?: boolean;
  force?: boolean;
  extendTtl?: boolean;
  diff?: boolean;
}

const stackOption = (cmd: Command) => cmd.requiredOption("-s, --stack <name>", "experiment (stack) name");

export function registerStackCommands(program: Command, setExit: (code: number) => void): void {
  const run = (action: string, flags: CommonFlags, body: Parameters<typeof runCommand>[2]) =>
    runCommand(action, flags.json ?? false, body, { diff: flags.diff ?? false }).then(setExit);

  withCommonOptions(
    withSpecOptions(program.command("preview").description("show what `up` would change"))
      .option("-s, --stack <name>", "experiment (stack) name")
      .option("--diff", "show which inputs of each resource change"),
  ).action(
    (flags: CommonFlags) =>
      run("preview", flags, async ({ out }) => {
        const started = Date.now();
        await checkFlags(flags);
        const session = await openSession(flags.sandbox, out);
        const plan = await planFor(flags, session, out);
        const [{ preview }, { experiment }] = await Promise.all([import("../driver/operations.js"), import("../stack/experiment.js")]);
        const { payloadDir } = await import("../env/paths.js");
        const changes = await preview(session, plan.names.stack, experiment(plan, { base: session.base, payloadDir: payloadDir() }), { onEvent: (e) => out.event(e) });
        out.event({ type: "summary", changes });
        out.event({ type: "cost", usd: plan.cost.totalUsd, at: new Date().toISOString() });
        out.event({ type: "done", action: "preview", stack: plan.names.stack, ok: true, seconds: (Date.now() - started) / 1000 });
      }),
  );

  withCommonOptions(
    withSpecOptions(program.command("up").description("create or update an experiment: training job, then model and endpoint"))
      .option("-s, --stack <name>", "experiment (stack) name (same as --name)")
      .option("--extend-ttl", "restart the endpoint's time to live from now")
      .option("--diff", "show which inputs of each resource change")
      .option("--rehearse", "sandbox only: run the real payload locally (2 processes as 2 nodes) instead of the simulated timeline")
      .option("-y, --yes", "do not ask for confirmation"),
  ).action((flags: CommonFlags) =>
    run("up", flags, async ({ out }) => {
      const started = Date.now();
      await checkFlags(flags); // bad input: exit 2 before anything starts
      const session = await openSession(flags.sandbox, out);
      const plan = await planFor(flags, session, out);
      const stack = plan.names.stack;
      if (!(await confirmOrRequireYes(flags.yes, flags.nonInteractive, `Create or update ${stack} (estimated $${plan.cost.totalUsd.toFixed(2)})?`, "up"))) {
        setExit(ExitCode.badInput);
        return;
      }
      const { upExperiment } = await import("../driver/experiment-stack.js");
      await upExperiment(session, plan, session.base, { onEvent: (e) => out.event(e), extendTtl: flags.extendTtl ?? false });
      out.event({ type: "done", action: "up", stack, ok: true, seconds: (Date.now() - started) / 1000 });
    }),
  );

  withCommonOptions(stackOption(program.command("destroy").description("delete every resource of an experiment and remove its stack")).option("-y, --yes", "do not ask for confirmation")).action(
    (flags: CommonFlags & { stack: string }) =>
      run("destroy", flags, async ({ out }) => {
        const started = Date.now();
        if (!(await confirmOrRequireYes(flags.yes, flags.nonInteractive, `Destroy ${flags.stack} and remove its stack?`, "destroy"))) {
          setExit(ExitCode.badInput);
          return;
        }
        const session = await openSession(flags.sandbox, out);
        const { destroyExperiment } = await import("../driver/experiment-stack.js");
        await destroyExperiment(session, flags.stack, { onEvent: (e) => out.event(e) });
        out.event({ type: "done", action: "destroy", stack: flags.stack, ok: true, seconds: (Date.now() - started) / 1000 });
      }),
  );

  withCommonOptions(stackOption(program.command("refresh").description("read the real state of an experiment's resources (e.g. an endpoint its TTL deleted)"))).action(
    (flags: CommonFlags & { stack: string }) =>
      run("refresh", flags, async ({ out }) => {
        const started = Date.now();
        const session = await openSession(flags.sandbox, out);
        const { refresh } = await import("../driver/operations.js");
        await refresh(session, flags.stack, async () => ({}), { onEvent: (e) => out.event(e) });
        out.event({ type: "done", action: "refresh", stack: flags.stack, ok: true, seconds: (Date.now() - started) / 1000 });
      }),
  );

  withCommonOptions(stackOption(program.command("export").description("print an experiment's stack state (deployment JSON; secrets stay encrypted)"))).action(
    (flags: CommonFlags & { stack: string }) =>
      run("export", flags, async ({ out }) => {
        const session = await openSession(flags.sandbox, out);
        const { selectStack } = await import("../driver/workspace.js");
        const { fromPulumiError } = await import("../driver/pulumi-errors.js");
        const stack = await selectStack(session, flags.stack, async () => ({})).catch((error: unknown) => {
          throw fromPulumiError(error, flags.stack, [], false);
        });
        const deployment = await stack.exportStack();
        process.stdout.write(JSON.stringify(deployment, null, flags.json ? undefined : 2) + "\n");
      }),
  );

  withCommonOptions(
    stackOption(program.command("cancel").description("remove the lock a killed process left on a stack (file-backend locks never expire)")).option(
      "--force",
      "also remove the lock of a process that is still running",
    ),
  ).action((flags: CommonFlags & { stack: string }) =>
    run("cancel", flags, async ({ out }) => {
      const session = await openSession(flags.sandbox, out);
      const { removeLocks } = await import("../driver/locks.js");
      const { removed, live } = removeLocks(session, flags.stack, flags.force ?? false);
      out.result({ removed: removed.length, live: live.map((l) => ({ pid: l.pid, hostname: l.hostname })) }, () =>
        live.length > 0
          ? `${flags.stack} is locked by a running process (pid ${live.map((l) => `${l.pid}@${l.hostname}`).join(", ")}); pass --force only if it is not updating this stack`
          : `removed ${removed.length} lock(s) of ${flags.stack}`,
      );
      if (live.length > 0) setExit(ExitCode.conflict);
    }),
  );
}
