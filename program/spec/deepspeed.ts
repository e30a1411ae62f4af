// The DeepSpeed JSON per ZeRO stage, in the seed's shape: every value the HF Trainer knows
// (lr, betas, batch sizes, clipping, bucket sizes) is "auto" so the Trainer's arguments stay
// the one source and DeepSpeed cannot disagree with them.
import { trainingInstance } from "./instances.js";
import type { ExperimentSpec, ZeroStage } from "./schema.js";

type Auto = "auto";
interface Offload {
  device: "cpu";
  pin_memory: true;
}

export interface ZeroOptimization {
  stage: 2 | 3;
  overlap_comm: true;
  contiguous_gradients: true;
  reduce_bucket_size: Auto;
  allgather_partitions?: true;
  allgather_bucket_size?: number;
  reduce_scatter?: true;
  sub_group_size?: number;
  stage3_prefetch_bucket_size?: Auto;
  stage3_param_persistence_threshold?: Auto;
  stage3_max_live_parameters?: number;
  stage3_max_reuse_distance?: number;
  stage3_gather_16bit_weights_on_model_save?: true;
  offload_optimizer?: Offload;
  offload_param?: Offload;
}

export interface DeepSpeedConfig {
  bf16?: { enabled: Auto };
  fp16?: {
    enabled: Auto;
    loss_scale: 0;
    loss_scale_window: 1000;
    initial_scale_power: 16;
    hysteresis: 2;
    min_loss_scale: 1;
  };
  optimizer: { type: "AdamW"; params: { lr: Auto; betas: Auto; eps: Auto; weight_decay: Auto } };
  /** absent without warm-up steps: the HF Trainer's own (linear) schedule then applies */
  scheduler?: { type: "WarmupLR"; params: { warmup_min_lr: Auto; warmup_max_lr: Auto; warmup_num_steps: Auto } };
  zero_optimization: ZeroOptimization;
  gradient_accumulation_steps: Auto;
  gradient_clipping: Auto;
  steps_per_print: number;
  train_batch_size: Auto;
  train_micro_batch_size_per_gpu: Auto;
  wall_clock_breakdown: false;
}

function zeroOptimization(stage: ZeroStage): ZeroOptimization {
  const common = { overlap_comm: true, contiguous_gradients: true, reduce_bucket_size: "auto" } as const;
  if (stage === "2") {
    return { stage: 2, ...common, allgather_partitions: true, allgather_bucket_size: 2e8, reduce_scatter: true };
  }
  const stage3: ZeroOptimization = {
    stage: 3,
    ...common,
    sub_group_size: 1e9,
    stage3_prefetch_bucket_size: "auto",
    stage3_param_persistence_threshold: "auto",
    stage3_max_live_parameters: 1e9,
    stage3_max_reuse_distance: 1e9,
    // Without it no loadable 16-bit model file is written (seed tip 12).
    stage3_gather_16bit_weights_on_model_save: true,
  };
  if (stage === "3-offload") {
    stage3.offload_optimizer = { device: "cpu", pin_memory: true };
    stage3.offload_param = { device: "cpu", pin_memory: true };
  }
  return stage3;
}

export function deepspeedConfig(spec: ExperimentSpec): DeepSpeedConfig {
  const precision =
    spec.training.precision === "bf16"
      ? { bf16: { enabled: "auto" as const } }
      : {
          fp16: {
            enabled: "auto" as const,
            loss_scale: 0 as const,
            loss_scale_window: 1000 as const,
            initial_scale_power: 16 as const,
            hysteresis: 2 as const,
            min_loss_scale: 1 as const,
          },
        };
  return {
    ...precision,
    optimizer: { type: "AdamW", params: { lr: "auto", betas: "auto", eps: "auto", weight_decay: "auto" } },
    // the seed's WarmupLR; DeepSpeed >= 0.18 refuses warmup_num_steps 0 (which "auto" fills from
    // warmupSteps), so without warm-up the block is left out and the Trainer's schedule applies
    ...(spec.training.hyperparameters.warmupSteps > 0
      ? {
          scheduler: {
            type: "WarmupLR" as const,
            params: {
              warmup_min_lr: "auto" as const,
              warmup_max_lr: "auto" as const,
              warmup_num_steps: "auto" as const,
            },
          },
        }
      : {}),
    zero_optimization: zeroOptimization(spec.training.zero),
    gradient_accumulation_steps: "auto",
    gradient_clipping: "auto",
    steps_per_print: 2000,
    train_batch_size: "auto",
    train_micro_batch_size_per_gpu: "auto",
    wall_clock_breakdown: false,
  };
}

export interface BatchMath {
  microBatchPerGpu: number;
  gpusPerNode: number;
  nodes: number;
  worldSize: number;
  gradientAccumulationSteps: number;
  /** What the HF Trainer fills into DeepSpeed's train_batch_size. */
  globalBatch: number;
}

export function batchMath(spec: ExperimentSpec): BatchMath {
  const hp = spec.training.hyperparameters;
  const gpusPerNode = trainingInstance(spec.training.instanceType).gpus;
  const worldSize = gpusPerNode * spec.training.nodes;
  return {
    microBatchPerGpu: hp.perDeviceTrainBatchSize,
    gpusPerNode,
    nodes: spec.training.nodes,
    worldSize,
    gradientAccumulationSteps: hp.gradientAccumulationSteps,
    globalBatch: hp.perDeviceTrainBatchSize * worldSize * hp.gradientAccumulationSteps,
  };
}
