// serving.properties for the LMI container, as ordered key/value pairs: the record is what code
// inspects, the text is what goes into the model tarball. The keys follow the image's family and DJL
// version, as djl-serving's source reads them (github.com/deepjavalibrary/djl-serving, tag:path:line):
// - the weights: DJL 0.21 downloads only option.s3url (v0.21.0 engines/python/.../PyModel.java:151);
//   0.22.1 reads option.model_id on S3 and deprecates s3url (v0.22.1 wlm/.../ModelInfo.java:806-813),
//   removed by 0.27.0, so every later image (djl-lmi, djl-tensorrtllm) needs option.model_id.
// - the handler: DJL 0.21 has no default entry point for any engine (v0.21.0 PyModel.java:139-148),
//   so every backend names its djl_python module (0.22.1 defaults to the same ones, PyModel.java:142-160).
// - HF Accelerate on a djl-lmi image: LmiConfigRecommender turns rolling_batch "auto" into vLLM async
//   mode for a ForConditionalGeneration model such as T5 (master wlm/.../LmiConfigRecommender.java:56-78),
//   which vLLM does not serve; option.rolling_batch=disable keeps the Accelerate handler.
// - vLLM: async mode (option.async_mode=true, rolling_batch disable) is LMI's default from LMI v17
//   (DJL 0.35.0); older djl-lmi images take option.rolling_batch=vllm.
// - HF Accelerate with TP > 1: from DJL 0.30 HuggingFaceProperties derives device_map "auto" from
//   tensor_parallel_degree only when rolling batch is on (0.30.0-dlc engines/python/setup/djl_python/
//   properties_manager/hf_properties.py:118-140, the same through master :96-118; 0.29.0-dlc :118-139
//   and 0.28.0-dlc :108-122 without that condition). With rolling_batch=disable the device stays
//   cuda:{device_id} (hf_properties.py:95-101; the frontend remaps the worker's device to 0 and makes
//   its TP GPUs visible, 0.31.0-dlc engines/python/src/main/java/ai/djl/python/engine/Connection.java:
//   269-275) and huggingface.py's pipeline(device=...) puts the whole model on GPU 0 (0.31.0-dlc
//   huggingface.py:382-386): the seed's T5-XXL would not fit one A10G. option.device_map=auto is read
//   as given (hf_properties.py:121-124, a str passed to from_pretrained) and shards over them all.
// - TensorRT-LLM from DJL 0.33 (djl_python.lmi_trtllm.trtllm_async_service): option.dtype reaches
//   TensorRT-LLM's LLM(dtype=...) untouched (0.33.0-dlc engines/python/setup/djl_python/
//   properties_manager/trt_properties.py:39,134 and serving/docker/partition/trt_llm_partition.py:
//   246-249), whose dtype tables know "bfloat16"/"float16"/"float32" only (NVIDIA/TensorRT-LLM
//   tensorrt_llm/_utils.py _str_to_torch_dtype_dict, _str_to_trt_dtype_dict; str_dtype_to_torch
//   asserts "Unsupported dtype"), not DJL's "bf16"/"fp16": those images get TensorRT-LLM's names.
import { BACKENDS } from "./backends.js";
import { compareVersions, servingImage } from "./images.js";
import type { ExperimentSpec } from "./schema.js";

export const DEFAULT_MAX_ROLLING_BATCH_SIZE = 32;
/** DJL 0.22 reads option.model_id on S3; 0.21 only option.s3url. */
export const MODEL_ID_ON_S3_FROM = "0.22.0";
/** LMI v17 (DJL 0.35.0): vLLM's async mode is the default. */
export const VLLM_ASYNC_FROM = "0.35.0";
/** DJL 0.30: the HF handler derives device_map from the TP degree only with rolling batch on. */
export const DEVICE_MAP_FROM_ROLLING_BATCH_ONLY = "0.30.0";
/** DJL 0.33: TensorRT-LLM's LLM API reads option.dtype as given (trtllm_async_service). */
export const TRTLLM_LLM_API_FROM = "0.33.0";

