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
      resources?: Array<{ type: string; created?: string; outputs?: Record<string, unknown> }>;
      pending_operations?: unknown[];
      secrets_providers?: { type?: string; state?: { url?: string; encryptedkey?: string; salt?: string } };
    };
  };
}

type BackendContext = { sandbox: boolean; env?: NodeJS.ProcessEnv };

/** The file backend's checkpoint of `stackName`, read at once; undefined when there is none. */
export function readFileCheckpoint(
  ctx: BackendContext,
  stackName: string,
  project = "zerostack",
): Checkpoint | undefined | "not-a-file-backend" {
  const url = stateLayout(ctx.sandbox, ctx.env ?? process.env).backendUrl;
  if (!url.startsWith("file://")) return "not-a-file-backend";
  const file = join(url.slice("file://".length), ".pulumi", "stacks", project, `${stackName}.json`);
  return existsSync(file) ? (JSON.parse(readFileSync(file, "utf8")) as Checkpoint) : undefined;
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
