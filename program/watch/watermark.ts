// An experiment's watermark: how far any `up` or `attach` of it has streamed (the log cursors of
// its training job, and how many loss lines it has numbered). The next `up` or `attach` starts
// there, so a finished job's history (tens of thousands of lines on a real job: minutes of
// GetLogEvents) is never replayed and a --json consumer never sees the same metric twice.
// `attach --from-start` and `logs` give the whole history when asked.
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import type { CursorStore } from "./log-tailer.js";
import { MetricCounter } from "./metrics.js";

export interface WatermarkFile {
  trainingJob: string;
  cursors: Record<string, string>;
  /** loss lines numbered so far (the metric step) */
  steps: number;
}

export interface Watermark {
  cursors: CursorStore;
  metrics: MetricCounter;
}

function read(path: string): WatermarkFile | undefined {
  try {
    return JSON.parse(readFileSync(path, "utf8")) as WatermarkFile;
  } catch {
    return undefined;
  }
}

/**
 * The watermark of `trainingJob` kept at `path` (a new job starts from nothing). Cursors and the
 * metric step are saved together after each page of log lines, once that page's events are out.
 */
export function fileWatermark(path: string, trainingJob: string, fromStart = false): Watermark {
  const saved = fromStart ? undefined : read(path);
  const current = saved?.trainingJob === trainingJob ? saved : undefined;
  const metrics = new MetricCounter(current?.steps ?? 0);
  const cursors: CursorStore = {
    load: () => ({ ...(current?.cursors ?? {}) }),
    save(next) {
      const file: WatermarkFile = { trainingJob, cursors: next, steps: metrics.steps };
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(`${path}.tmp`, JSON.stringify(file));
      renameSync(`${path}.tmp`, path);
    },
  };
  return { cursors, metrics };
}
