// Human text for the catalog and a plan; the JSON forms are the objects themselves.
import type { CostEstimate } from "./cost.js";
import type { Plan } from "./derive.js";
import { formatFinding } from "./guards.js";
import { GIB } from "./memory.js";
import { PRESETS, PRESET_NAMES } from "./presets.js";

export interface PresetSummary {
  name: string;
  description: string;
  model: string;
  training: string;
  zero: string;
  serving: string | null;
}

export function presetSummaries(): PresetSummary[] {
  return PRESET_NAMES.map((name) => {
    const { spec, description } = PRESETS[name];
    return {
      name,
      description,
      model: spec.model.id,
      training: `${spec.training.nodes} x ${spec.training.instanceType}`,
      zero: spec.training.zero,
      serving: spec.serving.enabled
        ? `${spec.serving.backend} on ${spec.serving.instanceType} (tp ${spec.serving.tensorParallelDegree})`
        : null,
    };
  });
}

export function formatPresets(summaries: PresetSummary[] = presetSummaries()): string {
  return summaries
    .map(
      (p) =>
        `${p.name}\n  ${p.description}\n  model ${p.model}; train ${p.training}, ZeRO ${p.zero}; serve ${p.serving ?? "none"}`,
    )
    .join("\n");
}

const usd = (x: number) => `$${x.toFixed(2)}`;

export function formatCost(cost: CostEstimate): string {
  const t = cost.training;
  const lines = [
    `training: ${t.instances} x ${t.instanceType} at ${usd(t.usdPerInstanceHour)}/h x ${t.hours.toFixed(1)} h = ${usd(t.usd)}${t.hours < t.maxHours ? ` (at most ${usd(t.maxUsd)})` : " (max runtime)"}`,
    `  hours: ${t.hoursBasis}`,
  ];
  if (cost.serving) {
    const s = cost.serving;
    lines.push(
      s.untilDestroyed
        ? `serving: ${s.instances} x ${s.instanceType} at ${usd(s.usdPerHour)}/h until destroyed (no TTL)`
        : `serving: ${s.instances} x ${s.instanceType} at ${usd(s.usdPerHour)}/h until TTL ${s.ttlHours.toFixed(1)} h = ${usd(s.usd)}`,
    );
  }
  lines.push(
    `total: ≈ ${usd(cost.totalUsd)} expected, at most ${usd(cost.maxTotalUsd)}${cost.spot ? " (on-demand upper bound; spot bills less)" : ""}`,
  );
  lines.push(
    cost.prices.kind === "list-price"
      ? `prices: ${cost.prices.label} (${cost.priceSource})`
      : `prices: ${cost.prices.label} (${cost.priceSource}, region ${cost.region} x${cost.regionMultiplier})${cost.prices.fallbackReason ? `; list prices unavailable: ${cost.prices.fallbackReason}` : ""}`,
  );
  return lines.join("\n");
}

const indent = (text: string, by = "  ") =>
  text
    .split("\n")
    .map((l) => by + l)
    .join("\n");
const kv = (record: Record<string, string>) =>
  Object.entries(record)
    .map(([k, v]) => `${k}=${v}`)
    .join("\n");

export function formatPlan(plan: Plan): string {
  const { spec, training: t, serving: s } = plan;
  const sections = [
    `experiment ${spec.name} (preset ${spec.preset}, spec ${plan.specHash}) in ${spec.region}`,
    `spec:\n${indent(JSON.stringify(spec, null, 2))}`,
    `training job ${t.jobName}: ${t.instanceCount} x ${t.instanceType}, ZeRO ${spec.training.zero}, ${spec.training.precision}`,
    indent(`image ${t.imageUri}`),
    indent(
      `global batch ${t.batch.globalBatch} = micro ${t.batch.microBatchPerGpu} x ${t.batch.gpusPerNode} GPUs x ${t.batch.nodes} nodes x grad-accum ${t.batch.gradientAccumulationSteps}`,
    ),
    indent(
      `memory ~${(t.memory.perGpu.total / GIB).toFixed(1)} GiB per GPU of ${(t.memory.gpuBytes / GIB).toFixed(0)} GiB`,
    ),
    indent(`model uploaded to ${t.modelS3Uri}`),
    `launcher env:\n${indent(kv(t.environment))}`,
    `hyperparameters:\n${indent(kv(t.hyperparameters))}`,
    `DeepSpeed config (${t.deepspeedConfigFile}):\n${indent(JSON.stringify(t.deepspeedConfig, null, 2))}`,
  ];
  if (s) {
    sections.push(
      `endpoint ${s.endpointName} (model ${s.modelName}, config ${s.endpointConfigName}): ${s.instanceCount} x ${s.instanceType}, TTL ${s.ttlSeconds === 0 ? "none" : `${(s.ttlSeconds / 3600).toFixed(1)} h`}, health check ${s.healthCheckTimeoutSeconds} s`,
      indent(`image ${s.imageUri}`),
      `serving.properties:\n${indent(s.servingProperties.text.trimEnd())}`,
    );
  } else {
    sections.push("serving: none (training only)");
  }
  if (plan.warnings.length > 0) sections.push(`warnings:\n${indent(plan.warnings.map(formatFinding).join("\n"))}`);
  sections.push(`cost:\n${indent(formatCost(plan.cost))}`);
  return sections.join("\n");
}
