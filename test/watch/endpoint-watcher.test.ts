// The endpoint watcher's last look: stopped from outside (the `up` it watched is done), it reads
// the status once more, so the last status shown is the one the engine left. A stand-in for
// SageMaker answers DescribeEndpoint as the service does (EndpointStatus); the poll interval is
// long, so without the last look the watch would end on the status of its first poll.
import type { SageMakerClient } from "@aws-sdk/client-sagemaker";
import { describe, expect, it } from "vitest";
import type { ProgressEvent } from "../../program/events.js";
import { watchEndpoint } from "../../program/watch/endpoint-watcher.js";

type Answer = (abortSignal?: AbortSignal) => Promise<{ EndpointStatus: string }>;
const sagemaker = (answers: Answer[]) => {
  let calls = 0;
  const client = {
    send: (_command: unknown, options?: { abortSignal?: AbortSignal }) => {
      const answer = answers[Math.min(calls, answers.length - 1)];
      calls++;
      return answer?.(options?.abortSignal);
    },
  };
  return { client: client as unknown as SageMakerClient, calls: () => calls };
};
const status =
  (EndpointStatus: string): Answer =>
  async () => ({ EndpointStatus });
const statuses = (events: ProgressEvent[]) => events.flatMap((e) => (e.type === "endpoint" ? [e.status] : []));

describe("watchEndpoint, stopped from outside", () => {
  it("reads the status once more: InService, not the Creating of its last poll", async () => {
    const { client, calls } = sagemaker([status("Creating"), status("InService")]);
    const events: ProgressEvent[] = [];
    const stop = new AbortController();
    const watching = watchEndpoint(client, "ep", (e) => events.push(e), {
      signal: stop.signal,
      intervalMs: 60_000,
      maxIntervalMs: 60_000,
    });
    await expect.poll(() => statuses(events)).toEqual(["Creating"]);
    stop.abort(); // the `up` is done; the endpoint went InService meanwhile
    expect(await watching).toBe("InService");
    expect(statuses(events)).toEqual(["Creating", "InService"]);
    expect(calls()).toBe(2);
  });

  it("gives up on a last read that does not answer, so an interrupt does not hang", async () => {
    const never: Answer = (abortSignal) =>
      new Promise((_, reject) => abortSignal?.addEventListener("abort", () => reject(abortSignal.reason)));
    const { client } = sagemaker([status("Creating"), never]);
    const stop = new AbortController();
    const events: ProgressEvent[] = [];
    const watching = watchEndpoint(client, "ep", (e) => events.push(e), {
      signal: stop.signal,
      intervalMs: 60_000,
      maxIntervalMs: 60_000,
    });
    await expect.poll(() => statuses(events)).toEqual(["Creating"]);
    stop.abort();
    expect(await watching).toBe("Creating");
  }, 15_000);
});
