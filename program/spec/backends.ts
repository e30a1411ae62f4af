// LMI (DJL Serving) accelerator backends and how each is named in serving.properties.
// Sources: the seed README (accelerate, DeepSpeed, FasterTransformer on the 2023 images) and
// djl-serving docs serving/docs/lmi (conceptual_guide/lmi_engine.md: vLLM runs in the Python
// engine, TensorRT-LLM and LMI-Dist under MPI; user_guides/*), as of 2025-06.

export type ModelKind = "seq2seq" | "causal";

export interface BackendInfo {
  /** serving.properties `engine=` */
  engine: "Python" | "DeepSpeed" | "FasterTransformer" | "MPI";
  /** `option.rolling_batch=` value; absent where the backend has no continuous batching. */
  rollingBatch?: "vllm" | "lmi-dist" | "trtllm";
  kinds: readonly ModelKind[];
  /** The engine shards attention heads, so the heads must divide evenly by the TP degree. */
  headsMustDivide: boolean;
  description: string;
}

export const BACKENDS = {
  accelerate: {
    engine: "Python",
    kinds: ["seq2seq", "causal"],
    headsMustDivide: false,
    description: "Hugging Face Accelerate (device_map sharding), the seed's choice",
  },
  deepspeed: {
    engine: "DeepSpeed",
    kinds: ["seq2seq", "causal"],
    headsMustDivide: true,
    description: "DeepSpeed inference (tensor parallel kernels), deprecated in current LMI",
  },
  fastertransformer: {
    engine: "FasterTransformer",
    kinds: ["seq2seq", "causal"],
    headsMustDivide: true,
    description: "NVIDIA FasterTransformer, removed from current LMI",
  },
  vllm: {
    engine: "Python",
    rollingBatch: "vllm",
    kinds: ["causal"],
    headsMustDivide: true,
    description: "vLLM with continuous batching (decoder-only models)",
  },
  "lmi-dist": {
    engine: "MPI",
    rollingBatch: "lmi-dist",
    kinds: ["causal"],
    headsMustDivide: true,
    description: "LMI-Dist, AWS's distributed rolling-batch engine (decoder-only models)",
  },
  trtllm: {
    engine: "MPI",
    rollingBatch: "trtllm",
    kinds: ["causal", "seq2seq"],
    headsMustDivide: true,
    description: "TensorRT-LLM (compiles the model at load time, slow first start)",
  },
} as const satisfies Record<string, BackendInfo>;

export type Backend = keyof typeof BACKENDS;
export const BACKEND_NAMES = Object.keys(BACKENDS) as [Backend, ...Backend[]];

export function backendInfo(backend: Backend): BackendInfo {
  return BACKENDS[backend];
}
