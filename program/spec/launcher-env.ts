// The training job's environment, read by payload/train's entry point and torchrun launcher.
import { trainingInstance } from "./instances.js";
import type { ExperimentSpec } from "./schema.js";

/** EFA with GPUDirect RDMA: the seed reports a very large speed-up on p4d from these three. */
export const EFA_ENV = { FI_PROVIDER: "efa", NCCL_PROTO: "simple", FI_EFA_USE_DEVICE_RDMA: "1" } as const;
export const EFA_ENV_NAMES = Object.keys(EFA_ENV);
/** Names the derivation owns; a user's `training.environment` may not set them. */
export const RESERVED_ENV_NAMES = [
  "NODE_NUMBER",
  "MODEL_S3_PATH",
  "NCCL_DEBUG",
  "NCCL_SOCKET_IFNAME",
  "HF_TOKEN",
  "HUGGING_FACE_HUB_TOKEN",
];

export function launcherEnv(spec: ExperimentSpec, modelS3Uri: string): Record<string, string> {
  const instance = trainingInstance(spec.training.instanceType);
  return {
    ...spec.training.environment,
    NODE_NUMBER: String(spec.training.nodes),
    MODEL_S3_PATH: modelS3Uri,
    NCCL_DEBUG: spec.training.ncclDebug,
    // The entry point sets it too; having it here makes a job's config say how it ran.
    NCCL_SOCKET_IFNAME: "eth0",
    ...(instance.gpuDirectRdma ? EFA_ENV : {}),
  };
}
