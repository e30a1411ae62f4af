// Runs one CLI action: maps every failure to its exit code in one place and, in JSON mode,
// makes sure the last line is a `done` or `error` event.
import { describeError, exitCodeOf, ExitCode, ZerostackError } from "../errors.js";
import { createOutput, type Output } from "./output.js";

export interface CommandContext {
  out: Output;
}

export async function runCommand(
  action: string,
  json: boolean,
  body: (ctx: CommandContext) => Promise<void>,
  opts: { diff?: boolean } = {},
): Promise<number> {
  const out = createOutput(json, undefined, opts);
  try {
    await body({ out });
    return ExitCode.ok;
  } catch (error) {
    const exitCode = exitCodeOf(error);
    if (json) {
      out.event({
        type: "error",
        action,
        exitCode,
        message: error instanceof Error ? error.message : String(error),
        ...(error instanceof ZerostackError && error.nextStep ? { nextStep: error.nextStep } : {}),
      });
    } else {
      process.stderr.write(`error: ${describeError(error)}\n`);
    }
    if (!(error instanceof ZerostackError) && process.env.ZEROSTACK_DEBUG) {
      process.stderr.write(`${(error as Error)?.stack ?? ""}\n`);
    }
    return exitCode;
  }
}
