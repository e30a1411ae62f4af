// One experiment's stack: its config holds the spec (plain JSON) and the TTL deadline; up runs
// experiment(plan); destroy needs no spec at all. Stale state a killed process left behind
// (pending operations, a lock held by a dead process) is cleared first, so a re-run converges.
import { mkdirSync } from "node:fs";
import type { ConfigMap, Stack } from "@pulumi/pulumi/automation/index.js";
import { payloadDir, watermarkFile } from "../env/paths.js";
import type { Plan } from "../spec/index.js";
import type { BaseOutputs } from "../base/outputs.js";
import { hfTokenHash } from "../providers/hf-token-secret.js";
import { stateOutputs } from "./checkpoints.js";
import { checkpointPending, inventory } from "./inventory.js";
import { clearStaleLocks } from "./locks.js";
import { destroy, type OperationOptions, preview, refresh, runUp } from "./operations.js";
import { startDynamicProviderPlugin, type StartedPlugin } from "./provider-plugin.js";
import type { TtlState } from "./ttl.js";
import { COMPARED_KEYS, CONFIG_KEYS, ttlFrom, ttlOf, upConfig, watchTargetOf } from "./experiment-config.js";
import { answerUnchanged, programInputs, type Sources, unchangedCheckpoint } from "./unchanged-up.js";
import { keepReceipt, programKey } from "./up-receipt.js";
import {
  engineEnv,
  openOrCreateStack,
  PROJECT,
  projectWorkspace,
  pulumiCli,
  selectStack,
  workspaceDir,
  type DriverContext,
} from "./workspace.js";
import { fromPulumiError } from "./pulumi-errors.js";
import { BadInputError, ConflictError, OperationFailedError } from "../errors.js";
import type { EventSink } from "../events.js";
import type { WatchTarget } from "../watch/experiment-watch.js";

const noProgram = async () => ({});

async function readTtl(stack: Stack): Promise<TtlState | undefined> {
  return ttlFrom(await stack.getAllConfig());
}

/**
 * A spec with hfToken keeps the token as a secret of its stack (from HF_TOKEN the first time).
 * The secret's provider (program/providers/hf-token-secret.ts) reads it from ZEROSTACK_HF_TOKEN,
 * so it is never an input and never lands in the state (a captured value would be stored in
 * plaintext: pulumi#8265); the program gets a salted hash of it, to notice a changed token.
 */
async function provideHfToken(ctx: DriverContext, stack: Stack, plan: Plan): Promise<string | undefined> {
  if (!plan.spec.hfToken) return undefined;
  const given = process.env.HF_TOKEN;
  if (given) await stack.setConfig(CONFIG_KEYS.hfToken, { value: given, secret: true });
  const stored =
    given ??
    (await stack.getConfig(CONFIG_KEYS.hfToken).then(
      (v) => v.value,
      () => undefined,
    ));
  // a teammate's experiment: its token is in Secrets Manager already, and the state keeps its hash
  const kept = stored ? undefined : (await stateOutputs(ctx, stack.name)).hfTokenHash;
  if (typeof kept === "string") return kept;
  if (!stored) {
    throw new BadInputError(
      [
        {
          field: "HF_TOKEN",
          message: `${plan.spec.name} needs a Hugging Face token and its stack holds none`,
          allowed: "a token in the HF_TOKEN environment variable",
        },
      ],
      "export HF_TOKEN=hf_... and run up again",
    );
  }
  process.env.ZEROSTACK_HF_TOKEN = stored;
  return hfTokenHash(plan.names.hfTokenSecret, stored);
}

/** The hash of the token the stack holds, for a preview (which never asks for one). */
async function storedHfTokenHash(stack: Stack | undefined, plan: Plan): Promise<string | undefined> {
  if (!plan.spec.hfToken || !stack) return undefined;
  const stored =
    process.env.HF_TOKEN ??
    (await stack.getConfig(CONFIG_KEYS.hfToken).then(
      (v) => v.value,
      () => undefined,
    ));
  return stored ? hfTokenHash(plan.names.hfTokenSecret, stored) : undefined;
}

