// ExperimentSpec: the one validated description of an experiment. It is plain JSON, stored as
// the stack's config, and every derivation (names, tags, DeepSpeed, env, serving.properties,
// cost) reads only this. The HF token never appears here: `hfToken` only says the stack must
// hold one as a Pulumi secret.
import { z } from "zod";
import { BACKEND_NAMES } from "./backends.js";
import { SERVING_INSTANCE_TYPES, TRAINING_INSTANCE_TYPES } from "./instances.js";
import { REGIONS } from "./regions.js";

export const SPEC_VERSION = 1;
export const ZERO_STAGES = ["2", "3", "3-offload"] as const;
export type ZeroStage = (typeof ZERO_STAGES)[number];
export const MAX_NODES = 16;
export const MAX_RUNTIME_SECONDS = 28 * 24 * 3600;
export const DEFAULT_RUNTIME_SECONDS = 24 * 3600;
export const MIN_TTL_SECONDS = 15 * 60;
export const MAX_TTL_SECONDS = 7 * 24 * 3600;

/** A regex whose failure message is the description of what is allowed (see parse.ts). */
const pattern = (re: RegExp, allowed: string) => z.string().regex(re, { error: allowed });

// Lowercase so every derived SageMaker, S3 and Pulumi name accepts it unchanged.
export const EXPERIMENT_NAME_ALLOWED = "1-63 lowercase letters, digits and single hyphens, starting with a letter";
/** Stack names zerostack itself uses on the same backend (program/base: the account's bucket and roles). */
export const RESERVED_NAMES = ["base"] as const;
export const experimentName = pattern(/^[a-z](-?[a-z0-9])*$/, EXPERIMENT_NAME_ALLOWED)
  .max(63)
  .refine((name) => !(RESERVED_NAMES as readonly string[]).includes(name), {
    error: "is reserved for the account's base stack",
    params: { allowed: "any other name" },
  });

export const BUCKET_ALLOWED =
  "an S3 bucket name: 3-63 lowercase letters, digits, dots and hyphens, starting and ending with a letter or digit";
