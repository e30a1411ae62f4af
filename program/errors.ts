// Every failure zerostack reports has a type here, a message that says what went wrong,
// the next step that fixes it, and the exit code the CLI maps it to (one place, see exitCodeOf).

export const ExitCode = {
  ok: 0,
  failed: 1,
  badInput: 2,
  conflict: 3,
  interrupted: 130,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

export interface Problem {
  /** Dotted path of the field at fault, e.g. `training.nodes` or `--zero`. */
  field: string;
  message: string;
  /** What is allowed, or the fix. */
  allowed?: string;
}

export abstract class ZerostackError extends Error {
  abstract readonly exitCode: ExitCode;
  /** One line telling the user what to do next. */
  readonly nextStep: string | undefined;
  constructor(message: string, nextStep?: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.nextStep = nextStep;
  }
}

/** The input (flags, spec file, preset choice) is invalid; every problem is listed. */
export class BadInputError extends ZerostackError {
  readonly exitCode = ExitCode.badInput;
  readonly problems: Problem[];
  constructor(problems: Problem[], nextStep?: string) {
    super(
      problems.map((p) => `${p.field}: ${p.message}${p.allowed ? ` (allowed: ${p.allowed})` : ""}`).join("\n"),
      nextStep,
    );
    this.problems = problems;
  }
}

/** The stack is locked by another update or already exists when it must not. */
export class ConflictError extends ZerostackError {
  readonly exitCode = ExitCode.conflict;
}

/** An operation ran and failed (a failed training job, an endpoint that never came up, an engine error). */
export class OperationFailedError extends ZerostackError {
  readonly exitCode = ExitCode.failed;
}

/** Cells of a grid failed while the others ran on: the exit code is the worst cell's, the message names each. */
export class CellsFailedError extends ZerostackError {
  readonly exitCode: ExitCode;
  constructor(exitCode: ExitCode, message: string, nextStep?: string) {
    super(message, nextStep);
    this.exitCode = exitCode;
  }
}

/** The user interrupted the operation (Ctrl-C). */
export class InterruptedError extends ZerostackError {
  readonly exitCode = ExitCode.interrupted;
}

/** A tool zerostack needs (Pulumi CLI, Node, the sandbox) is missing or broken. */
export class ToolchainError extends ZerostackError {
  readonly exitCode = ExitCode.failed;
}

export function exitCodeOf(error: unknown): ExitCode {
  return error instanceof ZerostackError ? error.exitCode : ExitCode.failed;
}

/** Human text for an error: message, then the next step. */
export function describeError(error: unknown): string {
  if (error instanceof ZerostackError) {
    return error.nextStep ? `${error.message}\n  next: ${error.nextStep}` : error.message;
  }
  return error instanceof Error ? error.message : String(error);
}

/** The user answered no to a confirmation: nothing was changed. */
export class DeclinedError extends ZerostackError {
  readonly exitCode = ExitCode.badInput;
}
