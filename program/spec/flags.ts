// CLI flag strings -> SpecOverrides, and spec paths back to the flag the user typed, so that
// `plan` reports `--nodes (training.nodes)` rather than a path the user never wrote.
import { BadInputError, type Problem } from "../errors.js";
import { derivePlan, type Plan } from "./derive.js";
import type { PayloadHashes } from "./names.js";
import type { ExperimentSpec } from "./schema.js";
import { parseDuration } from "./duration.js";
import { OVERRIDE_FIELDS, specFromInput, specFromPreset, type SpecOverrides } from "./overrides.js";
import { PRESET_NAMES } from "./presets.js";

/** What commander hands the `plan` action: every value as typed. */
export interface PlanFlags {
  preset?: string;
  spec?: string;
  name?: string;
  region?: string;
  bucket?: string;
  prefix?: string;
  nodes?: string;
  zero?: string;
  backend?: string;
  trainInstance?: string;
  serveInstance?: string;
  tp?: string;
  ttl?: string;
  epochs?: string;
  lr?: string;
  maxRuntime?: string;
  trainHours?: string;
  /** commander's `--no-serving` */
  serving?: boolean;
  /** the stack holds a Hugging Face token (from HF_TOKEN) as a Pulumi secret */
  hfToken?: boolean;
  json?: boolean;
}

const FLAG_OF: Partial<Record<keyof SpecOverrides, string>> = {
  name: "--name",
  region: "--region",
  bucket: "--bucket",
  prefix: "--prefix",
  nodes: "--nodes",
  zero: "--zero",
  trainInstance: "--train-instance",
  serveInstance: "--serve-instance",
  backend: "--backend",
  tp: "--tp",
  ttlSeconds: "--ttl",
  epochs: "--epochs",
  learningRate: "--lr",
  maxRuntimeSeconds: "--max-runtime",
  serving: "--no-serving",
  hfToken: "--hf-token",
};

interface Parsed {
  overrides: SpecOverrides;
  problems: Problem[];
  trainingHours?: number;
}

function number(flag: string, text: string, problems: Problem[], opts: { integer?: boolean } = {}): number | undefined {
  const value = Number(text);
  if (text.trim() === "" || !Number.isFinite(value) || (opts.integer && !Number.isInteger(value))) {
    problems.push({
      field: flag,
      message: `${JSON.stringify(text)} is not ${opts.integer ? "an integer" : "a number"}`,
      allowed: opts.integer ? "an integer such as 2" : "a number such as 1e-4",
    });
    return undefined;
  }
  return value;
}

function duration(flag: string, text: string, problems: Problem[]): number | undefined {
  const seconds = parseDuration(text);
  if (seconds === undefined)
    problems.push({
      field: flag,
      message: `${JSON.stringify(text)} is not a duration`,
      allowed: "seconds or 30m, 2h, 1d, 1h30m",
    });
  return seconds;
}

