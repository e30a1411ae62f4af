// Follows an endpoint's status: one `endpoint` event per change; "Absent" while it does not exist.
import { DescribeEndpointCommand, type SageMakerClient } from "@aws-sdk/client-sagemaker";
import type { EventSink } from "../events.js";
import { isNotFound } from "../providers/lifecycle.js";
import { poll, type PollOptions } from "./poll.js";

/** How long the last read may take before the watch gives up on it (an interrupt must not hang). */
const LAST_LOOK_MS = 5000;

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
  const step = async (abortSignal?: AbortSignal) => {
    let status = "Absent";
    let failureReason: string | undefined;
    try {
      const d = await client.send(new DescribeEndpointCommand({ EndpointName: endpoint }), { abortSignal });
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
  };
  await poll(() => step(), opts);
  // stopped from outside (the `up` it watched is done, or an interrupt): one last read, so the last
  // status shown is the one the engine left, not the one of the poll before (up to a backed-off
  // interval old: "Creating" after an `up` that waited for InService)
  if (opts.signal.aborted)
    await step(AbortSignal.timeout(LAST_LOOK_MS)).catch((error: unknown) => opts.onError?.(error));
  return last;
}
