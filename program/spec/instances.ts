// Instance tables: what the guards and the memory/cost math need to know about a machine.
// GPU count and GPU memory come from the SageMaker SDK's instance_gpu_info.json (images.ts reads the
// catalog scripts/update-catalog writes) for every type it lists. sagemaker-core 2.27.0 lists no
// ml.g5.xlarge, ml.g6.* or ml.g6e.*: those rows keep numbers from the EC2 accelerated-computing spec
// pages (as of 2025-06) and say so in `gpuSource`. GPU model, host memory and EFA are not in the
// SDK's file: they come from the same spec pages. gpuDirectRdma is true only where EFA carries GPU
// memory directly (p4d/p4de/p5): the seed's FI_EFA_USE_DEVICE_RDMA=1 only makes sense there, while
// g5/g6 48xlarge have an EFA adapter without GPUDirect RDMA.
import { SDK_INSTANCE_GPUS } from "./images.js";

export interface InstanceType {
  gpus: number;
  gpuModel: string;
  /** Memory per GPU in GiB: the SDK's TotalGpuMemoryInMiB / Count / 1024 where it lists the type. */
  gpuMemoryGiB: number;
  /** Host memory, GiB (ZeRO-3 offload puts optimizer states and params there). */
  hostMemoryGiB: number;
  efa: boolean;
  gpuDirectRdma: boolean;
  /** bf16 needs Ampere or newer; every GPU in these tables has it. */
  bf16: boolean;
  /** Where gpus and gpuMemoryGiB come from. */
  gpuSource: "sdk" | "ec2-spec-page";
}

/** A type the SDK's instance_gpu_info.json lists: GPU count and memory from there. */
const sdk = (
  type: string,
  gpuModel: string,
  hostMemoryGiB: number,
  efa = false,
  gpuDirectRdma = false,
): InstanceType => {
  const row = SDK_INSTANCE_GPUS[type];
  if (row === undefined)
    throw new Error(
      `${type} is not in the SDK's instance_gpu_info.json; re-run scripts/update-catalog or list it as not in the SDK`,
    );
  const gpuMemoryGiB = Math.round((row.totalGpuMemoryMiB / row.gpus / 1024) * 100) / 100;
  return { gpus: row.gpus, gpuModel, gpuMemoryGiB, hostMemoryGiB, efa, gpuDirectRdma, bf16: true, gpuSource: "sdk" };
};

/** A type the SDK's file lacks: numbers from the EC2 spec pages (usable GiB as nvidia-smi reports it). */
const notInSdk = (
  gpus: number,
  gpuModel: string,
  gpuMemoryGiB: number,
  hostMemoryGiB: number,
  efa = false,
): InstanceType => ({
  gpus,
  gpuModel,
  gpuMemoryGiB,
  hostMemoryGiB,
  efa,
  gpuDirectRdma: false,
  bf16: true,
  gpuSource: "ec2-spec-page",
});

export const TRAINING_INSTANCES = {
  "ml.p4d.24xlarge": sdk("ml.p4d.24xlarge", "A100 40GB", 1152, true, true),
  "ml.p4de.24xlarge": sdk("ml.p4de.24xlarge", "A100 80GB", 1152, true, true),
  "ml.p5.48xlarge": sdk("ml.p5.48xlarge", "H100 80GB", 2048, true, true),
  "ml.g5.xlarge": notInSdk(1, "A10G", 22.5, 16),
  "ml.g5.2xlarge": sdk("ml.g5.2xlarge", "A10G", 32),
  "ml.g5.12xlarge": sdk("ml.g5.12xlarge", "A10G", 192),
  "ml.g5.48xlarge": sdk("ml.g5.48xlarge", "A10G", 768, true),
  "ml.g6.xlarge": notInSdk(1, "L4", 22.5, 16),
  "ml.g6.12xlarge": notInSdk(4, "L4", 22.5, 192),
  "ml.g6.48xlarge": notInSdk(8, "L4", 22.5, 768, true),
} as const satisfies Record<string, InstanceType>;

export const SERVING_INSTANCES = {
  "ml.g5.xlarge": notInSdk(1, "A10G", 22.5, 16),
  "ml.g5.2xlarge": sdk("ml.g5.2xlarge", "A10G", 32),
  "ml.g5.4xlarge": sdk("ml.g5.4xlarge", "A10G", 64),
  "ml.g5.12xlarge": sdk("ml.g5.12xlarge", "A10G", 192),
  "ml.g5.24xlarge": sdk("ml.g5.24xlarge", "A10G", 384),
  "ml.g5.48xlarge": sdk("ml.g5.48xlarge", "A10G", 768),
  "ml.g6.xlarge": notInSdk(1, "L4", 22.5, 16),
  "ml.g6.2xlarge": notInSdk(1, "L4", 22.5, 32),
  "ml.g6.12xlarge": notInSdk(4, "L4", 22.5, 192),
  "ml.g6.48xlarge": notInSdk(8, "L4", 22.5, 768),
  "ml.g6e.xlarge": notInSdk(1, "L40S", 45, 32),
  "ml.g6e.2xlarge": notInSdk(1, "L40S", 45, 64),
  "ml.g6e.12xlarge": notInSdk(4, "L40S", 45, 384),
  "ml.g6e.48xlarge": notInSdk(8, "L40S", 45, 1536),
  "ml.p4d.24xlarge": sdk("ml.p4d.24xlarge", "A100 40GB", 1152),
  "ml.p5.48xlarge": sdk("ml.p5.48xlarge", "H100 80GB", 2048),
} as const satisfies Record<string, InstanceType>;

export type TrainingInstanceType = keyof typeof TRAINING_INSTANCES;
export type ServingInstanceType = keyof typeof SERVING_INSTANCES;

export const TRAINING_INSTANCE_TYPES = Object.keys(TRAINING_INSTANCES) as [
  TrainingInstanceType,
  ...TrainingInstanceType[],
];
export const SERVING_INSTANCE_TYPES = Object.keys(SERVING_INSTANCES) as [ServingInstanceType, ...ServingInstanceType[]];

export function trainingInstance(type: TrainingInstanceType): InstanceType {
  return TRAINING_INSTANCES[type];
}

export function servingInstance(type: ServingInstanceType): InstanceType {
  return SERVING_INSTANCES[type];
}
