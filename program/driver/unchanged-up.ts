// `up` of an experiment whose program and state are what its last `up` left
// (program/driver/up-receipt.ts): answered from the checkpoint, the engine never started, and no
// Pulumi SDK loaded. Anything this check cannot read as the engine path would (a secret in the
// config, a config value to write, a token to ask for) leaves the `up` to the engine.
import type { BaseOutputs } from "../base/outputs.js";
import { payloadDir } from "../env/paths.js";
import type { EventSink } from "../events.js";
import type { SourceBundle } from "../providers/source-bundle.js";
import type { Plan } from "../spec/index.js";
import type { ServingCode } from "../stack/experiment-sources.js";
import { type Checkpoint, shownOutputs, stackOutputsOf } from "./checkpoints.js";
import { nameOfUrn, shortType } from "./engine-events.js";
import { COMPARED_KEYS, upConfig } from "./experiment-config.js";
import { plainConfigOf } from "./stack-settings.js";
import type { TtlState } from "./ttl.js";
import { fastPathOff, type ProgramInputs, programKey, unchangedState } from "./up-receipt.js";
import { type DriverContext, settingsFile } from "./workspace.js";

/** The bundles the program uploads and hashes, built once per `up` (program/stack/experiment-sources.ts). */
export interface Sources {
  training: Promise<SourceBundle>;
  code: Promise<ServingCode | undefined>;
}

/** What the program of this `up` is built from (its key: up-receipt.ts). */
export async function programInputs(
  plan: Plan,
  base: BaseOutputs,
  ttl: TtlState | undefined,
  hfTokenHash: string | undefined,
  sources: Sources,
): Promise<ProgramInputs> {
  const [training, code] = await Promise.all([sources.training, sources.code]);
  return {
    plan,
    base,
    payloadDir: payloadDir(),
    ...(ttl ? { ttl } : {}),
    ...(hfTokenHash ? { hfTokenHash } : {}),
    trainingSourceSha256: training.sha256,
    ...(code ? { servingCodeSha256: code.bundle.sha256 } : {}),
  };
}

/** The checkpoint to answer from when nothing changed since the last `up`; undefined sends `up` to the engine. */
export async function unchangedCheckpoint(
  ctx: DriverContext,
  plan: Plan,
  base: BaseOutputs,
  opts: { extendTtl?: boolean; now?: Date },
  sources: Sources,
): Promise<Checkpoint | undefined> {
  const stackName = plan.names.stack;
  // the token's hash needs the stack's secret config: `pulumi config`, i.e. the engine path
  if (plan.spec.hfToken || fastPathOff()) return undefined;
  const config = plainConfigOf(settingsFile(ctx, stackName), COMPARED_KEYS);
  if (!config) return undefined;
  try {
    const { ttl, changes } = await upConfig(ctx, plan, config, opts);
    if (changes.write || changes.remove.length > 0) return undefined;
    const state = unchangedState(ctx, stackName, programKey(await programInputs(plan, base, ttl, undefined, sources)));
    return "checkpoint" in state ? state.checkpoint : undefined;
  } catch {
    return undefined; // a bundle that fails to build: the engine path reports it
  }
}

/** The events and outputs of an `up` that changes nothing, from the checkpoint it would leave as it is. */
export function answerUnchanged(
  ctx: DriverContext,
  stackName: string,
  checkpoint: Checkpoint,
  onEvent: EventSink,
): Record<string, unknown> {
  onEvent({ type: "stack", stack: stackName, action: "up", sandbox: ctx.sandbox });
  onEvent({
    type: "diagnostic",
    severity: "info",
    message: `${stackName}: the same program on the same state as its last up, so nothing to change; the engine was not started (ZEROSTACK_UP_FAST_PATH=0 starts it)`,
  });
  const resources = (checkpoint.checkpoint?.latest?.resources ?? []).filter(
    (r) => !r.type.startsWith("pulumi:providers:"),
  );
  for (const r of resources) {
    if (r.type === "pulumi:pulumi:Stack" || !r.urn) continue;
    onEvent({
      type: "resource",
      urn: r.urn,
      resourceType: shortType(r.type),
      name: nameOfUrn(r.urn),
      op: "same",
      status: "done",
    });
  }
  onEvent({ type: "summary", changes: { same: resources.length } });
  const outputs = shownOutputs(stackOutputsOf(checkpoint));
  onEvent({ type: "outputs", outputs });
  return outputs;
}
