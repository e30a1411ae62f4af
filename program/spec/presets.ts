// The preset catalog: data, not code paths. A preset is a whole spec but for what only the user
// knows (experiment name, bucket); `specFromPreset` fills those and applies overrides.
import { MODELS, type KnownModelId } from "./models.js";
import type { ExperimentSpec } from "./schema.js";
import { DEFAULT_RUNTIME_SECONDS, SPEC_VERSION } from "./schema.js";

export const DEFAULT_BUCKET = "zerostack-artifacts";
export const DEFAULT_PREFIX = "zerostack";

export interface Preset {
  description: string;
  /** Dataset keys under the bucket; they become s3:// URIs once the bucket is known. */
  datasetKeys: { train: string; test: string };
  spec: Omit<ExperimentSpec, "name" | "preset" | "dataset" | "output"> & { dataset: { name: string } };
}

const model = (id: KnownModelId) => ({ id, kind: MODELS[id].kind, source: MODELS[id].source, sizes: { ...MODELS[id].sizes } });

// The seed's recipe (SEED.md): Flan-T5-XXL, 2 x p4d, ZeRO-3 bf16, lr 1e-4, ~500-token inputs,
// gradient checkpointing; served by Accelerate with its model.py on g5.48xlarge, TP 8.
const seed: Preset = {
  description: "The seed recipe: Flan-T5-XXL (11B) on 2 x ml.p4d.24xlarge, ZeRO-3, served by Accelerate on ml.g5.48xlarge",
  datasetKeys: { train: "datasets/cnn_dailymail/train", test: "datasets/cnn_dailymail/test" },
  spec: {
    specVersion: SPEC_VERSION,
    region: "us-east-1",
    model: model("google/flan-t5-xxl"),
    hfToken: false,
    dataset: { name: "cnn_dailymail:3.0.0" },
    training: {
      instanceType: "ml.p4d.24xlarge",
      nodes: 2,
      zero: "3",
      precision: "bf16",
      image: "huggingface-pytorch-training:2.1.0-transformers4.36.0-gpu-py310-cu121",
      hyperparameters: {
        epochs: 1,
        learningRate: 1e-4,
        perDeviceTrainBatchSize: 8,
        perDeviceEvalBatchSize: 8,
        gradientAccumulationSteps: 1,
        maxSourceLength: 500,
        maxTargetLength: 150,
        generationMaxLength: 150,
        // the seed ran warm-up 0 on DeepSpeed 0.8/0.9, whose WarmupLR used max(2, steps): 2 keeps
        // that behaviour on DeepSpeed >= 0.18, which refuses 0 (found on an H100 run, bench/gpu)
        warmupSteps: 2,
        weightDecay: 0,
        gradientClipping: 1,
        evalSteps: 500,
        loggingSteps: 10,
        seed: 42,
        gradientCheckpointing: true,
      },
      maxRuntimeSeconds: DEFAULT_RUNTIME_SECONDS,
      spot: false,
      ncclDebug: "INFO",
      environment: {},
    },
    serving: {
      enabled: true,
      instanceType: "ml.g5.48xlarge",
      instanceCount: 1,
      backend: "accelerate",
      image: "0.21.0-deepspeed0.8.0-cu117",
      tensorParallelDegree: 8,
      dtype: "bf16",
      handler: "custom",
      ttlSeconds: 3 * 3600,
    },
    tags: {},
  },
};

const flanT5Xl: Preset = {
  description: "Flan-T5-XL (3B) on 1 x ml.g5.12xlarge, ZeRO-3, served by Accelerate on ml.g5.2xlarge",
  datasetKeys: seed.datasetKeys,
  spec: {
    ...seed.spec,
    model: model("google/flan-t5-xl"),
    training: {
      ...seed.spec.training,
      instanceType: "ml.g5.12xlarge",
      nodes: 1,
      hyperparameters: { ...seed.spec.training.hyperparameters, perDeviceTrainBatchSize: 4, perDeviceEvalBatchSize: 4, gradientAccumulationSteps: 2 },
      maxRuntimeSeconds: 12 * 3600,
    },
    serving: { ...seed.spec.serving, instanceType: "ml.g5.2xlarge", image: "0.22.1-deepspeed0.9.2-cu118", tensorParallelDegree: 1, handler: "builtin", ttlSeconds: 2 * 3600 },
  },
};

// Llama 3.1 needs transformers >= 4.43 (rope_scaling "llama3"), newer than the HF DLC's 4.36,
// so it trains on the plain PyTorch DLC with the payload's requirements.txt.
const llama31_8b: Preset = {
  description: "Llama-3.1-8B (causal LM, gated) on 1 x ml.p4d.24xlarge, ZeRO-3, served by vLLM on ml.g5.12xlarge",
  datasetKeys: seed.datasetKeys,
  spec: {
    ...seed.spec,
    model: model("meta-llama/Llama-3.1-8B"),
    hfToken: true,
    training: {
      ...seed.spec.training,
      nodes: 1,
      image: "pytorch-training:2.5.1-gpu-py311-cu124-ubuntu22.04-sagemaker",
      hyperparameters: { ...seed.spec.training.hyperparameters, learningRate: 2e-5, perDeviceTrainBatchSize: 4, perDeviceEvalBatchSize: 4, gradientAccumulationSteps: 4, maxSourceLength: 1024, maxTargetLength: 256, generationMaxLength: 256, warmupSteps: 50 },
      maxRuntimeSeconds: 12 * 3600,
    },
    serving: { ...seed.spec.serving, instanceType: "ml.g5.12xlarge", backend: "vllm", image: "0.31.0-lmi13.0.0-cu124", tensorParallelDegree: 4, handler: "builtin", maxRollingBatchSize: 32, ttlSeconds: 2 * 3600 },
  },
};

// Built from a config with a byte-level vocabulary by the payload: sandbox and CPU rehearsals
// download nothing. Two nodes so the multi-node path is exercised even here.
const tiny: Preset = {
  description: "A tiny config-built T5 (~0.3M params) on 2 x ml.g5.2xlarge; for the sandbox and CPU rehearsals",
  datasetKeys: { train: "datasets/tiny/train", test: "datasets/tiny/test" },
  spec: {
    ...seed.spec,
    model: model("zerostack/tiny-t5"),
    dataset: { name: "zerostack/tiny-summaries" },
    training: {
      ...seed.spec.training,
      instanceType: "ml.g5.2xlarge",
      nodes: 2,
      hyperparameters: { ...seed.spec.training.hyperparameters, learningRate: 1e-3, perDeviceTrainBatchSize: 4, perDeviceEvalBatchSize: 4, maxSourceLength: 64, maxTargetLength: 32, generationMaxLength: 32, evalSteps: 4, loggingSteps: 1 },
      maxRuntimeSeconds: 3600,
      ncclDebug: "WARN",
    },
    serving: { ...seed.spec.serving, instanceType: "ml.g5.xlarge", image: "0.22.1-deepspeed0.9.2-cu118", tensorParallelDegree: 1, handler: "builtin", ttlSeconds: 30 * 60 },
  },
};

export const PRESETS = {
  seed,
  "flan-t5-xl": flanT5Xl,
  "llama-3.1-8b": llama31_8b,
  tiny,
} as const satisfies Record<string, Preset>;

export type PresetName = keyof typeof PRESETS;
export const PRESET_NAMES = Object.keys(PRESETS) as PresetName[];

export function isPresetName(name: string): name is PresetName {
  return Object.hasOwn(PRESETS, name);
}
