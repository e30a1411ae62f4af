// Container images: which LMI tag carries which backend, and the training DLCs the payload runs on.
// Sources: aws/deep-learning-containers available_images.md ("Large Model Inference Containers",
// "HuggingFace Training Containers", "PyTorch Training Containers") and djl-serving
// serving/docs/lmi/release_notes.md, as of 2025-06. The 0.21/0.22 tags are the 2023 images the seed
// used; they still pull but get no fixes.
import type { Backend } from "./backends.js";
import { ecrRegistry, type Region } from "./regions.js";

export interface ServingImage {
  repository: "djl-inference";
  backends: readonly Backend[];
  released: string;
  legacy: boolean;
}

export const SERVING_IMAGES = {
  "0.21.0-deepspeed0.8.0-cu117": { repository: "djl-inference", backends: ["accelerate", "deepspeed"], released: "2023-02", legacy: true },
  "0.22.1-deepspeed0.9.2-cu118": { repository: "djl-inference", backends: ["accelerate", "deepspeed"], released: "2023-06", legacy: true },
  "0.22.1-fastertransformer5.3.0-cu118": { repository: "djl-inference", backends: ["fastertransformer"], released: "2023-06", legacy: true },
  "0.31.0-lmi13.0.0-cu124": { repository: "djl-inference", backends: ["vllm", "lmi-dist"], released: "2024-12", legacy: false },
  "0.31.0-tensorrtllm0.12.0-cu125": { repository: "djl-inference", backends: ["trtllm"], released: "2024-12", legacy: false },
} as const satisfies Record<string, ServingImage>;

export type ServingImageTag = keyof typeof SERVING_IMAGES;
export const SERVING_IMAGE_TAGS = Object.keys(SERVING_IMAGES) as [ServingImageTag, ...ServingImageTag[]];

export interface TrainingImage {
  repository: "huggingface-pytorch-training" | "pytorch-training";
  tag: string;
  released: string;
}

/** Keyed `repository:tag`, the form a user writes in a spec. */
export const TRAINING_IMAGES = {
  "huggingface-pytorch-training:2.1.0-transformers4.36.0-gpu-py310-cu121": {
    repository: "huggingface-pytorch-training",
    tag: "2.1.0-transformers4.36.0-gpu-py310-cu121",
    released: "2024-01",
  },
  "pytorch-training:2.5.1-gpu-py311-cu124-ubuntu22.04-sagemaker": {
    repository: "pytorch-training",
    tag: "2.5.1-gpu-py311-cu124-ubuntu22.04-sagemaker",
    released: "2024-12",
  },
} as const satisfies Record<string, TrainingImage>;

export type TrainingImageId = keyof typeof TRAINING_IMAGES;
export const TRAINING_IMAGE_IDS = Object.keys(TRAINING_IMAGES) as [TrainingImageId, ...TrainingImageId[]];

/** Newest image that carries the backend: the one picked when the user names only a backend. */
export function defaultServingImage(backend: Backend): ServingImageTag {
  const carrying = SERVING_IMAGE_TAGS.filter((tag) => (SERVING_IMAGES[tag].backends as readonly Backend[]).includes(backend));
  const newest = carrying.sort((a, b) => SERVING_IMAGES[b].released.localeCompare(SERVING_IMAGES[a].released))[0];
  if (newest === undefined) throw new Error(`no serving image carries backend ${backend}`);
  return newest;
}

export function imagesCarrying(backend: Backend): ServingImageTag[] {
  return SERVING_IMAGE_TAGS.filter((tag) => (SERVING_IMAGES[tag].backends as readonly Backend[]).includes(backend));
}

export function servingImageUri(region: Region, tag: ServingImageTag): string {
  return `${ecrRegistry(region)}/${SERVING_IMAGES[tag].repository}:${tag}`;
}

export function trainingImageUri(region: Region, id: TrainingImageId): string {
  const image = TRAINING_IMAGES[id];
  return `${ecrRegistry(region)}/${image.repository}:${image.tag}`;
}