/** Flag strings -> overrides; a flag that cannot even be read is a problem of its own. */
export function overridesFromFlags(flags: PlanFlags): Parsed {
  const problems: Problem[] = [];
  const o: SpecOverrides = {};
  if (flags.name !== undefined) o.name = flags.name;
  if (flags.region !== undefined) o.region = flags.region;
  if (flags.bucket !== undefined) o.bucket = flags.bucket;
  if (flags.prefix !== undefined) o.prefix = flags.prefix;
  if (flags.zero !== undefined) o.zero = flags.zero;
  if (flags.backend !== undefined) o.backend = flags.backend;
  if (flags.trainInstance !== undefined) o.trainInstance = flags.trainInstance;
  if (flags.serveInstance !== undefined) o.serveInstance = flags.serveInstance;
  if (flags.serving === false) o.serving = false;
  if (flags.hfToken) o.hfToken = true;
  const assign = <K extends keyof SpecOverrides>(key: K, value: SpecOverrides[K] | undefined) => {
    if (value !== undefined) o[key] = value;
  };
  if (flags.nodes !== undefined) assign("nodes", number("--nodes", flags.nodes, problems, { integer: true }));
  if (flags.tp !== undefined) assign("tp", number("--tp", flags.tp, problems, { integer: true }));
  if (flags.epochs !== undefined) assign("epochs", number("--epochs", flags.epochs, problems));
  if (flags.lr !== undefined) assign("learningRate", number("--lr", flags.lr, problems));
  if (flags.ttl !== undefined) assign("ttlSeconds", duration("--ttl", flags.ttl, problems));
  if (flags.maxRuntime !== undefined)
    assign("maxRuntimeSeconds", duration("--max-runtime", flags.maxRuntime, problems));
  let trainingHours: number | undefined;
  if (flags.trainHours !== undefined) {
    trainingHours = number("--train-hours", flags.trainHours, problems);
    if (trainingHours !== undefined && trainingHours <= 0) {
      problems.push({
        field: "--train-hours",
        message: `${trainingHours} is not a positive number of hours`,
        allowed: "> 0",
      });
      trainingHours = undefined;
    }
  }
  return trainingHours === undefined ? { overrides: o, problems } : { overrides: o, problems, trainingHours };
}

/** `training.nodes` -> `--nodes (training.nodes)` when the user set it with that flag. */
export function nameFlags(problems: Problem[], overrides: SpecOverrides): Problem[] {
  const byField = new Map<string, string>();
  for (const key of Object.keys(overrides) as Array<keyof SpecOverrides>) {
    const flag = FLAG_OF[key];
    if (flag !== undefined) byField.set(OVERRIDE_FIELDS[key], flag);
  }
  return problems.map((p) => {
    if (p.field === "preset") return { ...p, field: "--preset" };
    const flag = byField.get(p.field);
    return flag === undefined ? p : { ...p, field: `${flag} (${p.field})` };
  });
}

/**
 * The whole of `zerostack plan` but printing: flags (and the spec file's text, read by the
 * caller) -> a Plan, or one BadInputError listing every problem.
 */
export function planFromFlags(flags: PlanFlags, readSpecFile: (path: string) => string, payload?: PayloadHashes): Plan {
  const { spec, trainingHours } = specFromFlags(flags, readSpecFile);
  return derivePlan(spec, {
    ...(trainingHours === undefined ? {} : { trainingHours }),
    ...(payload ? { payload } : {}),
  });
}

/** Flags (and the spec file's text, read by the caller) -> a validated spec, or one BadInputError listing every problem. */
export function specFromFlags(
  flags: PlanFlags,
  readSpecFile: (path: string) => string,
): { spec: ExperimentSpec; trainingHours?: number } {
  const { overrides, problems, trainingHours } = overridesFromFlags(flags);
  let base: unknown;
  if (flags.spec !== undefined) {
    try {
      base = JSON.parse(readSpecFile(flags.spec));
    } catch (error) {
      problems.push({
        field: "--spec",
        message: `cannot read ${flags.spec} as JSON: ${error instanceof Error ? error.message : String(error)}`,
        allowed: "a JSON ExperimentSpec file",
      });
    }
  } else if (flags.preset === undefined) {
    problems.push({
      field: "--preset",
      message: "no preset and no spec file given",
      allowed: `${PRESET_NAMES.join(", ")}, or --spec FILE`,
    });
  }
  let spec: ExperimentSpec | undefined;
  try {
    spec =
      base !== undefined
        ? specFromInput(base, overrides)
        : flags.preset !== undefined
          ? specFromPreset(flags.preset, overrides)
          : undefined;
  } catch (error) {
    if (!(error instanceof BadInputError)) throw error;
    problems.push(...nameFlags(error.problems, overrides));
  }
  if (problems.length > 0 || spec === undefined) {
    throw new BadInputError(problems, "fix the flags listed above; `zerostack presets` lists the presets");
  }
  return trainingHours === undefined ? { spec } : { spec, trainingHours };
}
