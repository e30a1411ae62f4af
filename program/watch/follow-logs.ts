// `zerostack logs`: a training job's log lines, one stream per host. Without --follow it prints
// what exists now; with it, it follows until the job reaches a terminal status and resumes from
// the cursors the last follow of this stack saved.
import { CloudWatchLogsClient } from "@aws-sdk/client-cloudwatch-logs";
import { SageMakerClient } from "@aws-sdk/client-sagemaker";
import { clientSettings } from "../aws/clients.js";
import type { EventSink } from "../events.js";
import { fileCursors, memoryCursors, tailLogs } from "./log-tailer.js";
import { pollInterval } from "./poll.js";
import { TERMINAL_TRAINING, watchTraining } from "./training-watcher.js";

export interface FollowLogsOptions {
  signal: AbortSignal;
  follow: boolean;
  /** with follow: forget the saved cursors and start from the first line */
  fromStart: boolean;
  /** where a follow keeps its cursors */
  cursorFile: string;
  /** only this host, e.g. `algo-2` */
  host?: string;
}

export async function followLogs(trainingJob: string, onEvent: EventSink, options: FollowLogsOptions): Promise<void> {
  const cursors = options.follow ? fileCursors(options.cursorFile) : memoryCursors();
  if (options.follow && options.fromStart) cursors.save({});
  const interval = { ...pollInterval(), signal: options.signal };
  let status = "";
  const following = options.follow
    ? watchTraining(
        new SageMakerClient(clientSettings()),
        trainingJob,
        () => {},
        interval,
        (s) => (status = s.status),
      )
    : Promise.resolve(undefined);
  await tailLogs(new CloudWatchLogsClient(clientSettings()), trainingJob, onEvent, {
    ...interval,
    cursors,
    ...(options.host ? { host: options.host } : {}),
    finished: () => !options.follow || TERMINAL_TRAINING.includes(status),
  });
  await following;
}
