// How long SageMaker waits for the LMI container to download and load the weights. The seed
// needed 2400 s for Flan-T5-XXL (11B, ~22 GB in bf16) on ml.g5.48xlarge; 600 s of container start
// plus 80 s per GB of weights reproduces that and scales to smaller and larger models.
import { weightBytes } from "./memory.js";
import type { ExperimentSpec } from "./schema.js";

export const HEALTH_CHECK_BASE_SECONDS = 600;
export const HEALTH_CHECK_SECONDS_PER_GB = 80;
/** SageMaker's maximum for ContainerStartupHealthCheckTimeoutInSeconds. */
export const HEALTH_CHECK_MAX_SECONDS = 3600;
/** TensorRT-LLM compiles engines when it loads the model. */
const TRTLLM_COMPILE_SECONDS = 600;

export function healthCheckTimeoutSeconds(spec: ExperimentSpec): number {
  if (spec.serving.healthCheckTimeoutSeconds !== undefined) return spec.serving.healthCheckTimeoutSeconds;
  const gb = weightBytes(spec) / 1e9;
  const compile = spec.serving.backend === "trtllm" ? TRTLLM_COMPILE_SECONDS : 0;
  const raw = HEALTH_CHECK_BASE_SECONDS + HEALTH_CHECK_SECONDS_PER_GB * gb + compile;
  const rounded = Math.round(raw / 100) * 100;
  return Math.min(HEALTH_CHECK_MAX_SECONDS, Math.max(HEALTH_CHECK_BASE_SECONDS, rounded));
}
