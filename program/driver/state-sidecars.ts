// The file backend's sidecars. Pulumi writes every state file (checkpoints, locks, meta.yaml) with
// gocloud's fileblob, which keeps a file's attributes in `<file>.attrs` beside it, written by
// truncate-then-write (os.Create, then one JSON write) just before the new file is renamed into
// place (gocloud.dev blob/fileblob: writerWithSidecar.Close, setAttrs). A SIGKILL between the
// truncate and the write leaves an empty sidecar beside the previous checkpoint, and from then on
// every Pulumi command on the stack fails with "failed to load checkpoint: EOF" (getAttrs decodes
// it): the re-run `up` after a kill -9 exited 1 so (issue 16). A sidecar holds a content type and
// an MD5 that nothing verifies, and fileblob reads a missing one as "no attributes": an unreadable
// one is removed. One being written right now may be removed too; its file then has none, which is
// as harmless.
import { readdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { stateLayout } from "../env/paths.js";

const SIDECAR = ".attrs";

type BackendContext = { sandbox: boolean; env?: NodeJS.ProcessEnv };

function filesIn(dir: string): string[] {
  try {
    return readdirSync(dir).map((name) => join(dir, name));
  } catch {
    return [];
  }
}

function unreadable(file: string): boolean {
  try {
    JSON.parse(readFileSync(file, "utf8"));
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code !== "ENOENT"; // gone meanwhile: nothing to repair
  }
}

/**
 * The sidecars that Pulumi reads to open `stackName` (every stack of `project` when omitted): the
 * backend's meta.yaml, the stack's checkpoint files and its locks.
 */
export function stateSidecars(root: string, project: string, stackName?: string): string[] {
  const pulumi = join(root, ".pulumi");
  const stacks = filesIn(join(pulumi, "stacks", project)).filter(
    (f) => stackName === undefined || f.slice(f.lastIndexOf("/") + 1).startsWith(`${stackName}.json`),
  );
  const lockRoot = join(pulumi, "locks", "organization", project);
  const lockDirs = stackName === undefined ? filesIn(lockRoot) : [join(lockRoot, stackName)];
  return [join(pulumi, `meta.yaml${SIDECAR}`), ...stacks, ...lockDirs.flatMap(filesIn)].filter((f) =>
    f.endsWith(SIDECAR),
  );
}

/** Removes the unreadable sidecars of a file backend's stack (or of all its stacks); the files removed. */
export function repairStateSidecars(ctx: BackendContext, project: string, stackName?: string): string[] {
  const url = stateLayout(ctx.sandbox, ctx.env ?? process.env).backendUrl;
  if (!url.startsWith("file://")) return []; // S3 and the Pulumi Cloud write whole objects
  const removed = stateSidecars(url.slice("file://".length), project, stackName).filter(unreadable);
  for (const file of removed) rmSync(file, { force: true });
  return removed;
}
