// Expected training time from measured throughput (issue 14): samples x epochs / (GPUs x samples/s
// per GPU), the per-GPU figure taken from one H200 (bench/RESULTS.md, 2026-12-01: DeepSpeed 0.19.8,
// the derived ds_config.json through start.py -> train.py) and scaled to the instance's GPU by the
// ratio of dense bf16 peaks. A label says which figure was used; no figure (an unknown dataset size),
// no expectation: the plan then shows only the max runtime.
import { trainingInstance } from "./instances.js";
import { zero2Bucket } from "./memory.js";
import type { ExperimentSpec } from "./schema.js";

/** Dense bf16 tensor TFLOP/s per GPU (NVIDIA datasheets; the A10G figure is the A10's). */
export const GPU_BF16_TFLOPS: Record<string, number> = {
  H200: 989,
  "H100 80GB": 989,
  "A100 40GB": 312,
  "A100 80GB": 312,
  A10G: 125,
  L4: 121,
  L40S: 362,
};
const MEASURED_GPU = "H200";
/** Per job, beside the steps: model build, DeepSpeed's set-up and JIT ops, the final save (60-170 s
 * on the H200), plus SageMaker's image pull and data download: 5 minutes, an estimate. */
const STARTUP_HOURS = 5 / 60;

interface Measured {
  model: string;
  zero: "2" | "3" | "3-offload";
  gradientCheckpointing: boolean;
  /** ZeRO-2 with memory.ts's LARGE_BUCKET (where it fits) rather than DeepSpeed's "auto". */
  largeBuckets?: boolean;
  /** Source + target tokens per sample (a causal LM: its one sequence). */
  tokens: number;
  samplesPerSecPerGpu: number;
}

const T5XL = { model: "google/flan-t5-xl", tokens: 650 } as const;
/** One H200, 2026-12-01, the ds_config.json as derived (bench/gpu/results/2026-12-01-h200, calls 1,
 * 2, 4 and 6; ZeRO-3 with its module granularity threshold from call 4 on). */
export const MEASURED_H200: readonly Measured[] = [
  { ...T5XL, zero: "2", gradientCheckpointing: true, largeBuckets: true, samplesPerSecPerGpu: 18.51 },
  { ...T5XL, zero: "2", gradientCheckpointing: true, largeBuckets: false, samplesPerSecPerGpu: 15.88 },
  { ...T5XL, zero: "2", gradientCheckpointing: false, largeBuckets: true, samplesPerSecPerGpu: 24.47 },
  { ...T5XL, zero: "2", gradientCheckpointing: false, largeBuckets: false, samplesPerSecPerGpu: 20.68 },
  { ...T5XL, zero: "3", gradientCheckpointing: true, samplesPerSecPerGpu: 13.89 },
  { ...T5XL, zero: "3", gradientCheckpointing: false, samplesPerSecPerGpu: 22.93 },
  { ...T5XL, zero: "3-offload", gradientCheckpointing: true, samplesPerSecPerGpu: 4.38 },
  { model: "meta-llama/Llama-3.1-8B", zero: "3", gradientCheckpointing: true, tokens: 1280, samplesPerSecPerGpu: 4.4 },
];
/** Model FLOPs utilisation measured for each stage as derived, with checkpointing (flan-t5-xl,
 * ZeRO-2 with "auto" buckets; Llama-3.1-8B's ZeRO-3 reached 0.257). */
const MFU_BY_STAGE = { "2": 0.078, "3": 0.0685, "3-offload": 0.022 } as const;

/** Training examples of the datasets zerostack knows (the train split). */
export const DATASET_TRAIN_EXAMPLES: Record<string, number> = {
  "cnn_dailymail:3.0.0": 287_113,
  "zerostack/tiny-summaries": 36,
};

export interface ExpectedTraining {
  hours: number;
  samples: number;
  samplesPerSecPerGpu: number;
  gpus: number;
  /** How the per-GPU figure was obtained, for the plan's text. */
  basis: string;
}

function tokensOf(spec: ExperimentSpec): number {
  const hp = spec.training.hyperparameters;
  return hp.maxSourceLength + hp.maxTargetLength;
}

/** Samples/s per GPU on the measured H200, and how it was found. */
function onH200(spec: ExperimentSpec): { rate: number; basis: string } {
  const hp = spec.training.hyperparameters;
  const tokens = tokensOf(spec);
  const largeBuckets = spec.training.zero === "2" ? zero2Bucket(spec) !== "auto" : undefined;
  const same = MEASURED_H200.filter((m) => m.model === spec.model.id && m.zero === spec.training.zero);
  const exact =
    same.find((m) => m.gradientCheckpointing === hp.gradientCheckpointing && m.largeBuckets === largeBuckets) ??
    same.find((m) => m.gradientCheckpointing === hp.gradientCheckpointing) ??
    same[0];
  if (exact !== undefined) {
    return {
      rate: (exact.samplesPerSecPerGpu * exact.tokens) / tokens,
      basis: `measured on one H200 (${spec.model.id}, ZeRO ${exact.zero}${exact.tokens === tokens ? "" : `, scaled to ${tokens} tokens`})`,
    };
  }
  // Another model: 6 x params x tokens FLOPs per sample at the stage's measured utilisation.
  const mfu = MFU_BY_STAGE[spec.training.zero];
  const flops = 6 * spec.model.sizes.parameters * tokens * (spec.model.kind === "seq2seq" ? 0.5 : 1);
  return {
    rate: (mfu * GPU_BF16_TFLOPS[MEASURED_GPU]! * 1e12) / flops,
    basis: `estimated from the H200's measured ZeRO ${spec.training.zero} utilisation (${(mfu * 100).toFixed(1)}% MFU)`,
  };
}

export function expectedTraining(spec: ExperimentSpec): ExpectedTraining | undefined {
  const examples = DATASET_TRAIN_EXAMPLES[spec.dataset.name];
  if (examples === undefined) return undefined;
  const instance = trainingInstance(spec.training.instanceType);
  const peak = GPU_BF16_TFLOPS[instance.gpuModel];
  if (peak === undefined) return undefined;
  const { rate, basis } = onH200(spec);
  const perGpu = (rate * peak) / GPU_BF16_TFLOPS[MEASURED_GPU]!;
  const gpus = instance.gpus * spec.training.nodes;
  const samples = examples * spec.training.hyperparameters.epochs;
  return {
    hours: samples / (gpus * perGpu) / 3600 + STARTUP_HOURS,
    samples,
    samplesPerSecPerGpu: perGpu,
    gpus,
    basis:
      "5 min start-up + " +
      (instance.gpuModel === MEASURED_GPU
        ? basis
        : `${basis}, scaled to ${instance.gpuModel} by bf16 peak (${peak} vs ${GPU_BF16_TFLOPS[MEASURED_GPU]} TFLOP/s)`),
  };
}
