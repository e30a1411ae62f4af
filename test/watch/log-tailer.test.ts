// The log tailer's end: once the job is finished, one whole pass that finds nothing new ends it. A
// job that ends during a pass (or whose status comes in during the first one) gets that last pass
// at once, not a poll interval later. The stand-in answers as CloudWatch Logs does: GetLogEvents
// from the head, or from a forward token, and the same token again at the end of the stream.
import { DescribeLogStreamsCommand, GetLogEventsCommand } from "@aws-sdk/client-cloudwatch-logs";
import type { CloudWatchLogsClient } from "@aws-sdk/client-cloudwatch-logs";
import { describe, expect, it } from "vitest";
import type { ProgressEvent } from "../../program/events.js";
import { memoryCursors, tailLogs } from "../../program/watch/log-tailer.js";

function logs(lines: string[], onDescribe: (call: number) => void) {
  let describes = 0;
  const client = {
    send: async (command: unknown) => {
      if (command instanceof DescribeLogStreamsCommand) {
        onDescribe(++describes);
        return { logStreams: [{ logStreamName: "job/algo-1-1700000000" }] };
      }
      if (command instanceof GetLogEventsCommand) {
        const from = Number(command.input.nextToken?.slice(2) ?? 0);
        const events = lines.slice(from).map((message, i) => ({ message, timestamp: 1_700_000_000_000 + from + i }));
        return { events, nextForwardToken: `f/${lines.length}` };
      }
      throw new Error(`unexpected ${String(command)}`);
    },
  };
  return { client: client as unknown as CloudWatchLogsClient, describes: () => describes };
}

describe("tailLogs", () => {
  it("reads the last lines and ends at once when the job ends during a pass", async () => {
    const lines = ["step 1", "step 2"];
    let finished = false;
    const { client, describes } = logs(lines, (call) => {
      if (call === 1) {
        finished = true; // the job ends while the first pass reads, and writes one more line
        lines.push("done");
      }
    });
    const events: ProgressEvent[] = [];
    const started = Date.now();
    await tailLogs(client, "job", (e) => events.push(e), {
      signal: new AbortController().signal,
      intervalMs: 60_000,
      maxIntervalMs: 60_000,
      cursors: memoryCursors(),
      finished: () => finished,
    });
    expect(events.flatMap((e) => (e.type === "log" ? [`${e.host} ${e.line}`] : []))).toEqual([
      "algo-1 step 1",
      "algo-1 step 2",
      "algo-1 done",
    ]);
    expect(describes()).toBe(2); // the pass that read the lines, then the one that found none
    expect(Date.now() - started).toBeLessThan(30_000); // not a poll interval (60 s) later
  });

  it("keeps polling while the job runs", async () => {
    const lines = ["step 1"];
    const stop = new AbortController();
    const { client } = logs(lines, (call) => {
      if (call === 3) stop.abort();
    });
    await tailLogs(client, "job", () => {}, {
      signal: stop.signal,
      intervalMs: 1,
      maxIntervalMs: 1,
      finished: () => false,
    });
    expect(stop.signal.aborted).toBe(true);
  });
});