/** Pending operations (a killed `up`) are cleared by a refresh that drops pending creates. */
async function clearPending(ctx: DriverContext, stack: Stack, opts: OperationOptions): Promise<void> {
  // a file backend's checkpoint is read directly (no `pulumi stack export` process)
  const direct = checkpointPending(ctx, stack.name);
  const pending =
    direct !== "not-a-file-backend"
      ? Array.from({ length: direct })
      : (((await stack.exportStack()).deployment as { pending_operations?: unknown[] } | undefined)
          ?.pending_operations ?? []);
  if (pending.length === 0) return;
  opts.onEvent({
    type: "diagnostic",
    severity: "warning",
    message: `${pending.length} operation(s) were left pending by an interrupted run; refreshing to clear them`,
  });
  await refresh(ctx, stack.name, noProgram, opts);
}

/**
 * `up` with the watchers running beside the engine, so training status, logs, loss, endpoint
 * status and cost stream while the providers wait. When the engine is done the watchers get a
 * moment to drain the last log lines. An experiment whose program and state are what its last
 * `up` left is answered from its checkpoint, without the engine (unchanged-up.ts).
 */
export async function upExperiment(
  ctx: DriverContext,
  plan: Plan,
  base: BaseOutputs,
  opts: OperationOptions & { extendTtl?: boolean; now?: Date; watch?: boolean },
): Promise<Record<string, unknown>> {
  // the bundles first: the program's key hashes them, and the engine's provider needs them uploaded
  const { buildTrainingSource, servingCode, uploadTrainingSource } = await import("../stack/experiment-sources.js");
  const sources: Sources = { training: buildTrainingSource(plan, payloadDir()), code: servingCode(plan, payloadDir()) };
  sources.training.catch(() => undefined); // awaited by the program, which reports a failure
  sources.code.catch(() => undefined);
  const unchanged = await unchangedCheckpoint(ctx, plan, base, opts, sources);
  if (unchanged)
    return watched(ctx, plan, opts, async () => answerUnchanged(ctx, plan.names.stack, unchanged, opts.onEvent));
  // started now, they run while the rest gets ready: `pulumi version` (openOrCreateStack reports
  // its failure), the provider plugin, and the upload the engine's provider then finds done
  void pulumiCli().catch(() => undefined);
  const plugin = startPlugin(ctx, plan, opts);
  const uploaded = uploadTrainingSource(plan, sources.training);
  try {
    return await watched(ctx, plan, opts, () => upOnly(ctx, plan, base, { ...opts, plugin }, sources));
  } finally {
    (await plugin)?.stop();
    await uploaded.catch(() => 0); // a failed upload is the provider's to retry or report
  }
}

/**
 * The dynamic-provider plugin, loading while the plan is made and the stack opened
 * (provider-plugin.ts); ZEROSTACK_PROVIDER_PRESTART=0 leaves its start to the engine. So does a
 * spec with an HF token: the token's provider reads it from the environment (ZEROSTACK_HF_TOKEN),
 * which has it only once the stack's secret is read, after the plugin would have started.
 */
function startPlugin(ctx: DriverContext, plan: Plan, opts: OperationOptions): Promise<StartedPlugin | undefined> {
  if (process.env.ZEROSTACK_PROVIDER_PRESTART === "0" || plan.spec.hfToken) return Promise.resolve(undefined);
  const cwd = workspaceDir(ctx, plan.names.stack);
  mkdirSync(cwd, { recursive: true });
  return startDynamicProviderPlugin({
    env: { ...process.env, ...engineEnv(ctx), PULUMI_NODEJS_PROJECT: PROJECT, PULUMI_PROJECT: PROJECT },
    cwd,
    onOutput: (message) => opts.onEvent({ type: "diagnostic", severity: "info", message }),
  });
}

type UpOptions = OperationOptions & { extendTtl?: boolean; now?: Date; plugin?: Promise<StartedPlugin | undefined> };

