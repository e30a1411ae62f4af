// One stack's checkpoint read straight from its backend (a local folder or an S3 bucket) without
// a Pulumi process: the same document `pulumi stack export` prints, where the state keeps it.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { stateLayout } from "../env/paths.js";
import { readStackFiles, s3Backend } from "./s3-checkpoints.js";

export interface Checkpoint {
  checkpoint?: {
    latest?: {
      manifest?: { time?: string };
      resources?: Array<{ urn?: string; type: string; created?: string; outputs?: Record<string, unknown> }>;
      pending_operations?: unknown[];
      secrets_providers?: { type?: string; state?: { url?: string; encryptedkey?: string; salt?: string } };
    };
  };
}

export type BackendContext = { sandbox: boolean; env?: NodeJS.ProcessEnv };

/** Where the file backend keeps the checkpoint of `stackName` (uncompressed). */
export function fileCheckpointPath(
  ctx: BackendContext,
  stackName: string,
  project: string,
): string | "not-a-file-backend" {
  const url = stateLayout(ctx.sandbox, ctx.env ?? process.env).backendUrl;
  if (!url.startsWith("file://")) return "not-a-file-backend";
  return join(url.slice("file://".length), ".pulumi", "stacks", project, `${stackName}.json`);
}

/** The file backend's checkpoint of `stackName`, read at once; undefined when there is none. */
export function readFileCheckpoint(
  ctx: BackendContext,
  stackName: string,
  project = "zerostack",
): Checkpoint | undefined | "not-a-file-backend" {
  const file = fileCheckpointPath(ctx, stackName, project);
  if (file === "not-a-file-backend") return file;
  return existsSync(file) ? (JSON.parse(readFileSync(file, "utf8")) as Checkpoint) : undefined;
}

/** Whether the file backend holds a checkpoint of `stackName`, i.e. the stack exists (not read). */
export function fileCheckpointExists(
  ctx: BackendContext,
  stackName: string,
  project = "zerostack",
): boolean | "not-a-file-backend" {
  const file = fileCheckpointPath(ctx, stackName, project);
  return file === "not-a-file-backend" ? file : existsSync(file);
}

/** The checkpoint of `stackName` in `project`; undefined when there is none or the backend is neither. */
export async function readCheckpoint(
  ctx: BackendContext,
  stackName: string,
  project = "zerostack",
): Promise<Checkpoint | undefined> {
  const fromFile = readFileCheckpoint(ctx, stackName, project);
  if (fromFile !== "not-a-file-backend") return fromFile;
  const s3 = s3Backend(stateLayout(ctx.sandbox, ctx.env ?? process.env).backendUrl);
  if (!s3) return undefined;
  const files = await readStackFiles(s3, project, stackName);
  return files[0]?.checkpoint as Checkpoint | undefined;
}

/** The outputs of the stack's last update (its root `pulumi:pulumi:Stack` resource's), unmasked; none without a checkpoint. */
export async function stateOutputs(
  ctx: BackendContext,
  stackName: string,
  project = "zerostack",
): Promise<Record<string, unknown>> {
  const checkpoint = await readCheckpoint(ctx, stackName, project);
  return checkpoint?.checkpoint?.latest?.resources?.find((r) => r.type === "pulumi:pulumi:Stack")?.outputs ?? {};
}

/** Pulumi's signature of a secret value in a checkpoint (sdk/go/common/resource/sig). */
const SIG_KEY = "4dabf18193072939515e22adb298388d";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";
const isSecret = (value: unknown): boolean =>
  typeof value === "object" && value !== null && (value as Record<string, unknown>)[SIG_KEY] === SECRET_SIG;

function masked(value: unknown): unknown {
  if (isSecret(value)) return "[secret]";
  if (Array.isArray(value)) return value.map(masked);
  if (typeof value === "object" && value !== null)
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, masked(v)]));
  return value;
}

/**
 * The stack's outputs as the Automation API's `stack.outputs()` gives them, from its checkpoint
 * (the root `pulumi:pulumi:Stack` resource's outputs), with every secret, at any depth, as
 * "[secret]" (its ciphertext is never decrypted).
 */
export function stackOutputsOf(checkpoint: Checkpoint): Record<string, { value: unknown; secret: boolean }> {
  const root = checkpoint.checkpoint?.latest?.resources?.find((r) => r.type === "pulumi:pulumi:Stack");
  return Object.fromEntries(
    Object.entries(root?.outputs ?? {}).map(([key, value]) => [key, { value: masked(value), secret: isSecret(value) }]),
  );
}

/** Stack outputs as `up` reports them: a secret's value is "[secret]". */
export function shownOutputs(outputs: Record<string, { value: unknown; secret: boolean }>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(outputs).map(([k, v]) => [k, v.secret ? "[secret]" : v.value]));
}
