// SageMaker and scheduler names, deterministic from the spec so a re-run finds (and adopts)
// what a killed run created.
//
// The training job and the model/endpoint-config names carry a hash of what they depend on:
// SageMaker keeps training-job names forever (a job cannot be deleted), so a changed training
// part needs a new name; and an endpoint update creates the new endpoint config (and model)
// before the old one is removed, so both must exist side by side under different names.
// The endpoint name stays stable: clients and the TTL schedule address it.
import { shortHash } from "./canonical.js";
import type { ExperimentSpec } from "./schema.js";

/** SageMaker's rule for training job, model, endpoint config and endpoint names. */
export const SAGEMAKER_NAME = /^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$/;
export const SAGEMAKER_NAME_MAX = 63;
/** EventBridge Scheduler schedule names. */
export const SCHEDULE_NAME = /^[0-9a-zA-Z-_.]{1,64}$/;

/** Every experiment's secret lives under this prefix: the execution role may read these alone. */
export const HF_TOKEN_SECRET_PREFIX = "zerostack/";

export interface ResourceNames {
  stack: string;
  trainingJob: string;
  model: string;
  endpointConfig: string;
  endpoint: string;
  ttlSchedule: string;
  /** the Secrets Manager secret holding the HF token: `zerostack/<experiment>/hf-token` (execution roles may read zerostack/*) */
  hfTokenSecret: string;
  /** s3://bucket/prefix/<experiment>/<training job>/model/ — where rank 0 uploads the weights. */
  modelS3Uri: string;
  /** s3://bucket/prefix/<experiment>/<training job>/ — SageMaker's OutputDataConfig. */
  outputS3Uri: string;
  /** s3://bucket/prefix/<experiment>/serving/<model>/ — the serving.properties tarball prefix. */
  servingCodeS3Prefix: string;
}

/**
 * Content hashes of the code that ships with the spec (payload/train, payload/serve): a changed
 * training script is a new training job as surely as a changed learning rate.
 */
export interface PayloadHashes {
  train: string;
  serve: string;
}

/** What the training job depends on: everything that changes what runs or where it writes. */
export function trainingPart(spec: ExperimentSpec, payload?: PayloadHashes): unknown {
  const part = {
    v: spec.specVersion,
    model: spec.model,
    dataset: spec.dataset,
    output: spec.output,
    training: spec.training,
    hfToken: spec.hfToken,
    region: spec.region,
  };
  return payload ? { ...part, code: payload.train } : part;
}

/** What the model and endpoint config depend on; TTL and tags are left out, they change in place. */
export function servingPart(spec: ExperimentSpec, payload?: PayloadHashes): unknown {
  const { ttlSeconds: _ttl, ...serving } = spec.serving;
  const part = { training: trainingPart(spec, payload), serving };
  return payload ? { ...part, code: payload.serve } : part;
}

/**
 * `base-suffix`, truncating `base` and adding a hash of the full base when it would pass `max`,
 * so two long experiment names that share a prefix still get different names.
 */
export function fitName(base: string, suffix: string, max = SAGEMAKER_NAME_MAX): string {
  const whole = `${base}-${suffix}`;
  if (whole.length <= max) return whole;
  const hash = shortHash(base, 6);
  const room = max - suffix.length - hash.length - 2;
  const head = base.slice(0, Math.max(1, room)).replace(/-+$/, "");
  return `${head}-${hash}-${suffix}`;
}

function joinS3(bucket: string, ...parts: string[]): string {
  const key = parts
    .flatMap((p) => p.split("/"))
    .filter((p) => p.length > 0)
    .join("/");
  return `s3://${bucket}/${key}/`;
}

export function resourceNames(spec: ExperimentSpec, payload?: PayloadHashes): ResourceNames {
  const base = spec.name;
  const trainHash = shortHash(trainingPart(spec, payload), 6);
  const serveHash = shortHash(servingPart(spec, payload), 6);
  const trainingJob = fitName(base, `${trainHash}-train`);
  const model = fitName(base, `${serveHash}-model`);
  const { bucket, prefix } = spec.output;
  return {
    stack: base,
    trainingJob,
    model,
    endpointConfig: fitName(base, `${serveHash}-epc`),
    endpoint: fitName(base, "ep"),
    ttlSchedule: fitName(base, "ttl", 64),
    hfTokenSecret: `${HF_TOKEN_SECRET_PREFIX}${base}/hf-token`,
    modelS3Uri: joinS3(bucket, prefix, base, trainingJob, "model"),
    outputS3Uri: joinS3(bucket, prefix, base, trainingJob),
    servingCodeS3Prefix: joinS3(bucket, prefix, base, "serving", model),
  };
}

export function isValidSageMakerName(name: string): boolean {
  return name.length <= SAGEMAKER_NAME_MAX && SAGEMAKER_NAME.test(name);
}
