// Every experiment with its status, age, preset, TTL and cost so far. On the file backend the
// checkpoints are read directly (one file per stack, no Pulumi CLI call each), so `ls` stays fast
// with hundreds of stacks; other backends go through the Automation API.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { stateLayout } from "../env/paths.js";
import type { CostEstimate } from "../spec/index.js";
import { costSoFar } from "../watch/cost-so-far.js";
import { type Checkpoint, readFileCheckpoint } from "./checkpoints.js";
import { lockDir, readLocks } from "./locks.js";
import { readStackFiles, s3Backend } from "./s3-checkpoints.js";
import { listStacks } from "./operations.js";
import { PROJECT, selectStack, type DriverContext } from "./workspace.js";
import { BASE_STACK } from "../base/base-names.js";

/**
 * `expired`: past its TTL deadline (the schedule deletes the endpoint then; no AWS call needed to
 * know). `endpoint-gone`: a refresh found the endpoint deleted outside zerostack (e.g. by its TTL).
 */
export type ExperimentStatus =
  | "updating"
  | "failed"
  | "ready"
  | "training-only"
  | "expired"
  | "endpoint-gone"
  | "empty";

export interface ExperimentRow {
  name: string;
  status: ExperimentStatus;
  resourceCount: number;
  /** when the experiment's first `up` created its stack: AGE counts from here */
  createdAt?: string;
  updatedAt?: string;
  preset?: string;
  trainingJobStatus?: string;
  endpointStatus?: string;
  ttlExpiresAt?: string;
  costUsd?: number;
  pendingOperations: number;
}

export interface StackState {
  name: string;
  /** the stack resource's creation time (Pulumi records `created` on every resource) */
  createdAt?: string;
  /** when the endpoint (or, once a refresh dropped it, its config) was created */
  endpointCreatedAt?: string;
  /** the state holds an endpoint resource (a refresh removes one deleted outside zerostack) */
  hasEndpoint: boolean;
  updatedAt?: string;
  resourceCount: number;
  outputs: Record<string, unknown>;
  pendingOperations: number;
  locked: boolean;
}

/** A stack's state as the file backend stores it. */
export function stackStateOf(name: string, file: Checkpoint, locked: boolean): StackState {
  const latest = file.checkpoint?.latest;
  const resources = latest?.resources ?? [];
  const root = resources.find((r) => r.type === "pulumi:pulumi:Stack");
  const of = (kind: string) => resources.find((r) => r.type.endsWith(`:${kind}`));
  const endpoint = of("Endpoint");
  // once a refresh dropped the endpoint, its config (created just before it) dates it
  const endpointCreated = endpoint?.created ?? of("EndpointConfig")?.created;
  const created = resources.map((r) => r.created).filter((c): c is string => typeof c === "string");
  const createdAt = root?.created ?? created.sort()[0];
  return {
    name,
    ...(createdAt ? { createdAt } : {}),
    ...(endpointCreated ? { endpointCreatedAt: endpointCreated } : {}),
    hasEndpoint: endpoint !== undefined,
    ...(latest?.manifest?.time ? { updatedAt: latest.manifest.time } : {}),
    resourceCount: resources.filter((r) => r.type !== "pulumi:pulumi:Stack" && !r.type.startsWith("pulumi:providers:"))
      .length,
    outputs: root?.outputs ?? {},
    pendingOperations: latest?.pending_operations?.length ?? 0,
    locked,
  };
}

/** Pure: the row `ls` and the Stacks screen show for one stack. */
export function experimentRow(state: StackState, now = Date.now()): ExperimentRow {
  const o = state.outputs;
  const text = (v: unknown) => (typeof v === "string" ? v : undefined);
  const watch = o.watch as { cost?: CostEstimate } | undefined;
  const job = text(o.trainingJobStatus);
  const endpoint = text(o.endpointStatus);
  const ttl = text(o.ttlExpiresAt);
  const deadline = ttl ? Date.parse(ttl) : undefined;
  const gone = endpoint !== undefined && !state.hasEndpoint;
  const status: ExperimentStatus = state.locked
    ? "updating"
    : job === "Failed" || endpoint === "Failed"
      ? "failed"
      : state.resourceCount === 0
        ? "empty"
        : endpoint && deadline !== undefined && deadline <= now
          ? "expired"
          : gone
            ? "endpoint-gone"
            : endpoint
              ? "ready"
              : "training-only";
  // The endpoint bills from its creation until now, its TTL deadline, or (found gone by a refresh
  // before the deadline) that refresh: whichever comes first.
  // Times from SageMaker (the endpoint's CreationTime) and the TTL deadline are on one clock, the
  // cloud's (the sandbox's own in sandbox mode); Pulumi's resource times are the wall clock's.
  const updated = state.updatedAt ? Date.parse(state.updatedAt) : now;
  const started = text(o.endpointCreatedAt) || state.endpointCreatedAt || state.createdAt || state.updatedAt || "";
  const billedFrom = Date.parse(started) || now;
  // gone before its deadline: it billed until the refresh that found it gone, at the latest
  const billedUntil = Math.min(
    now,
    deadline ?? now,
    gone && (deadline === undefined || deadline > now) ? updated : now,
  );
  const endpointSeconds = endpoint === "InService" ? Math.max(0, (billedUntil - billedFrom) / 1000) : 0;
  const cost = watch?.cost
    ? costSoFar(watch.cost, {
        trainingBillableSeconds: typeof o.billableSeconds === "number" ? o.billableSeconds : 0,
        endpointSeconds,
      })
    : undefined;
  return {
    name: state.name,
    status,
    resourceCount: state.resourceCount,
    pendingOperations: state.pendingOperations,
    ...(state.createdAt ? { createdAt: state.createdAt } : {}),
    ...(state.updatedAt ? { updatedAt: state.updatedAt } : {}),
    ...(text(o.preset) ? { preset: text(o.preset)! } : {}),
    ...(job ? { trainingJobStatus: job } : {}),
    ...(endpoint ? { endpointStatus: endpoint } : {}),
    ...(ttl ? { ttlExpiresAt: ttl } : {}),
    ...(cost !== undefined ? { costUsd: cost } : {}),
  };
}

