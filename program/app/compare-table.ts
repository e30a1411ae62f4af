// `compare` and the TUI's Compare screen, the pure part: experiments' events -> one row each
// (status, losses, throughput, time, cost), the axes that differ, loss series aligned on step,
// and their text forms (table, CSV, an overlaid plot whose series differ by marker, not colour).
import type { ProgressEvent } from "../events.js";
import type { LossPoint } from "./loss-plot.js";
import { MetricCounter, parseMetricLine } from "../watch/metrics.js";

export type { LossPoint } from "./loss-plot.js";

export interface CompareRow {
  stack: string;
  /** every axis value of the experiment, by axis (zero, nodes, backend, trainInstance, lr, epochs) */
  axes: Record<string, string>;
  status: string;
  finalLoss?: number;
  bestLoss?: number;
  evalLoss?: number;
  samplesPerSecond?: number;
  tokensPerSecond?: number;
  /** tokens/s derived from samples/s and the padded sequence length (the job logged none) */
  tokensEstimated?: boolean;
  billableSeconds?: number;
  costUsd?: number;
  /** one invoke's round trip, when an endpoint was up */
  latencyMs?: number;
  failureReason?: string;
  loss: LossPoint[];
}

export interface CompareResult {
  /** the axes whose values differ between the rows: the table's leading columns */
  differing: string[];
  rows: CompareRow[];
}

export const AXIS_LABELS: Record<string, string> = {
  zero: "ZERO",
  nodes: "NODES",
  backend: "BACKEND",
  trainInstance: "TRAIN INSTANCE",
  lr: "LR",
  epochs: "EPOCHS",
};

/** What is known beside the events: the axes (from the spec), cost so far, the invoke's latency. */
export interface RowFacts {
  axes: Record<string, string>;
  status?: string;
  costUsd?: number;
  latencyMs?: number;
  /** token positions one example feeds the model (padding included), for a tokens/s estimate */
  tokensPerSample?: number;
}

/** Throughput a log line reports: HF's summary dict, or the payload's `throughput {json}` line. */
export function throughputOf(line: string): { samplesPerSecond?: number; tokensPerSecond?: number } | undefined {
  const json = /throughput (\{.*\})\s*$/.exec(line)?.[1];
  if (json) {
    try {
      const doc = JSON.parse(json) as Record<string, unknown>;
      const num = (k: string) => (typeof doc[k] === "number" ? (doc[k] as number) : undefined);
      const samples = num("samples_per_s");
      const perGpu = num("tokens_per_s_per_gpu");
      const world = num("world_size") ?? 1;
      return {
        ...(samples !== undefined ? { samplesPerSecond: samples } : {}),
        ...(perGpu !== undefined ? { tokensPerSecond: perGpu * world } : {}),
      };
    } catch {
      return undefined;
    }
  }
  const samples = /'train_samples_per_second':\s*'?([0-9.eE+-]+)'?/.exec(line)?.[1];
  const tokens = /'train_tokens_per_second':\s*'?([0-9.eE+-]+)'?/.exec(line)?.[1];
  if (samples === undefined && tokens === undefined) return undefined;
  return {
    ...(samples !== undefined && Number.isFinite(Number(samples)) ? { samplesPerSecond: Number(samples) } : {}),
    ...(tokens !== undefined && Number.isFinite(Number(tokens)) ? { tokensPerSecond: Number(tokens) } : {}),
  };
}

const isLoss = (name: string) => /^(train[_:]?)?loss$/.test(name) && name !== "train_loss";

/**
 * One experiment's row from its events: training status and billable seconds from `training`,
 * loss from `metric` events (or, when there are none, from rank 0's log lines), throughput from
 * the log, cost from `cost`. The same derivation serves `compare` (events rebuilt from the job's
 * record and log) and the TUI (events it received).
 */
export function rowFromEvents(stack: string, events: readonly ProgressEvent[], facts: RowFacts): CompareRow {
  let training: string | undefined;
  let billableSeconds: number | undefined;
  let failureReason: string | undefined;
  let costUsd = facts.costUsd;
  let evalLoss: number | undefined;
  let samplesPerSecond: number | undefined;
  let tokensPerSecond: number | undefined;
  const fromMetrics: LossPoint[] = [];
  const fromLogs: LossPoint[] = [];
  const counter = new MetricCounter();
  let logEval: number | undefined;
  for (const e of events) {
    switch (e.type) {
      case "training":
        training = e.status;
        if (e.billableSeconds !== undefined) billableSeconds = e.billableSeconds;
        if (e.failureReason) failureReason = e.failureReason;
        break;
      case "metric":
        if (isLoss(e.name)) fromMetrics.push({ step: e.step, value: e.value });
        else if (e.name === "eval_loss") evalLoss = e.value;
        break;
      case "cost":
        costUsd = e.usd;
        break;
      case "log": {
        const t = throughputOf(e.line);
        if (t?.samplesPerSecond !== undefined) samplesPerSecond = t.samplesPerSecond;
        if (t?.tokensPerSecond !== undefined) tokensPerSecond = t.tokensPerSecond;
        if (e.host !== "algo-1") break;
        const parsed = parseMetricLine(e.line);
        if (!parsed) break;
        const { step, values } = counter.next(parsed);
        if (values.loss !== undefined) fromLogs.push({ step, value: values.loss });
        if (values.eval_loss !== undefined) logEval = values.eval_loss;
        break;
      }
      default:
        break;
    }
  }
  const loss = fromMetrics.length > 0 ? fromMetrics : fromLogs;
  // a job that did not complete says more than the stack's status; a completed one, less
  const status = training && training !== "Completed" ? training : (facts.status ?? training ?? "unknown");
  evalLoss ??= logEval;
  const estimated = tokensPerSecond === undefined && samplesPerSecond !== undefined && facts.tokensPerSample;
  if (estimated) tokensPerSecond = samplesPerSecond! * facts.tokensPerSample!;
  const values = loss.map((p) => p.value);
  return {
    stack,
    axes: facts.axes,
    status,
    ...(values.length > 0 ? { finalLoss: values[values.length - 1]!, bestLoss: Math.min(...values) } : {}),
    ...(evalLoss !== undefined ? { evalLoss } : {}),
    ...(samplesPerSecond !== undefined ? { samplesPerSecond } : {}),
    ...(tokensPerSecond !== undefined ? { tokensPerSecond } : {}),
    ...(estimated ? { tokensEstimated: true } : {}),
    ...(billableSeconds !== undefined ? { billableSeconds } : {}),
    ...(costUsd !== undefined ? { costUsd } : {}),
    ...(facts.latencyMs !== undefined ? { latencyMs: facts.latencyMs } : {}),
    ...(failureReason ? { failureReason } : {}),
    loss,
  };
}

