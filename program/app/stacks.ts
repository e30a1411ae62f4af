// What the Stacks screen shows about each experiment, read from the stack itself: the listing
// (status, age), its config (spec, preset, TTL deadline) and outputs (billable training time).
import type { Stack } from "@pulumi/pulumi/automation/index.js";
import type { StackStatus, StackSummary } from "../../tui/backend.js";
import { CONFIG_KEYS } from "../driver/experiment-stack.js";
import { listStacks, type StackListing } from "../driver/operations.js";
import { selectStack, type DriverContext } from "../driver/workspace.js";
import { derivePlan, parseSpec } from "../spec/index.js";

const noProgram = async () => ({});
/** Stacks read at once: each read runs the Pulumi CLI a few times. */
const PARALLEL = 4;

export interface StackDetails {
  config: Record<string, string>;
  outputs: Record<string, unknown>;
  lastResult?: string;
}

export async function readStack(ctx: DriverContext, name: string): Promise<{ stack: Stack; details: StackDetails }> {
  const stack = await selectStack(ctx, name, noProgram);
  const [config, outputs, history] = await Promise.all([stack.getAllConfig(), stack.outputs(), stack.history(1).catch(() => [])]);
  return {
    stack,
    details: {
      config: Object.fromEntries(Object.entries(config).map(([k, v]) => [k, v.value])),
      outputs: Object.fromEntries(Object.entries(outputs).map(([k, v]) => [k, v.secret ? "[secret]" : v.value])),
      ...(history[0] ? { lastResult: history[0].result } : {}),
    },
  };
}

/** Training billed so far: BillableTimeInSeconds x instances x the on-demand rate of the spec. */
export function trainingCostSoFar(details: StackDetails): number | undefined {
  const seconds = details.outputs.billableSeconds;
  const specJson = details.config[CONFIG_KEYS.spec];
  if (typeof seconds !== "number" || !specJson) return undefined;
  try {
    const { cost } = derivePlan(parseSpec(JSON.parse(specJson)));
    return Math.round((seconds / 3600) * cost.training.usdPerInstanceHour * cost.training.instances * 100) / 100;
  } catch {
    return undefined; // a spec stored by an older version: no figure rather than a wrong one
  }
}

export function statusOf(listing: StackListing, details: StackDetails | undefined): StackStatus {
  if (listing.updateInProgress) return "updating";
  if (!details) return "unknown";
  const failed = details.lastResult === "failed" || details.outputs.trainingJobStatus === "Failed" || details.outputs.endpointStatus === "Failed";
  if (failed) return "failed";
  return listing.resourceCount === 0 ? "empty" : "ready";
}

export function summarize(listing: StackListing, details: StackDetails | undefined): StackSummary {
  const preset = details?.config[CONFIG_KEYS.preset];
  const ttl = details?.config[CONFIG_KEYS.ttlExpiresAt];
  const ttlOut = details?.outputs.ttlExpiresAt;
  const cost = details ? trainingCostSoFar(details) : undefined;
  return {
    name: listing.name,
    status: statusOf(listing, details),
    resourceCount: listing.resourceCount,
    ...(listing.lastUpdate ? { updatedAt: listing.lastUpdate } : {}),
    ...(preset ? { preset } : {}),
    ...(typeof ttlOut === "string" ? { ttlExpiresAt: ttlOut } : ttl ? { ttlExpiresAt: ttl } : {}),
    ...(cost !== undefined ? { costUsd: cost } : {}),
  };
}

export async function stackSummaries(ctx: DriverContext): Promise<StackSummary[]> {
  const listings = await listStacks(ctx);
  const out: StackSummary[] = [];
  for (let i = 0; i < listings.length; i += PARALLEL) {
    const chunk = listings.slice(i, i + PARALLEL);
    const details = await Promise.all(chunk.map((l) => readStack(ctx, l.name).then((r) => r.details, () => undefined)));
    chunk.forEach((l, j) => out.push(summarize(l, details[j])));
  }
  return out.sort((a, b) => (b.updatedAt ?? "").localeCompare(a.updatedAt ?? ""));
}
