// SageMaker passes hyperparameters to the entry point as `--key value` strings; the names match
// the payload's HF-style argument dataclasses so an ML engineer reads them as in any HF example.
import type { Problem } from "../errors.js";
import type { ExperimentSpec } from "./schema.js";

export const DEEPSPEED_CONFIG_FILE = "ds_config.json";
// CreateTrainingJob limits: 100 entries, key up to 256 and value up to 2500 characters.
export const MAX_HYPERPARAMETERS = 100;
export const MAX_HP_KEY = 256;
export const MAX_HP_VALUE = 2500;

export function hyperparameters(spec: ExperimentSpec): Record<string, string> {
  const hp = spec.training.hyperparameters;
  const out: Record<string, string> = {
    model_id: spec.model.id,
    model_kind: spec.model.kind,
    model_source: spec.model.source,
    dataset_name: spec.dataset.name,
    epochs: String(hp.epochs),
    learning_rate: String(hp.learningRate),
    per_device_train_batch_size: String(hp.perDeviceTrainBatchSize),
    per_device_eval_batch_size: String(hp.perDeviceEvalBatchSize),
    gradient_accumulation_steps: String(hp.gradientAccumulationSteps),
    max_source_length: String(hp.maxSourceLength),
    max_target_length: String(hp.maxTargetLength),
    generation_max_length: String(hp.generationMaxLength),
    warmup_steps: String(hp.warmupSteps),
    weight_decay: String(hp.weightDecay),
    max_grad_norm: String(hp.gradientClipping),
    eval_steps: String(hp.evalSteps),
    logging_steps: String(hp.loggingSteps),
    seed: String(hp.seed),
    gradient_checkpointing: String(hp.gradientCheckpointing),
    bf16: String(spec.training.precision === "bf16"),
    fp16: String(spec.training.precision === "fp16"),
    deepspeed: DEEPSPEED_CONFIG_FILE,
    // The seed's lessons, explicit so nobody "fixes" them back: no shared storage between nodes
    // (tip 3), load_best_model_at_end breaks multi-node runs (tip 4), save under /tmp and never
    // /opt/ml/model, which SageMaker would tar (tips 5 and 9).
    save_on_each_node: "true",
    load_best_model_at_end: "false",
    output_dir: "/tmp/output/asset",
  };
  if (spec.model.source === "s3" && spec.model.s3Uri !== undefined) out.model_s3_uri = spec.model.s3Uri;
  return out;
}

export function hyperparameterProblems(values: Record<string, string>): Problem[] {
  const problems: Problem[] = [];
  const entries = Object.entries(values);
  if (entries.length > MAX_HYPERPARAMETERS) {
    problems.push({
      field: "training.hyperparameters",
      message: `${entries.length} hyperparameters`,
      allowed: `at most ${MAX_HYPERPARAMETERS}`,
    });
  }
  for (const [key, value] of entries) {
    if (key.length > MAX_HP_KEY || value.length > MAX_HP_VALUE) {
      problems.push({
        field: `training.hyperparameters.${key}`,
        message: "too long for SageMaker",
        allowed: `key <= ${MAX_HP_KEY}, value <= ${MAX_HP_VALUE} characters`,
      });
    }
  }
  return problems;
}
