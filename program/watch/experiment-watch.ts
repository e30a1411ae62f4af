// Every watcher of one experiment merged into the one ProgressEvent stream: training status,
// logs per host, metrics from the loss lines, endpoint status and cost ticks. Works for an
// experiment whose `up` runs in this process, in another one, or in one that died.
import { CloudWatchLogsClient } from "@aws-sdk/client-cloudwatch-logs";
import { SageMakerClient } from "@aws-sdk/client-sagemaker";
import { clientSettings, type RetryReport, reportRetries, retryMessage } from "../aws/clients.js";
import type { EventSink } from "../events.js";
import type { CostEstimate } from "../spec/index.js";
import { costSoFar } from "./cost-so-far.js";
import { watchEndpoint } from "./endpoint-watcher.js";
import { memoryCursors, tailLogs } from "./log-tailer.js";
import { MetricCounter, parseMetricLine } from "./metrics.js";
import { pollInterval, sleep } from "./poll.js";
import { TERMINAL_TRAINING, watchTraining } from "./training-watcher.js";
import type { Watermark } from "./watermark.js";

export interface WatchTarget {
  trainingJob: string;
  endpoint?: string;
  cost: CostEstimate;
}

export interface WatchOptions {
  signal: AbortSignal;
  /** keep following the endpoint until it settles (attach); `up` stops the watch itself */
  untilSettled: boolean;
  /**
   * Whether an `up` still runs on the stack (a live lock). With untilSettled, a watch whose training
   * ended and whose endpoint does not exist stops once no update runs: nothing more will come.
   */
  updating?: () => Promise<boolean>;
  /** where to start and what to keep (program/watch/watermark.ts); from the first line without one */
  watermark?: Watermark;
  /** rank 0's host: the HF Trainer logs metrics there only */
  metricsHost?: string;
  costTickMs?: number;
}

const SETTLED_ENDPOINT = ["InService", "Failed"];

export interface Watching {
  /** the training job reached a terminal status and its last log lines were read */
  trainingDone: Promise<void>;
  /** every watcher stopped */
  done: Promise<void>;
}

export function watchExperiment(target: WatchTarget, sink: EventSink, opts: WatchOptions): Watching {
  const settings = clientSettings();
  // the SDK retries throttled and transient failures; each retried call is a diagnostic, not an error
  const retried = (report: RetryReport) =>
    sink({ type: "diagnostic", severity: "info", message: retryMessage(report) });
  const sagemaker = reportRetries(new SageMakerClient(settings), retried);
  const logs = reportRetries(new CloudWatchLogsClient(settings), retried);
  const interval = pollInterval();
  const inner = new AbortController();
  const stop = () => inner.abort();
  opts.signal.addEventListener("abort", stop, { once: true });
  const pollOpts = { ...interval, signal: inner.signal };

  let trainingStatus = "";
  let billable = 0;
  let inServiceSince: Date | undefined;
  let endpointSeconds = 0;
  const metrics = opts.watermark?.metrics ?? new MetricCounter();
  const metricsHost = opts.metricsHost ?? "algo-1";
  const logSink: EventSink = (event) => {
    sink(event);
    if (event.type !== "log" || event.host !== metricsHost) return;
    const parsed = parseMetricLine(event.line);
    if (!parsed) return;
    const { step, values } = metrics.next(parsed);
    for (const [name, value] of Object.entries(values)) sink({ type: "metric", name, value, step, at: event.at });
  };

  const training = watchTraining(sagemaker, target.trainingJob, sink, pollOpts, (s) => {
    trainingStatus = s.status;
    billable = s.billableSeconds;
  });
  const tail = tailLogs(logs, target.trainingJob, logSink, {
    ...pollOpts,
    cursors: opts.watermark?.cursors ?? memoryCursors(),
    finished: () => TERMINAL_TRAINING.includes(trainingStatus),
  });
  const endpoint = target.endpoint
    ? watchEndpoint(sagemaker, target.endpoint, sink, {
        ...pollOpts,
        until: async (status) => {
          if (!opts.untilSettled) return false;
          if (SETTLED_ENDPOINT.includes(status) || ["Failed", "Stopped"].includes(trainingStatus)) return true;
          // trained, no endpoint, and no update running: its up failed, or serving is off now
          return (
            status === "Absent" &&
            TERMINAL_TRAINING.includes(trainingStatus) &&
            opts.updating !== undefined &&
            !(await opts.updating())
          );
        },
        onStatus: (status, at) => {
          if (inServiceSince) endpointSeconds += (at.getTime() - inServiceSince.getTime()) / 1000;
          inServiceSince = status === "InService" ? at : undefined;
        },
      })
    : Promise.resolve("");

  let lastUsd = -1;
  const tickCost = () => {
    const live = inServiceSince ? (Date.now() - inServiceSince.getTime()) / 1000 : 0;
    const usd = costSoFar(target.cost, { trainingBillableSeconds: billable, endpointSeconds: endpointSeconds + live });
    if (usd !== lastUsd) sink({ type: "cost", usd, at: new Date().toISOString() });
    lastUsd = usd;
  };
  const ticker = (async () => {
    while (!inner.signal.aborted) {
      await sleep(opts.costTickMs ?? 2000, inner.signal);
      tickCost();
    }
  })();

  const trainingDone = Promise.all([training, tail]).then(() => undefined);
  const done = (async () => {
    await trainingDone;
    if (opts.untilSettled) {
      await endpoint;
      tickCost();
      inner.abort();
    }
    await Promise.all([endpoint, ticker]);
    tickCost();
    opts.signal.removeEventListener("abort", stop);
  })();
  return { trainingDone, done };
}