function fileBackendDir(ctx: DriverContext): string | undefined {
  const url = stateLayout(ctx.sandbox, ctx.env ?? process.env).backendUrl;
  return url.startsWith("file://") ? url.slice("file://".length) : undefined;
}

/** A stack's outputs straight from its file-backend checkpoint; undefined when there is no such stack. */
export function checkpointOutputs(
  ctx: DriverContext,
  stackName: string,
): Record<string, unknown> | undefined | "not-a-file-backend" {
  const checkpoint = readFileCheckpoint(ctx, stackName, PROJECT);
  if (checkpoint === "not-a-file-backend" || checkpoint === undefined) return checkpoint;
  const state = stackStateOf(stackName, checkpoint, false);
  return Object.keys(state.outputs).length > 0 ? state.outputs : undefined;
}

/** How many operations a killed update left pending, from the file-backend checkpoint (0 without one). */
export function checkpointPending(ctx: DriverContext, stackName: string): number | "not-a-file-backend" {
  const checkpoint = readFileCheckpoint(ctx, stackName, PROJECT);
  if (checkpoint === "not-a-file-backend" || checkpoint === undefined) return checkpoint ?? 0;
  return stackStateOf(stackName, checkpoint, false).pendingOperations;
}

/** `viaEngine` forces the Automation API path (what a non-file backend takes); bench/ compares the two. */
export async function stackStates(ctx: DriverContext, opts: { viaEngine?: boolean } = {}): Promise<StackState[]> {
  const dir = opts.viaEngine ? undefined : fileBackendDir(ctx);
  if (dir) {
    const stacksDir = join(dir, ".pulumi", "stacks", PROJECT);
    if (!existsSync(stacksDir)) return [];
    return readdirSync(stacksDir)
      .filter((f) => f.endsWith(".json"))
      .sort()
      .map((f) => {
        const name = f.slice(0, -".json".length);
        const locked = readLocks(lockDir(ctx, name)!).length > 0;
        return stackStateOf(name, JSON.parse(readFileSync(join(stacksDir, f), "utf8")) as Checkpoint, locked);
      });
  }
  // an S3 backend: the checkpoints straight from the bucket, in parallel (program/driver/s3-checkpoints.ts)
  const s3 = opts.viaEngine ? undefined : s3Backend(stateLayout(ctx.sandbox, ctx.env ?? process.env).backendUrl);
  if (s3) {
    const files = await readStackFiles(s3, PROJECT);
    return files.map((f) => stackStateOf(f.name, f.checkpoint as Checkpoint, f.locked));
  }
  // other backends: each stack's deployment (the checkpoint's shape) through the Automation API
  const listings = await listStacks(ctx);
  return Promise.all(
    listings.map(async (l) => {
      const stack = await selectStack(ctx, l.name, async () => ({}));
      const exported = (await stack.exportStack()).deployment as NonNullable<Checkpoint["checkpoint"]>["latest"];
      const state = stackStateOf(l.name, { checkpoint: { latest: exported ?? {} } }, l.updateInProgress);
      return l.lastUpdate ? { ...state, updatedAt: l.lastUpdate } : state;
    }),
  );
}

/** The experiments: every stack but the account's base stack. */
export async function inventory(
  ctx: DriverContext,
  now = Date.now(),
  opts: { viaEngine?: boolean } = {},
): Promise<ExperimentRow[]> {
  return (await stackStates(ctx, opts)).filter((s) => s.name !== BASE_STACK).map((s) => experimentRow(s, now));
}
