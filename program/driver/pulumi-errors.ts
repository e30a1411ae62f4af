// Pulumi's typed Automation errors, each mapped to one zerostack error (and so one exit code).
import { ConflictError, InterruptedError, OperationFailedError, type ZerostackError } from "../errors.js";

export function fromPulumiError(error: unknown, stack: string, reasons: string[], aborted: boolean): ZerostackError {
  const message = error instanceof Error ? error.message : String(error);
  const name = (error as { name?: string } | undefined)?.name ?? "";
  if (
    name === "ConcurrentUpdateError" ||
    /currently locked by|conflict: Another update is currently in progress/i.test(message)
  ) {
    // the DIY backend names each lock's holder (pkg/backend/diy/lock.go, checkForLock):
    //   "<lock file>: created by user@host (pid N) at <time>"
    const holders = [...message.matchAll(/created by (\S+ \(pid \d+\))(?: at (.+))?$/gm)].map(
      (m) => `${m[1]}${m[2] ? ` since ${m[2].trim()}` : ""}`,
    );
    return new ConflictError(
      `stack ${stack} is locked by another update${holders.length > 0 ? `: held by ${holders.join(", ")}` : ""}`,
      `wait for the other \`zerostack\` process to finish; if none is running (a killed process leaves its lock: file-backend locks never expire, pulumi#9253), run \`zerostack cancel --stack ${stack}\``,
      { cause: error },
    );
  }
  if (name === "StackNotFoundError" || /no stack named/i.test(message)) {
    return new OperationFailedError(`stack ${stack} does not exist`, "run `zerostack ls` to see the stacks", {
      cause: error,
    });
  }
  if (aborted) {
    return new InterruptedError(
      `interrupted: ${stack} was left consistent`,
      `run \`zerostack up --stack ${stack}\` to finish, or \`zerostack destroy --stack ${stack} --yes\` to remove it`,
      { cause: error },
    );
  }
  const reason = reasons.length > 0 ? reasons.join("\n") : lastErrorLines(message);
  return new OperationFailedError(
    reason,
    `fix the cause above, then run the command again (it resumes where it stopped)`,
    { cause: error },
  );
}

/** The engine's stderr ends with the useful lines; keep them, drop the CLI's banner. */
function lastErrorLines(message: string): string {
  const lines = message
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith("code:") && !l.startsWith("stdout:") && !l.startsWith("stderr:"));
  return lines.slice(-6).join("\n");
}
