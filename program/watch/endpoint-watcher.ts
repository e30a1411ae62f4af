// Follows an endpoint's status: one `endpoint` event per change; "Absent" while it does not exist.
import { DescribeEndpointCommand, type SageMakerClient } from "@aws-sdk/client-sagemaker";
import type { EventSink } from "../events.js";
import { isNotFound } from "../providers/lifecycle.js";
import { poll, type PollOptions } from "./poll.js";

export async function watchEndpoint(
  client: SageMakerClient,
  endpoint: string,
  sink: EventSink,
  opts: PollOptions & {
    until?: (status: string) => boolean | Promise<boolean>;
    onStatus?: (status: string, at: Date) => void;
  },
): Promise<string> {
  let last = "";
  await poll(async () => {
    let status = "Absent";
    let failureReason: string | undefined;
    try {
      const d = await client.send(new DescribeEndpointCommand({ EndpointName: endpoint }));
      status = d.EndpointStatus ?? "Unknown";
      failureReason = d.FailureReason;
    } catch (error) {
      if (!isNotFound(error)) throw error;
    }
    const changed = status !== last;
    if (changed) {
      const at = new Date();
      sink({ type: "endpoint", endpoint, status, ...(failureReason ? { failureReason } : {}), at: at.toISOString() });
      opts.onStatus?.(status, at);
    }
    last = status;
    if (await opts.until?.(status)) return true;
    return changed ? "progress" : false;
  }, opts);
  return last;
}