/** `run` (an update) with the experiment's watchers beside it, unless opts.watch is false. */
async function watched(
  ctx: DriverContext,
  plan: Plan,
  opts: OperationOptions & { watch?: boolean },
  run: () => Promise<Record<string, unknown>>,
): Promise<Record<string, unknown>> {
  if (opts.watch === false) return run();
  const stopWatching = new AbortController();
  // the watchers' modules (two AWS SDK clients) load while the engine gets ready, not before it
  const started = Promise.all([import("../watch/experiment-watch.js"), import("../watch/watermark.js")]).then(
    ([{ watchExperiment }, { fileWatermark }]) =>
      watchExperiment(watchTargetOf(plan), opts.onEvent, {
        signal: stopWatching.signal,
        untilSettled: false,
        // only what is new since the last up or attach of this experiment
        watermark: fileWatermark(watermarkFile(ctx.sandbox, plan.names.stack, ctx.env), plan.training.jobName),
      }),
  );
  try {
    return await run();
  } finally {
    const watching = await started;
    // a moment for the last log lines; the timer must not keep the process alive once they are in
    let drain: NodeJS.Timeout | undefined;
    await Promise.race([watching.trainingDone, new Promise((r) => (drain = setTimeout(r, 3000)))]);
    clearTimeout(drain);
    stopWatching.abort();
    await watching.done;
  }
}

async function upOnly(
  ctx: DriverContext,
  plan: Plan,
  base: BaseOutputs,
  opts: UpOptions,
  sources: Sources,
): Promise<Record<string, unknown>> {
  const stackName = plan.names.stack;
  await clearStaleLocks(ctx, stackName, opts.onEvent);
  // every `pulumi config` call is a CLI process: the compared keys are read from the stack's settings
  // file, else once beside `pulumi stack select` (a stack made just now has none; the token set below
  // is not among them), and only what changed is written
  const opened = await openOrCreateStack(ctx, stackName, noProgram, { configKeys: COMPARED_KEYS });
  const { stack } = opened;
  const config: ConfigMap = opened.config ?? {};
  await clearPending(ctx, stack, opts);
  const hfTokenHash = await provideHfToken(ctx, stack, plan);
  const { ttl, changes } = await upConfig(ctx, plan, config, opts);
  // no TTL (training only, or ttl 0): forget the old deadline; the schedule leaves the program
  for (const key of changes.remove) await stack.removeConfig(key).catch(() => undefined);
  if (changes.write) {
    await stack.setAllConfig(Object.fromEntries(Object.entries(changes.write).map(([key, value]) => [key, { value }])));
  }
  const program = await programOf(plan, base, ttl, hfTokenHash, sources);
  // made beside the engine (a new experiment's bundles may still be building); a bundle that failed
  // to build has no key: the program reports the failure through the engine
  const key = programInputs(plan, base, ttl, hfTokenHash, sources).then(programKey, () => undefined);
  const outputs = await runUp(ctx, stack, program, opts);
  // the next `up` of the same program on the state this one left needs no engine
  const made = await key;
  if (made) keepReceipt(ctx, stackName, made);
  return outputs;
}

/** The inline program of one experiment: the same for `up` and `preview`, so preview shows what up does. */
async function programOf(
  plan: Plan,
  base: BaseOutputs,
  ttl: TtlState | undefined,
  hfTokenHash?: string,
  sources?: Sources,
) {
  const { experiment } = await import("../stack/experiment.js");
  return experiment(plan, {
    base,
    payloadDir: payloadDir(),
    ...(ttl ? { ttlExpiresAt: ttl.expiresAt } : {}),
    ...(hfTokenHash ? { hfTokenHash } : {}),
    ...(sources ? { source: sources.training, code: sources.code } : {}),
  });
}

/**
 * What `up` would change, with the deadline `up` would keep (read from the stack, never written):
 * an unchanged experiment previews as no change.
 */
