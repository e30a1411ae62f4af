// Follows a training job: one `training` event per secondary-status transition (so a watcher
// that attaches late replays the timeline), then the terminal status. Waits for a job that
// does not exist yet (an `up` in another process may not have created it).
import {
  DescribeTrainingJobCommand,
  type DescribeTrainingJobCommandOutput,
  type SageMakerClient,
} from "@aws-sdk/client-sagemaker";
import type { EventSink } from "../events.js";
import { isNotFound } from "../providers/lifecycle.js";
import { poll, type PollOptions } from "./poll.js";

export const TERMINAL_TRAINING = ["Completed", "Failed", "Stopped"];
const TERMINAL_SECONDARY = [
  "Completed",
  "Failed",
  "Stopped",
  "MaxRuntimeExceeded",
  "MaxWaitTimeExceeded",
  "Interrupted",
];

export interface TrainingSnapshot {
  status: string;
  billableSeconds: number;
  failureReason?: string;
  finalMetrics: Record<string, number>;
}

export async function watchTraining(
  client: SageMakerClient,
  job: string,
  sink: EventSink,
  opts: PollOptions,
  onSnapshot?: (s: TrainingSnapshot) => void,
): Promise<TrainingSnapshot | undefined> {
  let seen = 0;
  let lastStatus = "";
  let snapshot: TrainingSnapshot | undefined;
  await poll(async () => {
    let described: DescribeTrainingJobCommandOutput;
    try {
      described = await client.send(new DescribeTrainingJobCommand({ TrainingJobName: job }));
    } catch (error) {
      if (isNotFound(error)) return false;
      throw error;
    }
    const status = described.TrainingJobStatus ?? "Unknown";
    const transitions = described.SecondaryStatusTransitions ?? [];
    let progressed = false;
    for (const t of transitions.slice(seen)) {
      // the terminal transition is reported once, with the job's final status, below
      if (TERMINAL_SECONDARY.includes(t.Status ?? "")) continue;
      sink({
        type: "training",
        job,
        status: "InProgress",
        secondaryStatus: t.Status ?? "",
        at: (t.StartTime ?? new Date()).toISOString(),
      });
      progressed = true;
    }
    seen = transitions.length;
    snapshot = {
      status,
      billableSeconds: described.BillableTimeInSeconds ?? 0,
      ...(described.FailureReason ? { failureReason: described.FailureReason } : {}),
      finalMetrics: Object.fromEntries(
        (described.FinalMetricDataList ?? []).map((m) => [m.MetricName ?? "", m.Value ?? 0]),
      ),
    };
    onSnapshot?.(snapshot);
    if (status !== lastStatus && TERMINAL_TRAINING.includes(status)) {
      sink({
        type: "training",
        job,
        status,
        secondaryStatus: described.SecondaryStatus ?? status,
        at: (described.TrainingEndTime ?? new Date()).toISOString(),
        billableSeconds: snapshot.billableSeconds,
        ...(snapshot.failureReason ? { failureReason: snapshot.failureReason } : {}),
      });
    }
    lastStatus = status;
    if (TERMINAL_TRAINING.includes(status)) return true;
    return progressed ? "progress" : false;
  }, opts);
  return snapshot;
}
