// The TUI's choices <-> the spec module: the catalog of what can be chosen, and a pure plan
// (spec, guard findings, cost) for any set of choices, valid or not. No AWS, no Pulumi.
import type { Catalog, ChoiceKey, Choices, CostSummary, PlanFinding, PlanResult, SpecDocument } from "./contract.js";
import { BACKEND_NAMES } from "../spec/backends.js";
import { SERVING_INSTANCE_TYPES, TRAINING_INSTANCE_TYPES } from "../spec/instances.js";
import {
  applyOverrides,
  derivePlan,
  PRESET_NAMES,
  PRESETS,
  presetInput,
  specFromPreset,
  ZERO_STAGES,
  type ExperimentSpec,
  type SpecOverrides,
} from "../spec/index.js";
import { defaultExperimentName } from "../spec/overrides.js";
import type { PriceBook } from "../spec/prices.js";
import { issuesToProblems } from "../spec/parse.js";
import { experimentSpecSchema, MAX_NODES } from "../spec/schema.js";

/** Where the experiment's data and artifacts go: the session's bucket and region. */
export interface Placement {
  bucket: string;
  region: string;
  /** List prices of the region when known (program/providers/pricing.ts); the offline table otherwise. */
  prices?: PriceBook;
}

const FIELDS: Record<ChoiceKey, string> = {
  preset: "preset",
  name: "name",
  nodes: "training.nodes",
  zero: "training.zero",
  trainInstance: "training.instanceType",
  serveInstance: "serving.instanceType",
  backend: "serving.backend",
  tp: "serving.tensorParallelDegree",
  epochs: "training.hyperparameters.epochs",
  learningRate: "training.hyperparameters.learningRate",
  ttlSeconds: "serving.ttlSeconds",
  serving: "serving.enabled",
};

const powersOfTwo = (max: number) => Array.from({ length: Math.log2(max) + 1 }, (_, i) => 2 ** i);

export function choicesOf(spec: ExperimentSpec): Choices {
  return {
    preset: spec.preset,
    name: spec.name,
    nodes: spec.training.nodes,
    zero: spec.training.zero,
    trainInstance: spec.training.instanceType,
    serveInstance: spec.serving.instanceType,
    backend: spec.serving.backend,
    tp: spec.serving.tensorParallelDegree,
    epochs: spec.training.hyperparameters.epochs,
    learningRate: spec.training.hyperparameters.learningRate,
    ttlSeconds: spec.serving.ttlSeconds,
    serving: spec.serving.enabled,
  };
}

export function catalog(placement: Placement): Catalog {
  return {
    presets: PRESET_NAMES.map((name) => ({
      name,
      description: PRESETS[name].description,
      defaults: choicesOf(
        specFromPreset(name, { bucket: placement.bucket, region: placement.region, name: defaultExperimentName(name) }),
      ),
    })),
    options: {
      nodes: powersOfTwo(MAX_NODES),
      zero: [...ZERO_STAGES],
      trainInstance: [...TRAINING_INSTANCE_TYPES],
      serveInstance: [...SERVING_INSTANCE_TYPES],
      backend: [...BACKEND_NAMES],
      tp: [1, 2, 4, 8],
      epochs: [1, 2, 3, 5, 10],
      learningRate: [1e-5, 2e-5, 5e-5, 1e-4, 2e-4, 5e-4, 1e-3],
      ttlSeconds: [15 * 60, 30 * 60, 3600, 2 * 3600, 3 * 3600, 6 * 3600, 12 * 3600, 24 * 3600, 0],
    },
    fields: FIELDS,
  };
}

function overridesOf(choices: Choices, placement: Placement): SpecOverrides {
  const { preset: _preset, ...rest } = choices;
  return { ...rest, bucket: placement.bucket, region: placement.region };
}

function costOf(plan: ReturnType<typeof derivePlan>): CostSummary {
  const { cost } = plan;
  return {
    totalUsd: cost.totalUsd,
    maxTotalUsd: cost.maxTotalUsd,
    trainingUsdPerHour: Math.round(cost.training.usdPerInstanceHour * cost.training.instances * 100) / 100,
    servingUsdPerHour: cost.serving ? cost.serving.usdPerHour : null,
    estimated: cost.estimated,
    prices: cost.prices.label,
    spot: cost.spot,
  };
}

/** Choices -> spec, findings and cost. Schema problems and guard errors become error findings. */
export function planChoices(choices: Choices, placement: Placement): PlanResult {
  let raw: Record<string, unknown>;
  try {
    raw = applyOverrides(presetInput(choices.preset, placement.bucket), overridesOf(choices, placement));
  } catch (error) {
    return {
      spec: null,
      stack: choices.name,
      findings: [
        { severity: "error", field: "preset", message: error instanceof Error ? error.message : String(error) },
      ],
      cost: null,
    };
  }
  const parsed = experimentSpecSchema.safeParse(raw, { reportInput: true });
  if (!parsed.success) {
    const findings: PlanFinding[] = issuesToProblems(parsed.error.issues).map((p) => ({
      severity: "error",
      field: p.field,
      message: p.message,
      ...(p.allowed ? { fix: `allowed: ${p.allowed}` } : {}),
    }));
    return { spec: null, stack: choices.name, findings, cost: null };
  }
  const plan = derivePlan(parsed.data, placement.prices ? { prices: placement.prices } : {});
  const findings: PlanFinding[] = [...plan.errors, ...plan.warnings].map((f) => ({
    severity: f.severity,
    field: f.field,
    message: f.message,
    fix: f.fix,
  }));
  const spec = plan.errors.length === 0 ? (plan.spec as unknown as SpecDocument) : null;
  return { spec, stack: plan.names.stack, findings, cost: costOf(plan) };
}