/** The axes whose value is not the same in every row, in the order the first row lists them. */
export function differingAxes(rows: readonly CompareRow[]): string[] {
  const keys = [...new Set(rows.flatMap((r) => Object.keys(r.axes)))];
  return keys.filter((k) => new Set(rows.map((r) => r.axes[k] ?? "")).size > 1);
}

export function compareResult(rows: CompareRow[]): CompareResult {
  return { differing: differingAxes(rows), rows };
}

/**
 * Loss series aligned on step: the union of every series' steps, and each series' value at each
 * of them (null where it logged none).
 */
export function alignSeries(series: ReadonlyArray<readonly LossPoint[]>): {
  steps: number[];
  values: Array<Array<number | null>>;
} {
  const steps = [...new Set(series.flatMap((s) => s.map((p) => p.step)))].sort((a, b) => a - b);
  const index = new Map(steps.map((s, i) => [s, i]));
  const values = series.map((s) => {
    const row: Array<number | null> = steps.map(() => null);
    for (const p of s) row[index.get(p.step)!] = p.value;
    return row;
  });
  return { steps, values };
}

const fixed = (n: number | undefined, digits: number) => (n === undefined ? "-" : n.toFixed(digits));
const seconds = (s: number | undefined) => (s === undefined ? "-" : `${Math.round(s)}s`);

/** The table's header and cells, as text (CLI table, CSV and the TUI share it). */
export function tableCells(result: CompareResult, opts: { csv?: boolean } = {}): string[][] {
  const header = [
    "STACK",
    ...result.differing.map((a) => AXIS_LABELS[a] ?? a.toUpperCase()),
    "STATUS",
    "FINAL LOSS",
    "BEST LOSS",
    "EVAL LOSS",
    "SAMPLES/S",
    "TOKENS/S",
    "BILLABLE",
    "COST",
    "LATENCY",
  ];
  const rows = result.rows.map((r) => [
    r.stack,
    ...result.differing.map((a) => r.axes[a] ?? "-"),
    r.status,
    fixed(r.finalLoss, 4),
    fixed(r.bestLoss, 4),
    fixed(r.evalLoss, 4),
    fixed(r.samplesPerSecond, 1),
    r.tokensPerSecond === undefined
      ? "-"
      : `${opts.csv ? "" : r.tokensEstimated ? "~" : ""}${r.tokensPerSecond.toFixed(0)}`,
    opts.csv ? (r.billableSeconds === undefined ? "" : String(r.billableSeconds)) : seconds(r.billableSeconds),
    r.costUsd === undefined ? "-" : opts.csv ? r.costUsd.toFixed(4) : `$${r.costUsd.toFixed(2)}`,
    r.latencyMs === undefined ? "-" : opts.csv ? String(Math.round(r.latencyMs)) : `${Math.round(r.latencyMs)}ms`,
  ]);
  return [header, ...rows];
}

export function formatTable(cells: string[][]): string {
  const widths = cells[0]!.map((_, i) => Math.max(...cells.map((row) => (row[i] ?? "").length)));
  return cells
    .map((row) =>
      row
        .map((c, i) => c.padEnd(widths[i]!))
        .join("  ")
        .trimEnd(),
    )
    .join("\n");
}

const csvCell = (c: string) => (/[",\n]/.test(c) ? `"${c.replaceAll('"', '""')}"` : c);

/** CSV for spreadsheets: axes, the figures in plain units, no `-` for missing values. */
export function formatCsv(result: CompareResult): string {
  const cells = tableCells(result, { csv: true }).map((row, i) =>
    i === 0 ? row.map((h) => h.toLowerCase().replaceAll(" ", "_").replace("/", "_per_")) : row,
  );
  return cells.map((row) => row.map((c) => csvCell(c === "-" ? "" : c)).join(",")).join("\n");
}

/** Markers that tell series apart without colour (NO_COLOR, a monochrome terminal). */
export { legend, markerOf, MARKERS, plotSeries } from "./loss-plot.js";
