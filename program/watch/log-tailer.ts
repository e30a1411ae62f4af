// Tails a training job's CloudWatch log streams, one per host (`<job>/algo-<n>-<epoch>`).
// Each stream keeps its own forward token; tokens are saved after every page, so a tailer that
// reconnects, or a new process that resumes from the saved cursor, prints every line once.
import {
  type CloudWatchLogsClient,
  DescribeLogStreamsCommand,
  GetLogEventsCommand,
} from "@aws-sdk/client-cloudwatch-logs";
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import type { EventSink } from "../events.js";
import { poll, type PollOptions } from "./poll.js";

export const LOG_GROUP = "/aws/sagemaker/TrainingJobs";

/** `job/algo-2-1700000000` -> `algo-2` */
export function hostOfStream(stream: string): string {
  const tail = stream.split("/").at(-1) ?? stream;
  return /^(algo-\d+)/.exec(tail)?.[1] ?? tail;
}

export interface CursorStore {
  load(): Record<string, string>;
  save(cursors: Record<string, string>): void;
}

export const memoryCursors = (): CursorStore => {
  let saved: Record<string, string> = {};
  return {
    load: () => ({ ...saved }),
    save: (c) => {
      saved = { ...c };
    },
  };
};

export function fileCursors(path: string): CursorStore {
  return {
    load() {
      try {
        return JSON.parse(readFileSync(path, "utf8")) as Record<string, string>;
      } catch {
        return {};
      }
    },
    save(cursors) {
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(`${path}.tmp`, JSON.stringify(cursors));
      renameSync(`${path}.tmp`, path);
    },
  };
}

export interface TailOptions extends PollOptions {
  /** only this host's stream (e.g. algo-2) */
  host?: string;
  cursors?: CursorStore;
  /** stop once this returns true and a last pass found nothing new (e.g. the job finished) */
  finished?: () => boolean;
}

export async function tailLogs(
  client: CloudWatchLogsClient,
  job: string,
  sink: EventSink,
  opts: TailOptions,
): Promise<void> {
  const store = opts.cursors ?? memoryCursors();
  const cursors = store.load();
  /** Reads every stream from its cursor to its end; the number of lines read. */
  const pass = async (): Promise<number> => {
    const streams = await client
      .send(new DescribeLogStreamsCommand({ logGroupName: LOG_GROUP, logStreamNamePrefix: `${job}/` }))
      .catch((error: Error) => {
        if (error.name === "ResourceNotFoundException") return { logStreams: [] };
        throw error;
      });
    let lines = 0;
    const names = (streams.logStreams ?? [])
      .map((s) => s.logStreamName ?? "")
      .filter((n) => n && (!opts.host || hostOfStream(n) === opts.host))
      .sort();
    for (const stream of names) {
      const host = hostOfStream(stream);
      for (;;) {
        const token = cursors[stream];
        const page = await client.send(
          new GetLogEventsCommand({
            logGroupName: LOG_GROUP,
            logStreamName: stream,
            startFromHead: true,
            ...(token ? { nextToken: token } : {}),
          }),
        );
        for (const e of page.events ?? []) {
          sink({ type: "log", host, line: e.message ?? "", at: new Date(e.timestamp ?? Date.now()).toISOString() });
          lines += 1;
        }
        const next = page.nextForwardToken;
        const moved = next && next !== token;
        if (next) cursors[stream] = next;
        store.save(cursors);
        if (!moved || (page.events ?? []).length === 0) break;
      }
    }
    return lines;
  };
  await poll(async () => {
    for (;;) {
      const finishedBefore = opts.finished?.() ?? false;
      const lines = await pass();
      if (finishedBefore && lines === 0) return true; // a whole pass after the end found nothing more
      // once the job has ended nothing is worth waiting for: the next pass runs now, until one finds
      // nothing (the job may end during a pass, or its status come in during the first one)
      if (!(opts.finished?.() ?? false)) return lines > 0 ? "progress" : false;
    }
  }, opts);
}
