// The one stream of what is happening, shared by the TUI and the CLI. Events carry data,
// never text to print. `--json` writes one event per line; the schema is versioned.

export const EVENT_SCHEMA_VERSION = 1;

export type ResourceOp = "create" | "update" | "replace" | "delete" | "same" | "read" | "refresh";
export type ResourceStatus = "pending" | "running" | "done" | "failed";

type EventBody =
  | { type: "stack"; stack: string; action: "preview" | "up" | "refresh" | "destroy" | "remove"; sandbox: boolean }
  | {
      type: "resource";
      urn: string;
      resourceType: string;
      name: string;
      op: ResourceOp;
      status: ResourceStatus;
      message?: string;
      diffs?: string[];
    }
  | { type: "diagnostic"; severity: "info" | "warning" | "error"; message: string }
  | {
      type: "training";
      job: string;
      status: string;
      secondaryStatus: string;
      at: string;
      billableSeconds?: number;
      failureReason?: string;
    }
  | { type: "log"; host: string; line: string; at: string }
  | { type: "metric"; name: string; value: number; step: number; at?: string }
  | { type: "endpoint"; endpoint: string; status: string; failureReason?: string; at: string }
  | { type: "cost"; usd: number; at: string }
  /** What an experiment is expected to cost before it runs, and its ceiling; `prices` names their source. */
  | { type: "estimate"; stack: string; expectedUsd: number; maxUsd: number; prices: string }
  /** A grid's plan: its cells, how many run at once, and the total expected and ceiling cost. */
  | {
      type: "grid";
      grid: string;
      cells: string[];
      parallel: number;
      expectedUsd: number;
      maxUsd: number;
      note?: string;
    }
  /** How one cell of a grid ended (`stack` names it); the grid's own `done` or `error` comes last. */
  | { type: "cell"; grid: string; stack: string; ok: boolean; exitCode: number; message?: string }
  | { type: "outputs"; outputs: Record<string, unknown> }
  | { type: "summary"; changes: Record<string, number> }
  | { type: "done"; action: string; stack: string; ok: true; seconds: number }
  | { type: "error"; action: string; stack?: string; exitCode: number; message: string; nextStep?: string };

/**
 * Every event may name the stack it is about: the cells of a grid share one stream (`up --zero 2,3
 * --json`), so each of their events carries its cell's stack.
 */
export type ProgressEvent = EventBody & { stack?: string };

export type ProgressEventType = ProgressEvent["type"];

/** A sink for events; the CLI prints them, the TUI reduces them into state. */
export type EventSink = (event: ProgressEvent) => void;

/** The JSON line form: every line carries the schema version. */
export function toJsonLine(event: ProgressEvent): string {
  return JSON.stringify({ v: EVENT_SCHEMA_VERSION, ...event });
}
