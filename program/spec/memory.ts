// Per-GPU memory estimates the guards use to say "this will not fit" before anything is bought.
//
// Model states follow the ZeRO paper (Rajbhandari et al. 2020, sec. 3.1/5): mixed-precision Adam
// keeps 2 bytes of 16-bit params + 2 bytes of 16-bit grads + K=12 bytes of optimizer state
// (fp32 master params, momentum, variance) per parameter; stage 2 partitions grads and optimizer
// states over the N data-parallel GPUs, stage 3 also the params. Stage 3 adds DeepSpeed's
// `estimate_zero3_model_states_mem_needs` terms: 4 x largest layer on the GPU (a gathered layer),
// and with params+optimizer offloaded `18 x params / nodes x 1.5` of host memory per node
// (zero_init, additional_buffer_factor 1.5). DeepSpeed's `estimate_zero2_model_states_mem_needs`
// is more pessimistic for stage 2 (4 x params + 16 x params / N); we use the paper's figure because
// the seed's ZeRO-2 run did start and only hung with memory nearly full, which the paper's figure
// reproduces and the estimator's would have called an OOM.
//
// Activations follow Korthikanti et al. 2022 ("Reducing Activation Recomputation"): 34·s·b·h +
// 5·a·s²·b bytes per layer in 16-bit; with gradient checkpointing only each layer's 16-bit input
// (2·s·b·h) is kept plus one layer's working set.
//
// Calibrated on one H200 (bench/RESULTS.md, 2026-12-01: flan-t5-xl ZeRO-2/3/3-offload, Llama-3.1-8B
// ZeRO-3, DeepSpeed 0.19.8, bf16): the paper's states missed the transient fp32 copies DeepSpeed
// makes at the optimizer step, and the old stage-3 buffers (4 x largest layer + 2 bytes/param)
// were 3-4x too high. What the peaks showed (max_memory_allocated):
// - stage 2 converts the bf16 gradient partition to fp32 for the step: +4 bytes/param/N;
// - stage 3 does that one sub-group at a time (sub_group_size, 1e9 in deepspeed.ts): +4 x
//   min(sub_group_size, params/N), plus the gathered largest layer in 16-bit;
// - a T5 keeps about 1.6x the paper's activations without checkpointing (gated FFN, fp32 softmax,
//   the position bias, cross-attention): measured 51 GiB where the formula gave 32 at 16 x 500/150.
import type { InstanceType } from "./instances.js";
import { servingInstance, trainingInstance } from "./instances.js";
import type { ModelSizes } from "./models.js";
import type { ExperimentSpec } from "./schema.js";

export const GIB = 1024 ** 3;
/** CUDA context, NCCL buffers and allocator fragmentation: seen as 1.5-2.5 GiB on A100/H100. */
const TRAINING_RUNTIME_BYTES = 2 * GIB;
// CUDA context plus the generation workspace beside the weights and KV cache.
const SERVING_RUNTIME_BYTES = 2 * GIB;
const OFFLOAD_BUFFER_FACTOR = 1.5;
/** deepspeed.ts's sub_group_size: stage 3 steps the optimizer over this many params at a time. */
const SUB_GROUP_SIZE = 1e9;
/** Measured T5 activations over the paper's formula, without checkpointing (H200, 2026-12-01). */
const SEQ2SEQ_ACTIVATION_FACTOR = 1.6;
/** ZeRO-2's large gradient buckets, where they fit (deepspeed.ts; +25% on one H200, bench/RESULTS.md). */
export const LARGE_BUCKET = 5e8;
/**
 * overlap_comm keeps 4.5 x the reduce and allgather buckets in 16-bit: "if they are set to 5e8, this
 * requires a 9GB footprint (5e8 x 2Bytes x 2 x 4.5)" (HF Transformers docs, DeepSpeed integration,
 * ZeRO-2 config). On one GPU nothing is reduced: the H200's peak was 101.8 GiB with 5e8 against
 * 105.2 with "auto", so the term counts from two GPUs.
 */
const OVERLAP_COMM_BUCKET_BYTES_PER_ELEMENT = 4.5 * 2 * 2;

export interface TrainingMemory {
  perGpu: {
    params: number;
    grads: number;
    optimizer: number;
    buffers: number;
    activations: number;
    runtime: number;
    total: number;
  };
  gpuBytes: number;
  /** total / gpuBytes */
  gpuFraction: number;
  /** Host memory per node that ZeRO-3 offload needs (0 otherwise). */
  hostBytesPerNode: number;
  hostBytes: number;
  fits: boolean;
}

export interface ServingMemory {
  perGpu: { weights: number; kvCache: number; runtime: number; total: number };
  gpuBytes: number;
  gpuFraction: number;
  fits: boolean;
}

/** The biggest single block DeepSpeed gathers: the embedding or one transformer layer. */
export function largestLayerParams(sizes: ModelSizes): number {
  const embedding = sizes.vocab * sizes.hidden;
  return Math.max(embedding, Math.ceil((sizes.parameters - embedding) / sizes.layers));
}

