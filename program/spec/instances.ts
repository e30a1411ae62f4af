// Instance tables: what the guards and the memory/cost math need to know about a machine.
// Source: AWS "Amazon SageMaker AI instance types" and the EC2 accelerated-computing spec pages
// (GPU model, count, memory, EFA), as of 2025-06. gpuDirectRdma is true only where EFA carries
// GPU memory directly (p4d/p4de/p5): the seed's FI_EFA_USE_DEVICE_RDMA=1 only makes sense there,
// while g5/g6 48xlarge have an EFA adapter without GPUDirect RDMA.

export interface InstanceType {
  gpus: number;
  gpuModel: string;
  /** Usable memory per GPU in GiB as nvidia-smi reports it (an A10G's "24 GB" is 22.5 GiB). */
  gpuMemoryGiB: number;
  /** Host memory, GiB (ZeRO-3 offload puts optimizer states and params there). */
  hostMemoryGiB: number;
  efa: boolean;
  gpuDirectRdma: boolean;
  /** bf16 needs Ampere or newer; every GPU in these tables has it. */
  bf16: boolean;
}

const gpu = (
  gpus: number,
  gpuModel: string,
  gpuMemoryGiB: number,
  hostMemoryGiB: number,
  efa = false,
  gpuDirectRdma = false,
): InstanceType => ({ gpus, gpuModel, gpuMemoryGiB, hostMemoryGiB, efa, gpuDirectRdma, bf16: true });

export const TRAINING_INSTANCES = {
  "ml.p4d.24xlarge": gpu(8, "A100 40GB", 40, 1152, true, true),
  "ml.p4de.24xlarge": gpu(8, "A100 80GB", 80, 1152, true, true),
  "ml.p5.48xlarge": gpu(8, "H100 80GB", 79.6, 2048, true, true),
  "ml.g5.xlarge": gpu(1, "A10G", 22.5, 16),
  "ml.g5.2xlarge": gpu(1, "A10G", 22.5, 32),
  "ml.g5.12xlarge": gpu(4, "A10G", 22.5, 192),
  "ml.g5.48xlarge": gpu(8, "A10G", 22.5, 768, true),
  "ml.g6.xlarge": gpu(1, "L4", 22.5, 16),
  "ml.g6.12xlarge": gpu(4, "L4", 22.5, 192),
  "ml.g6.48xlarge": gpu(8, "L4", 22.5, 768, true),
} as const satisfies Record<string, InstanceType>;

export const SERVING_INSTANCES = {
  "ml.g5.xlarge": gpu(1, "A10G", 22.5, 16),
  "ml.g5.2xlarge": gpu(1, "A10G", 22.5, 32),
  "ml.g5.4xlarge": gpu(1, "A10G", 22.5, 64),
  "ml.g5.12xlarge": gpu(4, "A10G", 22.5, 192),
  "ml.g5.24xlarge": gpu(4, "A10G", 22.5, 384),
  "ml.g5.48xlarge": gpu(8, "A10G", 22.5, 768),
  "ml.g6.xlarge": gpu(1, "L4", 22.5, 16),
  "ml.g6.2xlarge": gpu(1, "L4", 22.5, 32),
  "ml.g6.12xlarge": gpu(4, "L4", 22.5, 192),
  "ml.g6.48xlarge": gpu(8, "L4", 22.5, 768),
  "ml.g6e.xlarge": gpu(1, "L40S", 45, 32),
  "ml.g6e.2xlarge": gpu(1, "L40S", 45, 64),
  "ml.g6e.12xlarge": gpu(4, "L40S", 45, 384),
  "ml.g6e.48xlarge": gpu(8, "L40S", 45, 1536),
  "ml.p4d.24xlarge": gpu(8, "A100 40GB", 40, 1152),
  "ml.p5.48xlarge": gpu(8, "H100 80GB", 79.6, 2048),
} as const satisfies Record<string, InstanceType>;

export type TrainingInstanceType = keyof typeof TRAINING_INSTANCES;
export type ServingInstanceType = keyof typeof SERVING_INSTANCES;

export const TRAINING_INSTANCE_TYPES = Object.keys(TRAINING_INSTANCES) as [TrainingInstanceType, ...TrainingInstanceType[]];
export const SERVING_INSTANCE_TYPES = Object.keys(SERVING_INSTANCES) as [ServingInstanceType, ...ServingInstanceType[]];

export function trainingInstance(type: TrainingInstanceType): InstanceType {
  return TRAINING_INSTANCES[type];
}

export function servingInstance(type: ServingInstanceType): InstanceType {
  return SERVING_INSTANCES[type];
}
