// What an experiment's stack config holds (program/driver/experiment-stack.ts): the spec, the preset,
// the watch target and the TTL deadline, plain values every `up` compares before writing any; and
// the deadline this `up` gives the endpoint. Pure functions of the plan and the stored values, and
// upConfig, the one place both kinds of `up` (the engine's, and the one answered from the
// checkpoint) decide the deadline and the config to write.
import type { ConfigMap } from "@pulumi/pulumi/automation/index.js";
import type { Plan } from "../spec/index.js";
import { type BackendContext, stateOutputs } from "./checkpoints.js";
import type { WatchTarget } from "../watch/experiment-watch.js";
import { nextTtl, type TtlState } from "./ttl.js";

export const CONFIG_KEYS = {
  spec: "zerostack:spec",
  ttlSeconds: "zerostack:ttlSeconds",
  ttlExpiresAt: "zerostack:ttlExpiresAt",
  preset: "zerostack:preset",
  /** a Pulumi secret: encrypted in the stack's config, never in state, outputs or events */
  hfToken: "zerostack:hfToken",
  /** what a watcher follows (job and endpoint names, the cost model): attach needs nothing else */
  watch: "zerostack:watch",
} as const;

/** The plain keys `up` compares with what it wants before writing any (the token is a secret apart). */
export const COMPARED_KEYS = [
  CONFIG_KEYS.spec,
  CONFIG_KEYS.preset,
  CONFIG_KEYS.watch,
  CONFIG_KEYS.ttlSeconds,
  CONFIG_KEYS.ttlExpiresAt,
] as const;

const TTL_KEYS = [CONFIG_KEYS.ttlSeconds, CONFIG_KEYS.ttlExpiresAt] as const;

export function watchTargetOf(plan: Plan): WatchTarget {
  return {
    trainingJob: plan.training.jobName,
    ...(plan.serving ? { endpoint: plan.serving.endpointName } : {}),
    cost: plan.cost,
  };
}

/** The deadline the stack's config holds, if any. */
export function ttlFrom(config: ConfigMap): TtlState | undefined {
  const seconds = config[CONFIG_KEYS.ttlSeconds]?.value;
  const expiresAt = config[CONFIG_KEYS.ttlExpiresAt]?.value;
  return seconds && expiresAt ? { ttlSeconds: Number(seconds), expiresAt } : undefined;
}

/** The deadline of a teammate's experiment: its state's outputs (this home's config has none). */
export function ttlFromOutputs(outputs: Record<string, unknown>, plan: Plan): TtlState | undefined {
  const expiresAt = outputs.ttlExpiresAt;
  return typeof expiresAt === "string" && plan.serving ? { ttlSeconds: plan.serving.ttlSeconds, expiresAt } : undefined;
}

/** The endpoint's TTL this run gives it: the stored deadline kept, unless the TTL changed or is extended. */
export function ttlOf(
  plan: Plan,
  stored: TtlState | undefined,
  opts: { extendTtl?: boolean; now?: Date },
): TtlState | undefined {
  if (!plan.serving || plan.serving.ttlSeconds <= 0) return undefined;
  return nextTtl(stored, plan.serving.ttlSeconds, opts.now ?? new Date(), opts.extendTtl);
}

/** The plain config values `up` writes for this plan and deadline. */
export function wantedConfig(plan: Plan, ttl: TtlState | undefined): Record<string, string> {
  return {
    [CONFIG_KEYS.spec]: JSON.stringify(plan.spec),
    [CONFIG_KEYS.preset]: plan.spec.preset,
    [CONFIG_KEYS.watch]: JSON.stringify(watchTargetOf(plan)),
    ...(ttl ? { [CONFIG_KEYS.ttlSeconds]: String(ttl.ttlSeconds), [CONFIG_KEYS.ttlExpiresAt]: ttl.expiresAt } : {}),
  };
}

/** What `up` must change in the stored config: the keys to write, and the deadline's keys to drop (no TTL). */
export function configChanges(
  config: ConfigMap,
  plan: Plan,
  ttl: TtlState | undefined,
): { write: Record<string, string> | undefined; remove: string[] } {
  const wanted = wantedConfig(plan, ttl);
  const stale = Object.entries(wanted).some(([key, value]) => config[key]?.value !== value);
  return { write: stale ? wanted : undefined, remove: ttl ? [] : TTL_KEYS.filter((key) => config[key]) };
}

/**
 * The deadline this `up` gives the endpoint and what it must change in the stored config. The stored
 * deadline: this home's config, else the state (a teammate's experiment).
 */
export async function upConfig(
  ctx: BackendContext,
  plan: Plan,
  config: ConfigMap,
  opts: { extendTtl?: boolean; now?: Date },
): Promise<{ ttl: TtlState | undefined; changes: ReturnType<typeof configChanges> }> {
  const stored = ttlFrom(config) ?? ttlFromOutputs(await stateOutputs(ctx, plan.names.stack), plan);
  const ttl = ttlOf(plan, stored, opts);
  return { ttl, changes: configChanges(config, plan, ttl) };
}
