// `zerostack sandbox start|stop|status`: the local sandbox cloud as a background service.
import type { Command } from "commander";
import { runCommand } from "./run-command.js";

export function registerSandboxCommands(program: Command, setExit: (code: number) => void): void {
  const sandbox = program.command("sandbox").description("the local sandbox cloud (moto plus SageMaker's lifecycle)");
  sandbox
    .command("start")
    .description("start the sandbox cloud in the background, or reuse the running one")
    .option("--json", "print the service as JSON")
    .action(async (flags: { json?: boolean }) => {
      setExit(
        await runCommand("sandbox start", flags.json ?? false, async ({ out }) => {
          const { startSandbox } = await import("../sandbox/service.js");
          const service = await startSandbox();
          out.result(service, () => `SANDBOX running at ${service.endpoint} (pid ${service.pid}, log ${service.log})`);
        }),
      );
    });
  sandbox
    .command("stop")
    .description("stop the sandbox cloud (its AWS objects and stacks are kept for the next start)")
    .option("--json", "print the result as JSON")
    .action(async (flags: { json?: boolean }) => {
      setExit(
        await runCommand("sandbox stop", flags.json ?? false, async ({ out }) => {
          const { stopSandbox } = await import("../sandbox/service.js");
          const stopped = await stopSandbox();
          out.result({ stopped }, () => (stopped ? "SANDBOX stopped" : "SANDBOX was not running"));
        }),
      );
    });
  sandbox
    .command("reset")
    .description("stop the sandbox cloud and empty it together with its stacks' state")
    .option("--json", "print the result as JSON")
    .action(async (flags: { json?: boolean }) => {
      setExit(
        await runCommand("sandbox reset", flags.json ?? false, async ({ out }) => {
          const { resetSandbox } = await import("../sandbox/service.js");
          await resetSandbox();
          out.result({ reset: true }, () => "SANDBOX reset: no AWS objects and no stacks left");
        }),
      );
    });
  sandbox
    .command("status")
    .description("print the sandbox endpoint and what it holds")
    .option("--json", "print the status as JSON")
    .action(async (flags: { json?: boolean }) => {
      setExit(
        await runCommand("sandbox status", flags.json ?? false, async ({ out }) => {
          const { sandboxStatus } = await import("../sandbox/service.js");
          const status = await sandboxStatus();
          out.result(status ?? { running: false }, () =>
            status ? `SANDBOX running at ${status.service.endpoint} (pid ${status.service.pid})\n${JSON.stringify(status.holds, null, 2)}` : "SANDBOX is not running",
          );
        }),
      );
    });
}