function activationBytes(spec: ExperimentSpec): number {
  const { sizes, kind } = spec.model;
  const hp = spec.training.hyperparameters;
  const b = hp.perDeviceTrainBatchSize;
  const h = sizes.hidden;
  const a = sizes.heads;
  // Seq2seq: encoder layers see the source, decoder layers the target; a causal LM sees both.
  const segments: Array<{ layers: number; s: number }> =
    kind === "seq2seq"
      ? [
          { layers: sizes.layers - sizes.decoderLayers, s: hp.maxSourceLength },
          { layers: sizes.decoderLayers, s: hp.maxTargetLength },
        ]
      : [{ layers: sizes.layers, s: hp.maxSourceLength + hp.maxTargetLength }];
  const perLayer = (s: number) => 34 * s * b * h + 5 * a * s * s * b;
  const longest = Math.max(...segments.map((seg) => seg.s));
  const layerBytes = hp.gradientCheckpointing
    ? segments.reduce((sum, seg) => sum + seg.layers * 2 * seg.s * b * h, 0) + perLayer(longest)
    : segments.reduce((sum, seg) => sum + seg.layers * perLayer(seg.s), 0) *
      (kind === "seq2seq" ? SEQ2SEQ_ACTIVATION_FACTOR : 1);
  // Logits in 16-bit plus the fp32 copy the cross-entropy loss makes.
  const outLen = kind === "seq2seq" ? hp.maxTargetLength : hp.maxSourceLength + hp.maxTargetLength;
  return layerBytes + b * outLen * sizes.vocab * 6;
}

/** ZeRO-2's reduce/allgather bucket: LARGE_BUCKET (at most the model's size) where it fits beside
 * everything else, else "auto" (DeepSpeed's hidden^2 elements). */
export function zero2Bucket(
  spec: ExperimentSpec,
  instance: InstanceType = trainingInstance(spec.training.instanceType),
): number | "auto" {
  // a bucket larger than the model is never filled: a small model's is its size
  const bucket = Math.min(LARGE_BUCKET, spec.model.sizes.parameters);
  return memoryWith(spec, instance, bucket).fits ? bucket : "auto";
}

export function trainingMemory(
  spec: ExperimentSpec,
  instance: InstanceType = trainingInstance(spec.training.instanceType),
): TrainingMemory {
  return memoryWith(spec, instance, spec.training.zero === "2" ? zero2Bucket(spec, instance) : "auto");
}

function memoryWith(spec: ExperimentSpec, instance: InstanceType, bucket: number | "auto"): TrainingMemory {
  const sizes = spec.model.sizes;
  const psi = sizes.parameters;
  const nodes = spec.training.nodes;
  const n = instance.gpus * nodes;
  const largest = largestLayerParams(spec.model.sizes);
  let params: number, grads: number, optimizer: number, buffers: number;
  let hostBytesPerNode = 0;
  switch (spec.training.zero) {
    case "2":
      params = 2 * psi;
      grads = (2 * psi) / n;
      optimizer = (12 * psi) / n;
      // the fp32 copy of the gradient partition at the step, and overlap_comm's buckets
      buffers =
        (4 * psi) / n +
        (n > 1 ? OVERLAP_COMM_BUCKET_BYTES_PER_ELEMENT * (bucket === "auto" ? sizes.hidden ** 2 : bucket) : 0);
      break;
    case "3":
      params = (2 * psi) / n;
      grads = (2 * psi) / n;
      optimizer = (12 * psi) / n;
      // one sub-group's fp32 gradients at the step, and the gathered largest layer in 16-bit
      buffers = 4 * Math.min(SUB_GROUP_SIZE, psi / n) + 2 * largest;
      break;
    case "3-offload":
      params = 0;
      grads = 0;
      optimizer = 0;
      buffers = 4 * largest;
      hostBytesPerNode = ((18 * psi) / nodes) * OFFLOAD_BUFFER_FACTOR;
      break;
  }
  const activations = activationBytes(spec);
  const total = params + grads + optimizer + buffers + activations + TRAINING_RUNTIME_BYTES;
  const gpuBytes = instance.gpuMemoryGiB * GIB;
  const hostBytes = instance.hostMemoryGiB * GIB;
  return {
    perGpu: { params, grads, optimizer, buffers, activations, runtime: TRAINING_RUNTIME_BYTES, total },
    gpuBytes,
    gpuFraction: total / gpuBytes,
    hostBytesPerNode,
    hostBytes,
    fits: total <= gpuBytes && hostBytesPerNode <= hostBytes,
  };
}

/** Both serving dtypes are 16-bit; fp32 is deliberately not offered (the seed's OOM tip). */
export function dtypeBytes(_dtype: "bf16" | "fp16"): number {
  return 2;
}

export function servingMemory(
  spec: ExperimentSpec,
  instance: InstanceType = servingInstance(spec.serving.instanceType),
): ServingMemory {
  const { sizes, kind } = spec.model;
  const tp = spec.serving.tensorParallelDegree;
  const bytes = dtypeBytes(spec.serving.dtype);
  const weights = (bytes * sizes.parameters) / tp;
  const hp = spec.training.hyperparameters;
  const batch = spec.serving.maxRollingBatchSize ?? 1;
  const tokens = batch * (hp.maxSourceLength + hp.generationMaxLength);
  // K and V per decoder layer; seq2seq decoders also cache the cross-attention K/V of the source.
  const kvPerToken = 2 * sizes.decoderLayers * sizes.kvHeads * sizes.headDim * bytes * (kind === "seq2seq" ? 2 : 1);
  const kvCache = (kvPerToken * tokens) / tp;
  const total = weights + kvCache + SERVING_RUNTIME_BYTES;
  const gpuBytes = instance.gpuMemoryGiB * GIB;
  return {
    perGpu: { weights, kvCache, runtime: SERVING_RUNTIME_BYTES, total },
    gpuBytes,
    gpuFraction: total / gpuBytes,
    fits: total <= gpuBytes,
  };
}

/** Size of the 16-bit weights as stored in S3, what the endpoint downloads and loads. */
export function weightBytes(spec: ExperimentSpec): number {
  return dtypeBytes(spec.serving.dtype) * spec.model.sizes.parameters;
}