export async function previewExperiment(
  ctx: DriverContext,
  plan: Plan,
  base: BaseOutputs,
  opts: OperationOptions & { extendTtl?: boolean; now?: Date },
): Promise<Record<string, number>> {
  const existing = await selectStack(ctx, plan.names.stack, noProgram).catch(() => undefined);
  const stored = existing ? await readTtl(existing) : undefined;
  const program = await programOf(plan, base, ttlOf(plan, stored, opts), await storedHfTokenHash(existing, plan));
  try {
    return await preview(ctx, plan.names.stack, program, opts);
  } finally {
    // the engine previews on a stack: one made for a new experiment's preview is removed again,
    // so a preview leaves nothing behind (an `up` since then has resources: then it stays)
    if (!existing) await removeEmptyStack(ctx, plan.names.stack);
  }
}

async function removeEmptyStack(ctx: DriverContext, stackName: string): Promise<void> {
  const workspace = await projectWorkspace(ctx);
  await workspace.removeStack(stackName).catch(() => undefined); // refused while it has resources
}

/** Follows an experiment from its stack's config, whoever runs (or ran) its `up`. */
export async function attachExperiment(
  ctx: DriverContext,
  stackName: string,
  onEvent: EventSink,
  signal: AbortSignal,
  opts: { fromStart?: boolean } = {},
): Promise<void> {
  const target = await readWatchTarget(ctx, stackName);
  const [{ watchExperiment }, { isUpdating }, { fileWatermark }] = await Promise.all([
    import("../watch/experiment-watch.js"),
    import("./locks.js"),
    import("../watch/watermark.js"),
  ]);
  // from the experiment's watermark (what an up or attach already streamed), or the whole history
  const path = watermarkFile(ctx.sandbox, stackName, ctx.env);
  await watchExperiment(target, onEvent, {
    signal,
    untilSettled: true,
    updating: () => isUpdating(ctx, stackName),
    watermark: fileWatermark(path, target.trainingJob, opts.fromStart ?? false),
  }).done;
}

/** An existing experiment's stack; a missing one is a typed error naming `zerostack ls`. */
async function existingStack(ctx: DriverContext, stackName: string): Promise<Stack> {
  return selectStack(ctx, stackName, noProgram).catch((error: unknown) => {
    throw fromPulumiError(error, stackName, [], false);
  });
}

/** The stack's deployment document (secrets stay encrypted). */
export async function exportExperiment(ctx: DriverContext, stackName: string): Promise<unknown> {
  return (await existingStack(ctx, stackName)).exportStack();
}

export async function readWatchTarget(ctx: DriverContext, stackName: string): Promise<WatchTarget> {
  const stack = await existingStack(ctx, stackName);
  const raw = (await stack.getAllConfig())[CONFIG_KEYS.watch]?.value;
  // a teammate's experiment has no config in this home: the state's outputs carry the same target
  if (!raw) {
    const fromState = (await stateOutputs(ctx, stackName)).watch as WatchTarget | undefined;
    if (fromState?.trainingJob) return fromState;
  }
  if (!raw)
    throw new OperationFailedError(
      `${stackName} has no experiment recorded yet`,
      `run \`zerostack up --stack ${stackName}\` first`,
    );
  return JSON.parse(raw) as WatchTarget;
}

export async function destroyExperiment(ctx: DriverContext, stackName: string, opts: OperationOptions): Promise<void> {
  await clearStaleLocks(ctx, stackName, opts.onEvent);
  await destroy(ctx, stackName, noProgram, opts);
}

/** Removes an experiment's stack record; refused while it still has resources unless forced. */
export async function removeExperiment(ctx: DriverContext, stackName: string, force: boolean): Promise<void> {
  const row = (await inventory(ctx)).find((r) => r.name === stackName);
  if (!row) {
    throw new BadInputError([
      { field: "--stack", message: `no experiment named ${stackName}`, allowed: "a name from `zerostack ls`" },
    ]);
  }
  if (row.resourceCount > 0 && !force) {
    throw new ConflictError(
      `${stackName} still has ${row.resourceCount} resources`,
      `run \`zerostack destroy --stack ${stackName} --yes\` first (or rm --force, then \`zerostack orphans --delete\`)`,
    );
  }
  await (await projectWorkspace(ctx)).removeStack(stackName, { force });
}
