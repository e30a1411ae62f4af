// What an experiment's program uploads and hashes besides the plan: the training source bundle
// (payload/train plus the derived DeepSpeed JSON) and the serving code bundle. Kept apart from the
// program itself (experiment.ts) so that `up` can build them before it loads the Pulumi SDK.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { Plan } from "../spec/index.js";
import { bundle, type BundleSpec, type SourceBundle } from "../providers/source-bundle.js";
import { putSourceBundle, sourceBundleKey } from "../providers/training-job.js";

/** The files of payload/train plus the DeepSpeed JSON the spec derived (Python never invents its own). */
export function trainingSourceFiles(plan: Plan): Record<string, string> {
  return { [plan.training.deepspeedConfigFile]: `${JSON.stringify(plan.training.deepspeedConfig, null, 2)}\n` };
}

/** payload/train plus the derived files: what the training job's sourcedir.tar.gz holds. */
export function trainingSource(plan: Plan, payloadDir: string): Required<BundleSpec> {
  return { dir: join(payloadDir, "train"), files: trainingSourceFiles(plan) };
}

/** Where the training source bundle goes: the output bucket, under the experiment's source prefix. */
export function trainingSourceTarget(plan: Plan): { bucket: string; sourcePrefix: string } {
  const { output, name } = plan.spec;
  return { bucket: output.bucket, sourcePrefix: `${output.prefix}/${name}/source`.replace(/^\/+/, "") };
}

/** The training source bundle, built now: the program plans with its hash. */
export function buildTrainingSource(plan: Plan, payloadDir: string): Promise<SourceBundle> {
  return bundle(trainingSource(plan, payloadDir));
}

/**
 * The training source bundle uploaded unless its content-addressed key exists, so `up` can do it
 * while the engine starts: the provider then finds the key in S3. The promise (bytes sent) may
 * fail: then the provider uploads, or says why.
 */
export function uploadTrainingSource(plan: Plan, built: Promise<SourceBundle>): Promise<number> {
  const { bucket, sourcePrefix } = trainingSourceTarget(plan);
  return built.then((b) => putSourceBundle(bucket, sourceBundleKey({ sourcePrefix, sourceSha256: b.sha256 }), b.bytes));
}

/** serving.properties always; payload/serve's handler modules when the backend needs a custom handler. */
export function servingCodeFiles(plan: Plan, payloadDir: string): Record<string, string> {
  if (!plan.serving) return {};
  const files: Record<string, string> = { "serving.properties": plan.serving.servingProperties.text };
  if (plan.spec.serving.handler === "custom") {
    const serveDir = join(payloadDir, "serve");
    for (const name of readdirSync(serveDir).sort()) {
      if (name.endsWith(".py") || name === "requirements.txt") files[name] = readFileSync(join(serveDir, name), "utf8");
    }
  }
  return files;
}

export interface ServingCode {
  files: Record<string, string>;
  bundle: SourceBundle;
}

/** The model's code: its files and their bundle (the model's `code.sha256` input); none without serving. */
export async function servingCode(plan: Plan, payloadDir: string): Promise<ServingCode | undefined> {
  if (!plan.serving) return undefined;
  const files = servingCodeFiles(plan, payloadDir);
  return { files, bundle: await bundle({ files }) };
}
