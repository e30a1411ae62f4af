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
  force(): void;
}

const ACK = /received; cancelling/;

export interface InterruptOptions {
  onForce: () => void;
  /** how the user is told (a diagnostic event: stderr would tear a full-screen UI) */
  notify: (message: string) => void;
  /** an interrupt from a UI, which gets no SIGINT (raw mode): the same as a Ctrl-C */
  signal?: AbortSignal;
  graceMs?: number;
}

export function installInterruptor(opts: InterruptOptions): Interruptor {
  const controller = new AbortController();
  let count = 0;
  let acknowledged = false;
  let timer: NodeJS.Timeout | undefined;
  const handler = (fromUi = false) => {
    count += 1;
    if (count === 1) {
      opts.notify(
        "interrupt: cancelling gracefully: the engine finishes the steps in flight (a training job it waits for keeps running in SageMaker; `up` later adopts it). Interrupt again to stop waiting now.",
      );
      if (fromUi)
        controller.abort(); // no terminal signal reached the engine: tell it ourselves
      else timer = setTimeout(() => !acknowledged && controller.abort(), opts.graceMs ?? 700);
    } else {
      opts.notify("interrupt: forcing; run the same command again to recover");
      killChildren("SIGKILL");
      opts.onForce();
    }
  };
  const onSignal = () => handler(false);
  const onUi = () => handler(true);
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  opts.signal?.addEventListener("abort", onUi, { once: true });
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
      process.off("SIGINT", onSignal);
      process.off("SIGTERM", onSignal);
      opts.signal?.removeEventListener("abort", onUi);
    },
    /** a second interrupt from the UI forces */
    force() {
      handler(true);
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
