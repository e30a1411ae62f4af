// A polling loop with backoff that ends when its signal aborts or the body says it is done.
// Transient errors (throttling, a restarting emulator) back off and retry; nothing is lost,
// since every watcher keeps its own cursor.
export interface PollOptions {
  signal: AbortSignal;
  intervalMs: number;
  maxIntervalMs: number;
  onError?: (error: unknown) => void;
}

export function pollInterval(env: NodeJS.ProcessEnv = process.env): { intervalMs: number; maxIntervalMs: number } {
  const fast = Boolean(env.AWS_ENDPOINT_URL);
  return { intervalMs: Number(env.ZEROSTACK_POLL_MS ?? (fast ? 300 : 5000)), maxIntervalMs: fast ? 1500 : 30000 };
}

export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    signal.addEventListener("abort", done, { once: true });
    function done() {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    }
  });
}

/** Runs `step` until it returns true (done) or the signal aborts. A step that made progress returns "progress" to reset the backoff. */
export async function poll(step: () => Promise<boolean | "progress">, opts: PollOptions): Promise<void> {
  let interval = opts.intervalMs;
  while (!opts.signal.aborted) {
    try {
      const result = await step();
      if (result === true) return;
      interval = result === "progress" ? opts.intervalMs : Math.min(interval * 1.5, opts.maxIntervalMs);
    } catch (error) {
      opts.onError?.(error);
      interval = Math.min(interval * 2, opts.maxIntervalMs);
    }
    await sleep(interval, opts.signal);
  }
}
