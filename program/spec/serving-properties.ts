// serving.properties for the LMI container, as ordered key/value pairs: the record is what code
// inspects, the text is what goes into the model tarball.
import { BACKENDS } from "./backends.js";
import type { ExperimentSpec } from "./schema.js";

export const DEFAULT_MAX_ROLLING_BATCH_SIZE = 32;

export interface ServingProperties {
  record: Record<string, string>;
  text: string;
}

/** LMI needs the trailing '/' to treat the S3 URI as a prefix of uncompressed files. */
export function withTrailingSlash(uri: string): string {
  return uri.endsWith("/") ? uri : `${uri}/`;
}

export function servingProperties(spec: ExperimentSpec, modelS3Uri: string): ServingProperties {
  const backend = BACKENDS[spec.serving.backend];
  const entries: Array<[string, string]> = [["engine", backend.engine]];
  if (spec.serving.backend === "accelerate") {
    entries.push(["option.entryPoint", spec.serving.handler === "custom" ? "model.py" : "djl_python.huggingface"]);
  }
  entries.push([backend.modelKey, withTrailingSlash(modelS3Uri)]);
  entries.push(["option.tensor_parallel_degree", String(spec.serving.tensorParallelDegree)]);
  // A model trained in 16-bit loads as fp32 unless told otherwise (the seed's OOM tip).
  entries.push(["option.dtype", spec.serving.dtype]);
  if ("rollingBatch" in backend) {
    const hp = spec.training.hyperparameters;
    entries.push(["option.rolling_batch", backend.rollingBatch]);
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
