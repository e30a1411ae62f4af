// The parts of CreateTrainingJob that follow from the spec alone: when SageMaker stops the job
// and how it turns log lines into CloudWatch metrics.
import type { ExperimentSpec } from "./schema.js";

export interface StoppingCondition {
  MaxRuntimeInSeconds: number;
  /** Only with managed spot; SageMaker rejects it otherwise and needs it >= MaxRuntimeInSeconds. */
  MaxWaitTimeInSeconds?: number;
}

export function stoppingCondition(spec: ExperimentSpec): StoppingCondition {
  const { maxRuntimeSeconds, spot, maxWaitSeconds } = spec.training;
  if (!spot) return { MaxRuntimeInSeconds: maxRuntimeSeconds };
  // Room for one interruption and restart of the whole run.
  return { MaxRuntimeInSeconds: maxRuntimeSeconds, MaxWaitTimeInSeconds: maxWaitSeconds ?? 2 * maxRuntimeSeconds };
}

export interface MetricDefinition {
  Name: string;
  Regex: string;
}

// The HF Trainer logs dicts such as {'loss': 1.2345, 'grad_norm': 0.5, 'learning_rate': 0.0001,
// 'epoch': 0.5}; newer versions may print double quotes, and transformers 5 prints the values as
// strings ({'loss': '34', ...}: seen on an H100 run, bench/gpu). SageMaker wants exactly one
// capture group, so the number pattern avoids groups of its own (it accepts 1e-05 and 0.0001).
const NUMBER = "([-+]?[0-9]*[.]?[0-9]+[eE]?[-+]?[0-9]*)";
const key = (name: string) => `['"]${name}['"]: ['"]?${NUMBER}`;

export const METRIC_DEFINITIONS: readonly MetricDefinition[] = [
  { Name: "loss", Regex: key("loss") },
  { Name: "learning_rate", Regex: key("learning_rate") },
  { Name: "epoch", Regex: key("epoch") },
  { Name: "eval_loss", Regex: key("eval_loss") },
];

export function metricDefinitions(): MetricDefinition[] {
  return METRIC_DEFINITIONS.map((m) => ({ ...m }));
}
