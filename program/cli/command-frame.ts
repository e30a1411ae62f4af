// The frame every command runs in: it owns the output (plain lines or JSON lines), the timing,
// confirmation of destructive commands, the final `done` or `error` event and the exit code, so
// a command's file holds only what that command does.
//
// JSON mode: the last line is always `done` or `error` (the contract in README). Plain mode:
// operations that take time (`timed`) end with "<action> <stack>: done in Ns"; errors go to
// stderr with their next step.
import type { Session } from "../app/session.js";
import { DeclinedError, describeError, ExitCode, exitCodeOf, InterruptedError, ZerostackError } from "../errors.js";
import { confirmOrRequireYes } from "./confirm.js";
import { createOutput, type Output } from "./output.js";

/** The flags the frame reads; every command may have them. */
export interface FrameFlags {
  json?: boolean;
  yes?: boolean;
  nonInteractive?: boolean;
  sandbox?: boolean;
  diff?: boolean;
}

export interface CommandContext {
  out: Output;
  /** Opens the session once (sandbox or real account, base outputs); says SANDBOX in plain mode. */
  session(): Promise<Session>;
  /** Asks on a terminal, needs --yes without one; resolves only when confirmed. */
  confirm(question: string, command?: string): Promise<void>;
}

/** What a command reports back: the stack it acted on, and an exit code other than 0. */
export interface CommandOutcome {
  stack?: string;
  /** a result that is not a success: the error event (JSON mode) says `failure` */
  exitCode?: ExitCode;
  failure?: { message: string; nextStep?: string };
}

export interface FrameOptions {
  /** The action as events name it: `up`, `base destroy`, `sandbox start`. */
  action: string;
  /** Print the timing line for people too (long operations). */
  timed?: boolean;
}

// A body with nothing to report simply returns: `void` is the honest type of such a function.
// biome-ignore lint/suspicious/noConfusingVoidType: the return of a body that reports nothing
export type CommandBody<F> = (flags: F & FrameFlags, ctx: CommandContext) => Promise<CommandOutcome | void>;

/** Runs one command and returns its exit code; never throws. */
export async function runFramed<F extends object = object>(
  options: FrameOptions,
  flags: F & FrameFlags,
  body: CommandBody<F>,
): Promise<number> {
  const json = flags.json ?? false;
  const out = createOutput(json, undefined, { diff: flags.diff ?? false });
  const started = performance.now();
  let session: Promise<Session> | undefined;
  const ctx: CommandContext = {
    out,
    session: () => {
      session ??= import("../app/session.js").then(({ openSession }) =>
        openSession(flags.sandbox, (text) => out.info(text)),
      );
      return session;
    },
    async confirm(question, command = options.action) {
      if (!(await confirmOrRequireYes(flags.yes, flags.nonInteractive, question, command))) {
        throw new DeclinedError(
          `${command}: not confirmed; nothing was changed`,
          `run \`zerostack ${command}\` again and answer y, or pass --yes`,
        );
      }
    },
  };
  const stopEarly = onEarlyInterrupt(out, options.action);
  try {
    const outcome = (await body(flags, ctx)) ?? {};
    const exitCode = outcome.exitCode ?? ExitCode.ok;
    if (exitCode !== ExitCode.ok && json) {
      // the JSON-lines contract: the last line is `done` or `error`, whatever the outcome
      const failure = outcome.failure ?? { message: `${options.action} ended with exit code ${exitCode}` };
      out.event({ type: "error", action: options.action, exitCode, ...failure });
    }
    if (exitCode === ExitCode.ok && (json || options.timed)) {
      const seconds = (performance.now() - started) / 1000;
      out.event({ type: "done", action: options.action, stack: outcome.stack ?? "", ok: true, seconds });
    }
    return exitCode;
  } catch (error) {
    return reportError(out, options.action, error);
  } finally {
    stopEarly();
  }
}

/**
 * Ctrl-C (or SIGTERM) before the command took over interrupts itself (the engine's graceful
 * cancel, a watcher's stop): the command has changed nothing yet that a re-run does not pick up,
 * so it ends at once with exit 130 and the error event, instead of dying silently by the signal.
 */
function onEarlyInterrupt(out: Output, action: string): () => void {
  const handlers = (["SIGINT", "SIGTERM"] as const).map((signal) => {
    const handler = () => {
      if (process.listenerCount(signal) > 1) return; // the command handles it now
      reportError(
        out,
        action,
        new InterruptedError(`${action} interrupted`, `run \`zerostack ${action}\` again: it resumes where it stopped`),
      );
      process.exit(ExitCode.interrupted);
    };
    process.on(signal, handler);
    return () => process.off(signal, handler);
  });
  return () => {
    for (const remove of handlers) remove();
  };
}

function reportError(out: Output, action: string, error: unknown): number {
  const exitCode = exitCodeOf(error);
  if (out.json) {
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
    process.stderr.write(`${error instanceof Error ? (error.stack ?? "") : ""}\n`);
  }
  return exitCode;
}

/** Commander's action for a framed command: runs it and records the exit code. */
export function framed<F extends object = object>(
  options: FrameOptions,
  setExit: (code: number) => void,
  body: CommandBody<F>,
): (flags: F & FrameFlags) => Promise<void> {
  return async (flags) => setExit(await runFramed(options, flags, body));
}
