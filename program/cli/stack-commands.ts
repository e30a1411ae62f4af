// preview, up, destroy, ls: the stack lifecycle commands. Parsing only; the work is in
// program/driver (Automation API) and program/stack (the inline program).
import type { Command } from "commander";
import { runCommand } from "./run-command.js";
import { confirmOrRequireYes } from "./confirm.js";
import { openSession } from "./session.js";
import { ExitCode } from "../errors.js";

interface CommonFlags {
  json?: boolean;
  yes?: boolean;
  nonInteractive?: boolean;
  sandbox?: boolean;
  stack?: string;
  preset?: string;
}

function common(cmd: Command): Command {
  return cmd
    .option("--json", "print JSON lines of progress events (schema v1; last line is `done` or `error`)")
    .option("--sandbox", "use the local sandbox cloud (default when no AWS credentials are found)")
    .option("--no-sandbox", "use the real AWS account from the standard credential chain")
    .option("--non-interactive", "never prompt");
}

async function experimentFor(flags: CommonFlags) {
  const { experiment } = await import("../stack/experiment.js");
  const spec = { name: flags.stack ?? "demo", preset: flags.preset ?? "skeleton" };
  return { spec, program: experiment };
}

export function registerStackCommands(program: Command, setExit: (code: number) => void): void {
  common(
    program
      .command("preview")
      .description("show what `up` would change")
      .option("-s, --stack <name>", "experiment (stack) name", "demo")
      .option("--preset <name>", "preset of the experiment"),
  ).action(async (flags: CommonFlags) => {
    setExit(
      await runCommand("preview", flags.json ?? false, async ({ out }) => {
        const started = Date.now();
        const session = await openSession(flags.sandbox, out);
        const { spec, program: experiment } = await experimentFor(flags);
        const { preview } = await import("../driver/operations.js");
        const changes = await preview(session, spec.name, experiment(spec, session.base), { onEvent: (e) => out.event(e) });
        out.event({ type: "summary", changes });
        out.event({ type: "done", action: "preview", stack: spec.name, ok: true, seconds: (Date.now() - started) / 1000 });
      }),
    );
  });

  common(
    program
      .command("up")
      .description("create or update an experiment's stack")
      .option("-s, --stack <name>", "experiment (stack) name", "demo")
      .option("--preset <name>", "preset of the experiment")
      .option("-y, --yes", "do not ask for confirmation"),
  ).action(async (flags: CommonFlags) => {
    setExit(
      await runCommand("up", flags.json ?? false, async ({ out }) => {
        const started = Date.now();
        const { spec, program: experiment } = await experimentFor(flags);
        if (!(await confirmOrRequireYes(flags.yes, flags.nonInteractive, `Create or update ${spec.name}?`, "up"))) {
          setExit(ExitCode.badInput);
          return;
        }
        const session = await openSession(flags.sandbox, out);
        const { up } = await import("../driver/operations.js");
        await up(session, spec.name, experiment(spec, session.base), { onEvent: (e) => out.event(e) });
        out.event({ type: "done", action: "up", stack: spec.name, ok: true, seconds: (Date.now() - started) / 1000 });
      }),
    );
  });

  common(
    program
      .command("destroy")
      .description("delete every resource of an experiment and remove its stack")
      .option("-s, --stack <name>", "experiment (stack) name", "demo")
      .option("-y, --yes", "do not ask for confirmation"),
  ).action(async (flags: CommonFlags) => {
    setExit(
      await runCommand("destroy", flags.json ?? false, async ({ out }) => {
        const started = Date.now();
        const { spec, program: experiment } = await experimentFor(flags);
        if (!(await confirmOrRequireYes(flags.yes, flags.nonInteractive, `Destroy ${spec.name} and remove its stack?`, "destroy"))) {
          setExit(ExitCode.badInput);
          return;
        }
        const session = await openSession(flags.sandbox, out);
        const { destroy } = await import("../driver/operations.js");
        await destroy(session, spec.name, experiment(spec, session.base), { onEvent: (e) => out.event(e) });
        out.event({ type: "done", action: "destroy", stack: spec.name, ok: true, seconds: (Date.now() - started) / 1000 });
      }),
    );
  });

  common(program.command("ls").description("list experiments")).action(async (flags: CommonFlags) => {
    setExit(
      await runCommand("ls", flags.json ?? false, async ({ out }) => {
        const session = await openSession(flags.sandbox, out);
        const { listStacks } = await import("../driver/operations.js");
        const stacks = await listStacks(session);
        out.result(stacks, () =>
          stacks.length === 0
            ? "no experiments"
            : stacks.map((s) => `${s.name}\t${s.resourceCount} resources\t${s.updateInProgress ? "updating" : (s.lastUpdate ?? "never updated")}`).join("\n"),
        );
      }),
    );
  });
}
