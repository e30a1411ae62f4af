// Ctrl-C handling for long operations: the first interrupt cancels gracefully (the engine
// finishes its in-flight steps and writes a consistent state); a second one forces.
//
// In a terminal, Ctrl-C reaches the Pulumi CLI (our child, same process group) directly; sending
// it our own SIGINT too would count as the second and kill it. So after an interrupt we wait for
// the engine's "received; cancelling" acknowledgement and abort only when it did not come (a
// signal sent to our process alone, e.g. by a CI runner or a test).
import { execFileSync } from "node:child_process";

export interface Interruptor {
  signal: AbortSignal;
  /** Feed the engine's stdout so we notice it acknowledged a cancel. */
  observeOutput(text: string): void;
  readonly interrupted: boolean;
  dispose(): void;
}

const ACK = /received; cancelling/;

export function installInterruptor(onForce: () => void, graceMs = 700): Interruptor {
  const controller = new AbortController();
  let count = 0;
  let acknowledged = false;
  let timer: NodeJS.Timeout | undefined;
  const handler = () => {
    count += 1;
    if (count === 1) {
      process.stderr.write("\ninterrupt: cancelling gracefully (press Ctrl-C again to force)\n");
      timer = setTimeout(() => {
        if (!acknowledged) controller.abort();
      }, graceMs);
    } else {
      process.stderr.write("\ninterrupt: forcing; run the same command again to recover\n");
      killChildren("SIGKILL");
      onForce();
    }
  };
  process.on("SIGINT", handler);
  process.on("SIGTERM", handler);
  return {
    signal: controller.signal,
    observeOutput(text) {
      if (ACK.test(text)) acknowledged = true;
    },
    get interrupted() {
      return count > 0;
    },
    dispose() {
      if (timer) clearTimeout(timer);
      process.off("SIGINT", handler);
      process.off("SIGTERM", handler);
    },
  };
}

/** Our direct children (the Pulumi CLI); used only to force after a second interrupt. */
function killChildren(signal: NodeJS.Signals): void {
  try {
    const out = execFileSync("pgrep", ["-P", String(process.pid)], { encoding: "utf8" });
    for (const pid of out.split(/\s+/).filter(Boolean)) {
      try {
        process.kill(Number(pid), signal);
      } catch {
        // already gone
      }
    }
  } catch {
    // pgrep finds none: nothing to kill
  }
}