const bucketName = pattern(/^(?!.*\.\.)[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, BUCKET_ALLOWED);
export const S3_URI_ALLOWED = "s3://<bucket>/<prefix> with a valid bucket name and no '//' in the key";
const s3Uri = pattern(
  /^s3:\/\/(?!.*\.\.)[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](\/(?!.*\/\/)[A-Za-z0-9!_.*'()=+\-/]*)?$/,
  S3_URI_ALLOWED,
);
const s3Prefix = pattern(
  /^(?!\/)(?!.*\/\/)[A-Za-z0-9!_.*'()=+\-/]{0,256}$/,
  "an S3 key prefix without a leading '/' or '//' (letters, digits, !_.*'()=+-/)",
);
// Images are checked against the SDK's catalog for the spec's region by a guard (guards.ts), which
// can name the nearest tags published there; the schema only checks their shape.
const servingImageTag = pattern(
  /^[0-9][A-Za-z0-9._-]{0,127}$/,
  "an LMI (djl-inference) image tag such as 0.38.0-lmi29.0.0-cu130",
);
const trainingImageId = pattern(
  /^(huggingface-pytorch-training|pytorch-training):[0-9][A-Za-z0-9._-]{0,127}$/,
  "huggingface-pytorch-training:<tag> or pytorch-training:<tag>, a GPU training DLC",
);
const envName = pattern(/^[A-Z_][A-Z0-9_]{0,127}$/, "an environment variable name: uppercase letters, digits and _");

const positiveInt = (max: number) => z.number().int().min(1).max(max);

const modelSizes = z.strictObject({
  parameters: z.number().int().min(1),
  hidden: positiveInt(1 << 16),
  layers: positiveInt(1024),
  decoderLayers: positiveInt(1024),
  heads: positiveInt(1024),
  kvHeads: positiveInt(1024),
  headDim: positiveInt(4096),
  vocab: positiveInt(1 << 22),
});

const hyperparameters = z.strictObject({
  epochs: z.number().gt(0).max(100),
  learningRate: z.number().gt(0).max(1),
  perDeviceTrainBatchSize: positiveInt(256),
  perDeviceEvalBatchSize: positiveInt(256),
  gradientAccumulationSteps: positiveInt(1024),
  maxSourceLength: z.number().int().min(8).max(32768),
  maxTargetLength: positiveInt(32768),
  generationMaxLength: positiveInt(32768),
  warmupSteps: z.number().int().min(0).max(1_000_000),
  weightDecay: z.number().min(0).max(1),
  gradientClipping: z.number().gt(0).max(100),
  evalSteps: positiveInt(1_000_000),
  loggingSteps: positiveInt(1_000_000),
  seed: z
    .number()
    .int()
    .min(0)
    .max(2 ** 31 - 1),
  gradientCheckpointing: z.boolean(),
});

const isPowerOfTwo = (n: number) => Number.isInteger(n) && n >= 1 && (n & (n - 1)) === 0;

const training = z.strictObject({
  instanceType: z.enum(TRAINING_INSTANCE_TYPES),
  nodes: positiveInt(MAX_NODES).refine(isPowerOfTwo, {
    error: "must be a power of two",
    params: { allowed: `1, 2, 4, 8 or ${MAX_NODES}` },
  }),
  zero: z.enum(ZERO_STAGES),
  precision: z.enum(["bf16", "fp16"]),
  image: trainingImageId,
  hyperparameters,
  maxRuntimeSeconds: z.number().int().min(60).max(MAX_RUNTIME_SECONDS),
  /** Managed spot: cheaper, can be interrupted; SageMaker then needs MaxWaitTimeInSeconds. */
  spot: z.boolean(),
  maxWaitSeconds: z
    .number()
    .int()
    .min(60)
    .max(MAX_RUNTIME_SECONDS * 2)
    .optional(),
  ncclDebug: z.enum(["INFO", "WARN"]),
  /** Extra launcher environment; the derived variables win on conflict only where guards allow. */
  environment: z.record(envName, z.string().max(4096)),
});

const serving = z.strictObject({
  /** false: training only; true: training, then a model, endpoint config and endpoint. */
  enabled: z.boolean(),
  instanceType: z.enum(SERVING_INSTANCE_TYPES),
  instanceCount: positiveInt(8),
  backend: z.enum(BACKEND_NAMES),
  image: servingImageTag,
  tensorParallelDegree: positiveInt(64),
  dtype: z.enum(["bf16", "fp16"]),
  /** "custom": payload/serve's model.py is the entry point (the seed's handler). */
  handler: z.enum(["builtin", "custom"]),
  maxRollingBatchSize: positiveInt(1024).optional(),
  /** 0: no TTL (the endpoint bills until destroyed; a guard warns) */
  ttlSeconds: z
    .number()
    .int()
    .refine((s) => s === 0 || (s >= MIN_TTL_SECONDS && s <= MAX_TTL_SECONDS), {
      error: "is not a TTL zerostack schedules",
      params: { allowed: `0 (no TTL), or ${MIN_TTL_SECONDS / 60}m to ${MAX_TTL_SECONDS / 86400}d` },
    }),
  /** Overrides the size-scaled default (see health-check.ts). */
  healthCheckTimeoutSeconds: z.number().int().min(60).max(3600).optional(),
});

export const experimentSpecSchema = z.strictObject({
  specVersion: z.literal(SPEC_VERSION),
  name: experimentName,
  /** The preset the spec grew from, kept for tags and the UI; "custom" when none. */
  preset: pattern(/^[a-z0-9][a-z0-9.-]{0,62}$/, "a preset name (lowercase letters, digits, dots, hyphens)"),
  region: z.enum(REGIONS),
  model: z.strictObject({
    id: pattern(
      /^[A-Za-z0-9][A-Za-z0-9._-]*(\/[A-Za-z0-9][A-Za-z0-9._-]*)?$/,
      "a Hugging Face model id such as google/flan-t5-xxl",
    ).max(128),
    kind: z.enum(["seq2seq", "causal"]),
    /** "s3": the base model is staged in S3 and pulled with s5cmd (the seed's tip for hub timeouts). */
    source: z.enum(["hub", "config", "s3"]),
    s3Uri: s3Uri.optional(),
    sizes: modelSizes,
  }),
  hfToken: z.boolean(),
  dataset: z.strictObject({
    /** A Hugging Face dataset id with an optional config, e.g. cnn_dailymail:3.0.0; the payload reads it. */
    name: pattern(
      /^[A-Za-z0-9][A-Za-z0-9._/-]*(:[A-Za-z0-9._-]+)?$/,
      "a dataset id such as cnn_dailymail:3.0.0 or owner/name",
    ).max(128),
    train: s3Uri,
    test: s3Uri,
  }),
  output: z.strictObject({ bucket: bucketName, prefix: s3Prefix }),
  training,
  serving,
  tags: z.record(z.string(), z.string()),
  /** The grid this experiment is a cell of (`up --zero 2,3 ...`): its objects carry the zerostack:grid tag. */
  grid: experimentName.optional(),
});

export type ExperimentSpec = z.infer<typeof experimentSpecSchema>;
export type Hyperparameters = ExperimentSpec["training"]["hyperparameters"];
