// Preset (or spec file) + the user's choices -> a validated spec. The TUI, `plan` and `up` all
// come through here, so a choice means the same thing on every front end.
import { BadInputError } from "../errors.js";
import { BACKENDS, type Backend } from "./backends.js";
import { defaultServingImage } from "./images.js";
import { SERVING_INSTANCES, type ServingInstanceType } from "./instances.js";
import { parseSpec } from "./parse.js";
import { DEFAULT_BUCKET, DEFAULT_PREFIX, isPresetName, PRESET_NAMES, PRESETS } from "./presets.js";
import type { ExperimentSpec } from "./schema.js";
import { DEFAULT_MAX_ROLLING_BATCH_SIZE } from "./serving-properties.js";

/**
 * What a user may choose on top of a preset. Values are as typed by the user (strings where a
 * flag gives a string); parseSpec validates them, so a bad one is reported with its field.
 */
export interface SpecOverrides {
  name?: string;
  region?: string;
  bucket?: string;
  prefix?: string;
  trainData?: string;
  testData?: string;
  nodes?: number;
  zero?: string;
  trainInstance?: string;
  serveInstance?: string;
  backend?: string;
  serveImage?: string;
  tp?: number;
  ttlSeconds?: number;
  epochs?: number;
  learningRate?: number;
  maxRuntimeSeconds?: number;
  spot?: boolean;
  /** false: training only. */
  serving?: boolean;
  hfToken?: boolean;
  tags?: Record<string, string>;
}

/** Which spec field each override sets: the CLI uses it to name flags in errors. */
export const OVERRIDE_FIELDS: Record<keyof SpecOverrides, string> = {
  name: "name",
  region: "region",
  bucket: "output.bucket",
  prefix: "output.prefix",
  trainData: "dataset.train",
  testData: "dataset.test",
  nodes: "training.nodes",
  zero: "training.zero",
  trainInstance: "training.instanceType",
  serveInstance: "serving.instanceType",
  backend: "serving.backend",
  serveImage: "serving.image",
  tp: "serving.tensorParallelDegree",
  ttlSeconds: "serving.ttlSeconds",
  epochs: "training.hyperparameters.epochs",
  learningRate: "training.hyperparameters.learningRate",
  maxRuntimeSeconds: "training.maxRuntimeSeconds",
  spot: "training.spot",
  serving: "serving.enabled",
  hfToken: "hfToken",
  tags: "tags",
};

type Raw = Record<string, unknown>;
const isRecord = (v: unknown): v is Raw => typeof v === "object" && v !== null && !Array.isArray(v);
const section = (raw: Raw, key: string): Raw => (isRecord(raw[key]) ? { ...raw[key] } : {});

/** A valid experiment name from a preset name ("llama-3.1-8b" -> "llama-3-1-8b"). */
export function defaultExperimentName(preset: string): string {
  return (
    preset
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^[^a-z]+/, "")
      .replace(/-+$/, "") || "experiment"
  );
}

/** The preset as a raw spec (not yet validated) with the user-only parts filled by defaults. */
export function presetInput(presetName: string, bucket = DEFAULT_BUCKET, prefix = DEFAULT_PREFIX): Raw {
  if (!isPresetName(presetName)) {
    throw new BadInputError(
      [{ field: "preset", message: `unknown preset ${JSON.stringify(presetName)}`, allowed: PRESET_NAMES.join(", ") }],
      "run `zerostack presets` to list them",
    );
  }
  const preset = PRESETS[presetName];
  const at = (key: string) => `s3://${bucket}/${[prefix, key].filter((p) => p !== "").join("/")}/`;
  return structuredClone({
    ...preset.spec,
    name: defaultExperimentName(presetName),
    preset: presetName,
    dataset: { name: preset.spec.dataset.name, train: at(preset.datasetKeys.train), test: at(preset.datasetKeys.test) },
    output: { bucket, prefix },
  }) as Raw;
}

/**
 * Applies overrides to a raw spec. A few choices carry their consequences, as a user means them:
 * a new backend brings its default image and drops settings it lacks; a new serving instance
 * brings TP = its GPU count unless --tp is given.
 */
export function applyOverrides(base: unknown, o: SpecOverrides): Raw {
  const raw: Raw = isRecord(base) ? structuredClone(base) : {};
  const training = section(raw, "training");
  const hp = section(training, "hyperparameters");
  const serving = section(raw, "serving");
  const output = section(raw, "output");
  const dataset = section(raw, "dataset");
  const set = (target: Raw, key: string, value: unknown) => {
    if (value !== undefined) target[key] = value;
  };
  set(raw, "name", o.name);
  set(raw, "region", o.region);
  set(raw, "hfToken", o.hfToken);
  if (o.tags !== undefined) raw.tags = { ...(isRecord(raw.tags) ? raw.tags : {}), ...o.tags };
  set(output, "bucket", o.bucket);
  set(output, "prefix", o.prefix);
  set(dataset, "train", o.trainData);
  set(dataset, "test", o.testData);
  set(training, "nodes", o.nodes);
  set(training, "zero", o.zero);
  set(training, "instanceType", o.trainInstance);
  set(training, "maxRuntimeSeconds", o.maxRuntimeSeconds);
  set(training, "spot", o.spot);
  set(hp, "epochs", o.epochs);
  set(hp, "learningRate", o.learningRate);
  set(serving, "enabled", o.serving);
  set(serving, "instanceType", o.serveInstance);
  set(serving, "ttlSeconds", o.ttlSeconds);
  if (o.backend !== undefined && o.backend !== serving.backend) {
    serving.backend = o.backend;
    if (Object.hasOwn(BACKENDS, o.backend)) {
      const backend = BACKENDS[o.backend as Backend];
      if (o.serveImage === undefined)
        serving.image = defaultServingImage(
          o.backend as Backend,
          typeof raw.region === "string" ? raw.region : undefined,
        );
      if (!("rollingBatch" in backend)) delete serving.maxRollingBatchSize;
      else serving.maxRollingBatchSize ??= DEFAULT_MAX_ROLLING_BATCH_SIZE;
      if (o.backend !== "accelerate") serving.handler = "builtin";
    }
  }
  set(serving, "image", o.serveImage);
  if (o.serveInstance !== undefined && o.tp === undefined && Object.hasOwn(SERVING_INSTANCES, o.serveInstance)) {
    serving.tensorParallelDegree = SERVING_INSTANCES[o.serveInstance as ServingInstanceType].gpus;
  }
  set(serving, "tensorParallelDegree", o.tp);
  training.hyperparameters = hp;
  return { ...raw, training, serving, output, dataset };
}

/** Preset name + overrides -> a validated spec; throws BadInputError listing every problem. */
export function specFromPreset(presetName: string, overrides: SpecOverrides = {}): ExperimentSpec {
  const base = presetInput(presetName, overrides.bucket ?? DEFAULT_BUCKET, overrides.prefix ?? DEFAULT_PREFIX);
  return parseSpec(applyOverrides(base, overrides), { fallback: base });
}

/** A spec document (a file, a stack's config) + overrides -> a validated spec. */
export function specFromInput(input: unknown, overrides: SpecOverrides = {}): ExperimentSpec {
  return parseSpec(applyOverrides(input, overrides), { fallback: input });
}
