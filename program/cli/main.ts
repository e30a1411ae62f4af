// The `zerostack` command: commander wiring only. Each command's work lives in its own
// module, loaded when the command runs, so `--help` and the TUI's first frame stay fast.
import { Command, CommanderError } from "commander";
import { ExitCode } from "../errors.js";
import { registerSpecCommands } from "./spec-commands.js";
import { registerStackCommands } from "./stack-commands.js";
import { registerSandboxCommands } from "./sandbox-commands.js";
import { registerWatchCommands } from "./watch-commands.js";
import { registerEndpointCommands } from "./endpoint-commands.js";
import { registerInventoryCommands } from "./inventory-commands.js";
import { registerBaseCommands } from "./base-commands.js";
import { registerCompareCommand } from "./compare-commands.js";

export function buildProgram(setExit: (code: number) => void): Command {
  const program = new Command("zerostack")
    .description("LLM fine-tuning experiments on SageMaker, one Pulumi stack each")
    .version(process.env.npm_package_version ?? "0.1.0")
    .showHelpAfterError()
    .exitOverride();
  registerSpecCommands(program, setExit);
  registerStackCommands(program, setExit);
  registerWatchCommands(program, setExit);
  registerEndpointCommands(program, setExit);
  registerInventoryCommands(program, setExit);
  registerCompareCommand(program, setExit);
  registerSandboxCommands(program, setExit);
  registerBaseCommands(program, setExit);
  return program;
}

export async function main(argv: string[]): Promise<number> {
  let exitCode: number = ExitCode.ok;
  const program = buildProgram((code) => {
    exitCode = code;
  });
  const args = argv.slice(2);
  if (args.length === 0) {
    if (process.stdout.isTTY && process.stdin.isTTY) {
      const { openTui } = await import("./open-tui.js");
      return openTui();
    }
    program.outputHelp();
    return ExitCode.badInput;
  }
  try {
    await program.parseAsync(argv);
  } catch (error) {
    if (error instanceof CommanderError) {
      const harmless = ["commander.helpDisplayed", "commander.version", "commander.help"];
      return harmless.includes(error.code) ? ExitCode.ok : ExitCode.badInput;
    }
    throw error;
  }
  return exitCode;
}
