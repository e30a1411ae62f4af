// `zerostack sandbox start|stop|status|reset`: the local sandbox cloud as a background service.
import type { Command } from "commander";
import { framed } from "./command-frame.js";

type SandboxModule = typeof import("../sandbox-client/service.js");

interface Subcommand {
  name: string;
  description: string;
  /** does the work; returns the result document and its human form */
  run: (service: SandboxModule) => Promise<{ value: unknown; human: string }>;
}

const SUBCOMMANDS: Subcommand[] = [
  {
    name: "start",
    description: "start the sandbox cloud in the background, or reuse the running one",
    run: async ({ startSandbox }) => {
      const service = await startSandbox();
      return {
        value: service,
        human: `SANDBOX running at ${service.endpoint} (pid ${service.pid}, log ${service.log})`,
      };
    },
  },
  {
    name: "stop",
    description: "stop the sandbox cloud (its AWS objects and stacks are kept for the next start)",
    run: async ({ stopSandbox }) => {
      const stopped = await stopSandbox();
      return { value: { stopped }, human: stopped ? "SANDBOX stopped" : "SANDBOX was not running" };
    },
  },
  {
    name: "reset",
    description: "stop the sandbox cloud and empty it together with its stacks' state",
    run: async ({ resetSandbox }) => {
      await resetSandbox();
      return { value: { reset: true }, human: "SANDBOX reset: no AWS objects and no stacks left" };
    },
  },
  {
    name: "status",
    description: "print the sandbox endpoint and what it holds",
    run: async ({ sandboxStatus }) => {
      const status = await sandboxStatus();
      return {
        value: status ?? { running: false },
        human: status
          ? `SANDBOX running at ${status.service.endpoint} (pid ${status.service.pid})\n${JSON.stringify(status.holds, null, 2)}`
          : "SANDBOX is not running",
      };
    },
  },
];

export function registerSandboxCommands(program: Command, setExit: (code: number) => void): void {
  const sandbox = program.command("sandbox").description("the local sandbox cloud (moto plus SageMaker's lifecycle)");
  for (const sub of SUBCOMMANDS) {
    sandbox
      .command(sub.name)
      .description(sub.description)
      .option("--json", "print the result as JSON")
      .action(
        framed({ action: `sandbox ${sub.name}` }, setExit, async (_flags, { out }) => {
          const { value, human } = await sub.run(await import("../sandbox-client/service.js"));
          out.result(value, () => human);
        }),
      );
  }
}
