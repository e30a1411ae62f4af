// Container images, read from data/sagemaker-catalog.json, which scripts/update-catalog writes from
// the SageMaker Python SDK's own image_uri_config (PyPI sagemaker-core, pinned; see `CATALOG_SOURCE`).
// No tag or ECR account is typed here. What is typed here is knowledge the SDK's files do not hold:
// which accelerator backend each LMI image family carries (djl-serving docs serving/docs/lmi:
// user_guides/*, announcements/breaking_changes.md, release_notes.md).
import catalog from "./data/sagemaker-catalog.json" with { type: "json" };
import type { Backend } from "./backends.js";

/** The SDK file an LMI image comes from: djl-lmi, djl-tensorrtllm, djl-deepspeed, djl-fastertransformer. */
export type ImageFamily = "lmi" | "tensorrtllm" | "deepspeed" | "fastertransformer";

export interface ServingImage {
  family: ImageFamily;
  djlVersion: string;
  repository: string;
  tag: string;
  /** region -> ECR account publishing it there */
  registries: Readonly<Record<string, string>>;
  /** The SDK's `latest` alias of its family. */
  latest: boolean;
  backends: readonly Backend[];
  /** A family AWS no longer releases (DeepSpeed, FasterTransformer): no fixes, no new models. */
  legacy: boolean;
}

export interface TrainingImage {
  /** `repository:tag`, the form a spec holds. */
  id: string;
  repository: string;
  tag: string;
  pytorch: string;
  /** Absent on the plain PyTorch DLC, which carries no Hugging Face libraries. */
  transformers?: string;
  python: string;
  registries: Readonly<Record<string, string>>;
}

interface CatalogFile {
  source: { package: string; version: string; path: string; generated: string; wheelSha256: string };
  serving: Array<{
    family: ImageFamily;
    djlVersion: string;
    repository: string;
    tag: string;
    registries: string;
    latest?: boolean;
  }>;
  training: Array<{
    repository: string;
    tag: string;
    pytorch: string;
    transformers?: string;
    python: string;
    registries: string;
  }>;
  instanceGpus: { regions: string[]; instances: Record<string, { gpus: number; totalGpuMemoryMiB: number }> };
  registries: Record<string, Record<string, string>>;
}

const data = catalog as CatalogFile;

export const CATALOG_SOURCE = data.source;
/** GPU count and total GPU memory per instance type, as the SDK's instance_gpu_info.json lists them. */
export const SDK_INSTANCE_GPUS: Readonly<Record<string, { gpus: number; totalGpuMemoryMiB: number }>> =
  data.instanceGpus.instances;

const registriesOf = (ref: string): Record<string, string> => {
  const found = data.registries[ref];
  if (found === undefined)
    throw new Error(`sagemaker-catalog.json: registry set ${ref} is missing; re-run scripts/update-catalog`);
  return found;
};

