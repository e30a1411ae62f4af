// The payload's files and their content hashes: what ships in sourcedir.tar.gz and the model's
// code, and what makes a changed script a new training job (spec/names.ts PayloadHashes has this shape).
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";

const SKIP = /(^|\/)(__pycache__|\.pytest_cache|\.mypy_cache|\.DS_Store|\.ipynb_checkpoints)(\/|$)|\.pyc$/;

/** Files under `dir`, relative and sorted, without caches. */
export function listPayloadFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (at: string) => {
    for (const name of readdirSync(at).sort()) {
      const path = join(at, name);
      const rel = relative(dir, path);
      if (SKIP.test(rel)) continue;
      if (statSync(path).isDirectory()) walk(path);
      else out.push(rel);
    }
  };
  if (existsSync(dir)) walk(dir);
  return out;
}

export function hashFolder(dir: string): string {
  const hash = createHash("sha256");
  for (const rel of listPayloadFiles(dir))
    hash
      .update(rel)
      .update("\0")
      .update(readFileSync(join(dir, rel)))
      .update("\0");
  return hash.digest("hex").slice(0, 16);
}

export function payloadHashes(payloadDir: string): { train: string; serve: string } {
  return { train: hashFolder(join(payloadDir, "train")), serve: hashFolder(join(payloadDir, "serve")) };
}