const TRTLLM_DTYPES = { bf16: "bfloat16", fp16: "float16" } as const;

/** option.dtype as the spec's image and backend read it. */
export function servingDtype(spec: ExperimentSpec): string {
  const image = servingImage(spec.serving.image);
  if (
    spec.serving.backend === "trtllm" &&
    image !== undefined &&
    compareVersions(image.djlVersion, TRTLLM_LLM_API_FROM) >= 0
  )
    return TRTLLM_DTYPES[spec.serving.dtype];
  return spec.serving.dtype;
}

export interface ServingProperties {
  record: Record<string, string>;
  text: string;
}

/** LMI needs the trailing '/' to treat the S3 URI as a prefix of uncompressed files. */
export function withTrailingSlash(uri: string): string {
  return uri.endsWith("/") ? uri : `${uri}/`;
}

/** The key that names the weights on the spec's image. */
export function modelKey(imageTag: string): "option.s3url" | "option.model_id" {
  const image = servingImage(imageTag);
  return image !== undefined && compareVersions(image.djlVersion, MODEL_ID_ON_S3_FROM) < 0
    ? "option.s3url"
    : "option.model_id";
}

const ENTRY_POINTS = {
  deepspeed: "djl_python.deepspeed",
  fastertransformer: "djl_python.fastertransformer",
} as const;

export function servingProperties(spec: ExperimentSpec, modelS3Uri: string): ServingProperties {
  const backend = BACKENDS[spec.serving.backend];
  const image = servingImage(spec.serving.image);
  const djl = image?.djlVersion ?? "0.0.0";
  const entries: Array<[string, string]> = [["engine", backend.engine]];
  if (spec.serving.backend === "accelerate") {
    entries.push(["option.entryPoint", spec.serving.handler === "custom" ? "model.py" : "djl_python.huggingface"]);
  } else if (spec.serving.backend === "deepspeed" || spec.serving.backend === "fastertransformer") {
    entries.push(["option.entryPoint", ENTRY_POINTS[spec.serving.backend]]);
  }
  entries.push([modelKey(spec.serving.image), withTrailingSlash(modelS3Uri)]);
  entries.push(["option.tensor_parallel_degree", String(spec.serving.tensorParallelDegree)]);
  // A model trained in 16-bit loads as fp32 unless told otherwise (the seed's OOM tip).
  entries.push(["option.dtype", servingDtype(spec)]);
  if (spec.serving.backend === "accelerate" && image?.family === "lmi") {
    entries.push(["option.rolling_batch", "disable"]);
  }
  // The built-in HF handler with rolling batch off shards over the TP GPUs only when told to (header).
  if (
    spec.serving.backend === "accelerate" &&
    spec.serving.handler === "builtin" &&
    spec.serving.tensorParallelDegree > 1 &&
    compareVersions(djl, DEVICE_MAP_FROM_ROLLING_BATCH_ONLY) >= 0
  ) {
    entries.push(["option.device_map", "auto"]);
  }
  if ("rollingBatch" in backend) {
    const hp = spec.training.hyperparameters;
    if (backend.rollingBatch === "vllm" && compareVersions(djl, VLLM_ASYNC_FROM) >= 0) {
      entries.push(["option.async_mode", "true"]);
      entries.push(["option.rolling_batch", "disable"]);
    } else {
      entries.push(["option.rolling_batch", backend.rollingBatch]);
    }
    entries.push([
      "option.max_rolling_batch_size",
      String(spec.serving.maxRollingBatchSize ?? DEFAULT_MAX_ROLLING_BATCH_SIZE),
    ]);
    // Bounds the KV cache vLLM and LMI-Dist reserve; TensorRT-LLM sizes it at compile time instead.
    if (backend.rollingBatch !== "trtllm")
      entries.push(["option.max_model_len", String(hp.maxSourceLength + hp.generationMaxLength)]);
  }
  const record = Object.fromEntries(entries);
  return { record, text: `${entries.map(([k, v]) => `${k}=${v}`).join("\n")}\n` };
}