/** "0.33.0" < "0.38.0", numerically. */
export function compareVersions(a: string, b: string): number {
  const pa = a.split(/[.-]/).map(Number);
  const pb = b.split(/[.-]/).map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/** DJL 0.33.0 = LMI v15, which removed lmi-dist and the HF scheduler rolling batch (breaking_changes.md). */
export const LMI_DIST_REMOVED_IN = "0.33.0";

// Which backends each family carries. djl-deepspeed images run DeepSpeed inference and, in the same
// Python engine, HF Accelerate (the seed's engine=Python with its model.py); djl-fastertransformer
// images run FasterTransformer; djl-tensorrtllm images run TensorRT-LLM; djl-lmi images run vLLM and
// HF Accelerate (maintenance mode), and lmi-dist until LMI v15.
function backendsOf(family: ImageFamily, djlVersion: string): Backend[] {
  switch (family) {
    case "deepspeed":
      return ["accelerate", "deepspeed"];
    case "fastertransformer":
      return ["fastertransformer"];
    case "tensorrtllm":
      return ["trtllm"];
    case "lmi":
      return compareVersions(djlVersion, LMI_DIST_REMOVED_IN) < 0
        ? ["vllm", "accelerate", "lmi-dist"]
        : ["vllm", "accelerate"];
  }
}

/** Every LMI image the SDK lists, newest DJL version first. */
export const SERVING_IMAGES: readonly ServingImage[] = data.serving
  .map((s) => ({
    family: s.family,
    djlVersion: s.djlVersion,
    repository: s.repository,
    tag: s.tag,
    registries: registriesOf(s.registries),
    latest: s.latest === true,
    backends: backendsOf(s.family, s.djlVersion),
    legacy: s.family === "deepspeed" || s.family === "fastertransformer",
  }))
  .sort((a, b) => compareVersions(b.djlVersion, a.djlVersion));

/** Every GPU training image (Hugging Face and PyTorch DLCs) the SDK lists. */
export const TRAINING_IMAGES: readonly TrainingImage[] = data.training.map((t) => ({
  id: `${t.repository}:${t.tag}`,
  repository: t.repository,
  tag: t.tag,
  pytorch: t.pytorch,
  ...(t.transformers === undefined ? {} : { transformers: t.transformers }),
  python: t.python,
  registries: registriesOf(t.registries),
}));

/** The training image payload/train/requirements.txt is written for (it adds only what this image lacks). */
export const PAYLOAD_TRAINING_IMAGE =
  "huggingface-pytorch-training:2.9.0-transformers5.3.0-gpu-py312-cu130-ubuntu22.04";

export function servingImage(tag: string): ServingImage | undefined {
  return SERVING_IMAGES.find((i) => i.tag === tag);
}

export function trainingImage(id: string): TrainingImage | undefined {
  return TRAINING_IMAGES.find((i) => i.id === id);
}

export function availableIn(image: { registries: Readonly<Record<string, string>> }, region: string): boolean {
  return Object.hasOwn(image.registries, region);
}

/** Images that carry the backend, newest first; only those published in `region` when given. */
export function imagesCarrying(backend: Backend, region?: string): string[] {
  return SERVING_IMAGES.filter(
    (i) => i.backends.includes(backend) && (region === undefined || availableIn(i, region)),
  ).map((i) => i.tag);
}

/** Newest image that carries the backend: the one picked when the user names only a backend. */
export function defaultServingImage(backend: Backend, region?: string): string {
  const newest = imagesCarrying(backend, region)[0] ?? imagesCarrying(backend)[0];
  if (newest === undefined) throw new Error(`no serving image carries backend ${backend}`);
  return newest;
}

/** A backend that no current image carries: the newest image of every family that is still released lacks it. */
export function onlyOnLegacyImages(backend: Backend): boolean {
  const newestOfCurrentFamilies = (["lmi", "tensorrtllm"] as const).map((f) =>
    SERVING_IMAGES.find((i) => i.family === f),
  );
  return !newestOfCurrentFamilies.some((i) => i?.backends.includes(backend));
}

const uri = (
  image: { registries: Readonly<Record<string, string>>; repository: string; tag: string },
  region: string,
): string => {
  const account = image.registries[region];
  return account === undefined
    ? `${image.repository}:${image.tag} (not published in ${region})`
    : `${account}.dkr.ecr.${region}.amazonaws.com/${image.repository}:${image.tag}`;
};

/** The ECR URI; a spec whose image is not in the region has a guard error, and this says so in place of an account. */
export function servingImageUri(region: string, tag: string): string {
  const image = servingImage(tag);
  return image === undefined ? `djl-inference:${tag} (not in the catalog)` : uri(image, region);
}

export function trainingImageUri(region: string, id: string): string {
  const image = trainingImage(id);
  return image === undefined ? `${id} (not in the catalog)` : uri(image, region);
}

/** Edit distance, for "did you mean" lists of tags. */
function distance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++)
      row[j] = Math.min(
        (prev[j] ?? 0) + 1,
        (row[j - 1] ?? 0) + 1,
        (prev[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
    prev = row;
  }
  return prev[b.length] ?? 0;
}

/** The `count` candidates closest to `wanted` (edit distance, then newest first as listed). */
export function nearest(wanted: string, candidates: readonly string[], count = 3): string[] {
  return candidates
    .map((c, index) => ({ c, index, d: distance(wanted, c) }))
    .sort((x, y) => x.d - y.d || x.index - y.index)
    .slice(0, count)
    .map((x) => x.c);
}
