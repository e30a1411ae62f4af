// How a command speaks: plain lines for people, JSON lines of ProgressEvents for machines.
import { toJsonLine, type ProgressEvent } from "../events.js";

export interface Output {
  readonly json: boolean;
  /** A progress event: a JSON line, or a short human line. */
  event(event: ProgressEvent): void;
  /** Human text; silent in JSON mode (the events say it all). */
  info(text: string): void;
  /** A result document (plan, presets, ls); printed as JSON in JSON mode. */
  result(value: unknown, human: () => string): void;
  warn(text: string): void;
}

export interface OutputStreams {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

const processStreams: OutputStreams = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
};

export function createOutput(
  json: boolean,
  streams: OutputStreams = processStreams,
  opts: { diff?: boolean } = {},
): Output {
  return {
    json,
    event(event) {
      if (json) streams.stdout(`${toJsonLine(event)}\n`);
      else {
        const line = humanLine(event, opts.diff ?? false);
        if (line !== undefined) streams.stdout(`${line}\n`);
      }
    },
    info(text) {
      if (!json) streams.stdout(`${text}\n`);
    },
    result(value, human) {
      streams.stdout(json ? `${JSON.stringify(value)}\n` : `${human()}\n`);
    },
    warn(text) {
      streams.stderr(`warning: ${text}\n`);
    },
  };
}

/** The plain-text form of an event, or undefined when it is not worth a line. */
export function humanLine(event: ProgressEvent, diff = false): string | undefined {
  switch (event.type) {
    case "stack":
      return `${event.sandbox ? "[SANDBOX] " : ""}${event.action} ${event.stack}`;
    case "resource":
      if (event.op === "same" && event.status !== "failed") return undefined;
      return `  ${event.status === "failed" ? "✗" : event.status === "done" ? "✓" : "…"} ${event.op} ${event.resourceType} ${event.name}${event.message ? `: ${event.message}` : ""}${diff && event.diffs && event.status !== "done" ? ` [changed: ${event.diffs.join(", ")}]` : ""}`;
    case "diagnostic":
      return `  ${event.severity}: ${event.message}`;
    case "training":
      return `  training ${event.job}: ${event.status} / ${event.secondaryStatus}`;
    case "log":
      return `  [${event.host}] ${event.line}`;
    case "metric":
      return `  ${event.name}=${event.value} (step ${event.step})`;
    case "endpoint":
      return `  endpoint ${event.endpoint}: ${event.status}${event.failureReason ? ` (${event.failureReason})` : ""}`;
    case "cost":
      return `  cost so far: $${event.usd.toFixed(2)}`;
    case "estimate":
      return `  estimate: ≈ $${event.expectedUsd.toFixed(2)} expected, at most $${event.maxUsd.toFixed(2)} (${event.prices})`;
    case "grid":
      return `grid ${event.grid}: ${event.cells.length} experiments, ${event.parallel} at a time; ≈ $${event.expectedUsd.toFixed(2)} expected, at most $${event.maxUsd.toFixed(2)} in all${event.note ? ` (${event.note})` : ""}`;
    case "cell":
      return `${event.ok ? "✓" : "✗"} ${event.stack}: ${event.ok ? "done" : `failed (exit ${event.exitCode}): ${event.message ?? ""}`}`;
    case "outputs":
      return Object.entries(event.outputs)
        .filter(([k]) => k !== "watch") // bookkeeping for ls and attach, not for reading
        .map(([k, v]) => `  ${k}: ${typeof v === "string" ? v : JSON.stringify(v)}`)
        .join("\n");
    case "summary":
      return `  changes: ${
        Object.entries(event.changes)
          .map(([k, v]) => `${k} ${v}`)
          .join(", ") || "none"
      }`;
    case "done":
      return `${event.action} ${event.stack}: done in ${event.seconds.toFixed(1)}s`;
    case "error":
      return undefined; // errors are printed by the command runner on stderr
  }
}
