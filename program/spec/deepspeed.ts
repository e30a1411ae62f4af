// The DeepSpeed JSON per ZeRO stage, in the seed's shape: every value the HF Trainer knows
// (lr, betas, batch sizes, clipping) is "auto" so the Trainer's arguments stay the one source and
// DeepSpeed cannot disagree with them. Bucket sizes are "auto" too, except where the H200
// benchmark showed a better figure and the memory model says it fits (ZeRO-2's 5e8 buckets).
import { trainingInstance } from "./instances.js";
import { zero2Bucket } from "./memory.js";
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
  reduce_bucket_size: Auto | number;
  allgather_partitions?: true;
  allgather_bucket_size?: number;
  reduce_scatter?: true;
  sub_group_size?: number;
  stage3_prefetch_bucket_size?: Auto;
  stage3_param_persistence_threshold?: Auto;
  stage3_max_live_parameters?: number;
  stage3_max_reuse_distance?: number;
  stage3_gather_16bit_weights_on_model_save?: true;
  stage3_module_granularity_threshold?: number;
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

/** Modules over this many params never become ZeRO-3 leaves (DeepSpeed's Z3_MAX_LEAF_SIZE,
 * runtime/zero/parameter_offload.py _get_granularity_recursively). */
const Z3_MAX_LEAF_SIZE = 1e9;

/**
 * ZeRO-3 hooks every submodule (a gather before its forward, a release after). DeepSpeed >= 0.16
 * makes a module a leaf with one hook when params / layers under it is at most
 * stage3_module_granularity_threshold, parents first (parameter_offload.py,
 * _set_leaf_by_threshold_preorder). A transformer block counts 10-22 layers (its linears, norms and
 * the modules around them), so a tenth of one block's parameters makes each block one leaf.
 * Measured on one H200 (flan-t5-xl, bench/RESULTS.md): 11.10 -> 22.93 samples/s without
 * checkpointing (ZeRO-3 at 0.94x ZeRO-2), 8.14 -> 13.89 with it, the same peak memory.
 * Only where every stack (a seq2seq model's encoder and decoder, a causal LM's one) is over
 * DeepSpeed's 1e9 leaf limit: below it the whole stack would become one leaf, gathered whole, which
 * is ZeRO-2's parameter memory (and DeepSpeed's CPU accelerator then fails in zero_grad: a CPU
 * gradient's record_stream, stage3.py; found by the payload's two-node test).
 */
export function moduleGranularityThreshold(model: ExperimentSpec["model"]): number | undefined {
  const { sizes, kind } = model;
  const embedding = sizes.vocab * sizes.hidden;
  const stacks = kind === "seq2seq" ? 2 : 1;
  if ((sizes.parameters - embedding) / stacks <= Z3_MAX_LEAF_SIZE) return undefined;
  return Math.ceil((sizes.parameters - embedding) / sizes.layers / 10);
}

function zeroOptimization(spec: ExperimentSpec): ZeroOptimization {
  const stage: ZeroStage = spec.training.zero;
  if (stage === "2") {
    const bucket = zero2Bucket(spec);
    return {
      stage: 2,
      overlap_comm: true,
      contiguous_gradients: true,
      reduce_bucket_size: bucket,
      allgather_partitions: true,
      allgather_bucket_size: bucket === "auto" ? 2e8 : bucket,
      reduce_scatter: true,
    };
  }
  const stage3: ZeroOptimization = {
    stage: 3,
    overlap_comm: true,
    contiguous_gradients: true,
    reduce_bucket_size: "auto",
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
  } else {
    // measured for stage 3 on the GPU only; offload keeps DeepSpeed's per-module hooks
    const threshold = moduleGranularityThreshold(spec.model);
    if (threshold !== undefined) stage3.stage3_module_granularity_threshold = threshold;
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
    zero_optimization: zeroOptimization(spec),
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
