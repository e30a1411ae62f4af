// One run (up, attach, preview, destroy) folded from ProgressEvents. Pure; bounded memory
// however long the run: log tails, the Static feed and the loss series all have caps.
import type { ProgressEvent } from "../../program/events.js";
import type { RunState } from "./types.js";

export const LOG_TAIL = 500;
export const FEED_MAX = 2000;
export const LOSS_MAX = 2048;
const DIAGNOSTICS_MAX = 5;
/** Lines of the host a switch reprints into the scrollback. */
const FEED_ON_SWITCH = 20;

export function newRun(stack: string, action: RunState["action"], at: number): RunState {
  return {
    stack,
    action,
    phase: "running",
    startedAt: at,
    resources: [],
    timeline: [],
    hosts: [],
    logs: {},
    selectedHost: 0,
    feed: { gen: 0, items: [] },
    nextLogId: 0,
    loss: [],
    lossStride: 1,
    lossPoints: 0,
    diagnostics: [],
  };
}

const time = (iso: string | undefined, fallback: number) => {
  const t = iso === undefined ? NaN : Date.parse(iso);
  return Number.isNaN(t) ? fallback : t;
};

function addLogs(run: RunState, logs: ProgressEvent[]): RunState {
  const byHost: Record<string, string[]> = {};
  const hosts = [...run.hosts];
  for (const e of logs) {
    if (e.type !== "log") continue;
    if (!hosts.includes(e.host)) hosts.push(e.host);
    const lines = byHost[e.host] ?? [];
    lines.push(e.line);
    byHost[e.host] = lines;
  }
  const merged = { ...run.logs };
  for (const [host, lines] of Object.entries(byHost))
    merged[host] = [...(merged[host] ?? []), ...lines].slice(-LOG_TAIL);
  const selected = hosts[run.selectedHost];
  let { feed, nextLogId } = run;
  const fresh = (selected === undefined ? [] : (byHost[selected] ?? [])).map((line) => ({
    id: nextLogId++,
    host: selected ?? "",
    line,
  }));
  if (fresh.length > 0) {
    feed =
      feed.items.length + fresh.length > FEED_MAX
        ? { gen: feed.gen + 1, items: fresh.slice(-FEED_MAX) }
        : { gen: feed.gen, items: [...feed.items, ...fresh] };
  }
  return { ...run, hosts, logs: merged, feed, nextLogId };
}

function addLoss(run: RunState, values: number[]): RunState {
  let loss = [...run.loss];
  let stride = run.lossStride;
  for (const v of values) {
    loss.push(v);
    if (loss.length >= LOSS_MAX) {
      // keep the whole curve at half the resolution
      loss = loss.filter((_, i) => i % 2 === 1);
      stride *= 2;
    }
  }
  return { ...run, loss, lossStride: stride, lossPoints: run.lossPoints + values.length };
}

function applyOne(run: RunState, e: ProgressEvent, now: number): RunState {
  switch (e.type) {
    case "resource": {
      const row = {
        urn: e.urn,
        name: e.name,
        resourceType: e.resourceType,
        op: e.op,
        status: e.status,
        ...(e.message ? { message: e.message } : {}),
      };
      const i = run.resources.findIndex((r) => r.urn === e.urn);
      const resources = i < 0 ? [...run.resources, row] : run.resources.map((r, j) => (j === i ? row : r));
      return { ...run, resources };
    }
    case "training": {
      const last = run.timeline[run.timeline.length - 1];
      const changed = !last || last.status !== e.status || last.secondaryStatus !== e.secondaryStatus;
      const timeline = changed
        ? [...run.timeline, { status: e.status, secondaryStatus: e.secondaryStatus, at: time(e.at, now) }]
        : run.timeline;
      const reason = "failureReason" in e && typeof e.failureReason === "string" ? e.failureReason : run.failureReason;
      return { ...run, job: e.job, timeline, ...(reason ? { failureReason: reason } : {}) };
    }
    case "endpoint":
      return {
        ...run,
        endpoint: {
          name: e.endpoint,
          status: e.status,
          ...(e.failureReason ? { failureReason: e.failureReason } : {}),
        },
      };
    case "cost":
      return { ...run, costUsd: e.usd };
    case "estimate":
      return { ...run, estimate: { expectedUsd: e.expectedUsd, maxUsd: e.maxUsd } };
    case "outputs":
      return { ...run, outputs: e.outputs };
    case "summary":
      return { ...run, changes: e.changes };
    case "diagnostic":
      return e.severity === "info"
        ? run
        : { ...run, diagnostics: [...run.diagnostics, `${e.severity}: ${e.message}`].slice(-DIAGNOSTICS_MAX) };
    case "done":
      return { ...run, phase: "done", finishedAt: now };
    case "error":
      return {
        ...run,
        phase: "failed",
        finishedAt: now,
        error: e.nextStep ? { message: e.message, nextStep: e.nextStep } : { message: e.message },
      };
    case "stack":
    case "log":
    case "metric":
    case "grid":
    case "cell":
      return run;
  }
}

/** Folds a batch: logs and loss points are appended in one copy each, the rest one by one. */
export function applyEvents(run: RunState, events: ProgressEvent[], now: number): RunState {
  let next = run;
  const logs: ProgressEvent[] = [];
  const loss: number[] = [];
  for (const e of events) {
    if (e.type === "log") logs.push(e);
    else if (e.type === "metric") {
      if (/^(train[_:]?)?loss$/.test(e.name)) loss.push(e.value);
    } else next = applyOne(next, e, now);
  }
  if (logs.length > 0) next = addLogs(next, logs);
  if (loss.length > 0) next = addLoss(next, loss);
  return next;
}

export function switchHost(run: RunState, delta: number): RunState {
  if (run.hosts.length < 2) return run;
  const selectedHost = (run.selectedHost + delta + run.hosts.length) % run.hosts.length;
  const host = run.hosts[selectedHost] ?? "";
  let nextLogId = run.nextLogId;
  const items = (run.logs[host] ?? []).slice(-FEED_ON_SWITCH).map((line) => ({ id: nextLogId++, host, line }));
  return { ...run, selectedHost, nextLogId, feed: { gen: run.feed.gen + 1, items } };
}
