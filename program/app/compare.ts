// `compare` and the TUI's Compare screen, the gathering part: for each experiment its spec (the
// axes), its training job's record and rank 0's log (losses, throughput), its cost so far from
// the inventory, and one invoke's latency when its endpoint is up. The derivation is pure
// (compare-table.ts); this file only fetches what it reads.
import { DescribeTrainingJobCommand, SageMakerClient } from "@aws-sdk/client-sagemaker";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { clientSettings } from "../aws/clients.js";
import { CONFIG_KEYS } from "../driver/experiment-config.js";
import { inventory, type ExperimentRow } from "../driver/inventory.js";
import { selectStack, type DriverContext } from "../driver/workspace.js";
import { BadInputError } from "../errors.js";
import type { ProgressEvent } from "../events.js";
import type { ExperimentSpec } from "../spec/index.js";
import type { WatchTarget } from "../watch/experiment-watch.js";
import { followLogs } from "../watch/follow-logs.js";
import { compareResult, rowFromEvents, type CompareResult, type CompareRow } from "./compare-table.js";
import { runPool } from "./grid.js";
import { invokeEndpoint } from "./invoke.js";

export interface CompareOptions {
  /** invoke each endpoint that is up once, for its latency */
  invoke: boolean;
  signal?: AbortSignal;
  now?: Date;
}

/** The axes a grid varies, as the spec holds them. */
export function axesOf(spec: ExperimentSpec): Record<string, string> {
  return {
    zero: spec.training.zero,
    nodes: String(spec.training.nodes),
    backend: spec.serving.enabled ? spec.serving.backend : "none",
    trainInstance: spec.training.instanceType,
    lr: String(spec.training.hyperparameters.learningRate),
    epochs: String(spec.training.hyperparameters.epochs),
  };
}

/** Token positions one example feeds the model: the payload pads every example to fixed lengths. */
export function tokensPerSample(spec: ExperimentSpec): number {
  const hp = spec.training.hyperparameters;
  return spec.model.kind === "seq2seq" ? hp.maxSourceLength + hp.maxTargetLength : hp.maxSourceLength;
}

async function readConfig(ctx: DriverContext, stack: string): Promise<{ spec?: ExperimentSpec; watch?: WatchTarget }> {
  const selected = await selectStack(ctx, stack, async () => ({})).catch(() => undefined);
  if (!selected)
    throw new BadInputError(
      [{ field: "STACK", message: `no experiment named ${stack}`, allowed: "a name from `zerostack ls`" }],
      "`zerostack ls` lists the experiments",
    );
  const config = await selected.getAllConfig();
  const parse = <T>(key: string): T | undefined => {
    const raw = config[key]?.value;
    return raw ? (JSON.parse(raw) as T) : undefined;
  };
  const spec = parse<ExperimentSpec>(CONFIG_KEYS.spec);
  const watch = parse<WatchTarget>(CONFIG_KEYS.watch);
  return { ...(spec ? { spec } : {}), ...(watch ? { watch } : {}) };
}

/** The job's record as one `training` event (absent when SageMaker has no such job). */
async function trainingEvent(job: string): Promise<ProgressEvent | undefined> {
  const sm = new SageMakerClient(clientSettings());
  const d = await sm.send(new DescribeTrainingJobCommand({ TrainingJobName: job })).catch(() => undefined);
  if (!d) return undefined;
  return {
    type: "training",
    job,
    status: d.TrainingJobStatus ?? "Unknown",
    secondaryStatus: d.SecondaryStatus ?? "",
    at: (d.LastModifiedTime ?? new Date()).toISOString(),
    ...(d.BillableTimeInSeconds !== undefined ? { billableSeconds: d.BillableTimeInSeconds } : {}),
    ...(d.FailureReason ? { failureReason: d.FailureReason } : {}),
  };
}

async function rowOf(
  ctx: DriverContext,
  stack: string,
  listed: ExperimentRow | undefined,
  opts: CompareOptions,
): Promise<CompareRow> {
  const { spec, watch } = await readConfig(ctx, stack);
  const events: ProgressEvent[] = [];
  if (watch) {
    const training = await trainingEvent(watch.trainingJob);
    if (training) events.push(training);
    // rank 0's log as it stands (no follow): losses, eval loss and the throughput summary
    await followLogs(watch.trainingJob, (e) => events.push(e), {
      signal: opts.signal ?? new AbortController().signal,
      follow: false,
      fromStart: false,
      cursorFile: join(tmpdir(), "zerostack-compare-unused.json"),
      host: "algo-1",
    }).catch(() => undefined);
  }
  let latencyMs: number | undefined;
  if (opts.invoke && watch?.endpoint && listed?.endpointStatus === "InService" && listed.status === "ready") {
    latencyMs = await invokeEndpoint(watch.endpoint, "Summarize: zerostack compares experiments.", {
      maxNewTokens: 16,
      temperature: 0.01,
    }).then(
      (r) => r.latencyMs,
      () => undefined,
    );
  }
  return rowFromEvents(stack, events, {
    axes: spec ? axesOf(spec) : {},
    ...(listed ? { status: listed.status } : {}),
    ...(listed?.costUsd !== undefined ? { costUsd: listed.costUsd } : {}),
    ...(latencyMs !== undefined ? { latencyMs } : {}),
    ...(spec ? { tokensPerSample: tokensPerSample(spec) } : {}),
  });
}

export async function compareExperiments(
  ctx: DriverContext,
  stacks: readonly string[],
  opts: CompareOptions,
): Promise<CompareResult> {
  const rows = await inventory(ctx, (opts.now ?? new Date()).getTime());
  const byName = new Map(rows.map((r) => [r.name, r]));
  const missing = stacks.filter((s) => !byName.has(s));
  if (missing.length > 0)
    throw new BadInputError(
      missing.map((s) => ({
        field: "STACK",
        message: `no experiment named ${s}`,
        allowed: "a name from `zerostack ls`",
      })),
      "`zerostack ls` lists the experiments",
    );
  const compared = await runPool(stacks, 4, (s) => rowOf(ctx, s, byName.get(s), opts));
  return compareResult(compared.filter((r): r is CompareRow => r !== undefined));
}
