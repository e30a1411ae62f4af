// Reproducible .tar.gz bundles: the payload's sourcedir.tar.gz (payload/train plus the derived
// ds_config.json) and the model's serving code (serving.properties, model.py). The same files give
// the same bytes (sorted entries, fixed mtimes and modes, no owner fields), so a bundle's content
// hash names its S3 key and an unchanged payload is never uploaded twice.
import { createHash } from "node:crypto";
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { listPayloadFiles } from "../env/payload.js";

const EPOCH = new Date("2000-01-01T00:00:00Z");

export interface BundleSpec {
  /** a folder to include whole (payload/train), or none */
  dir?: string;
  /** generated files, path -> content; they win over files of the same path in `dir` */
  files?: Record<string, string>;
}

export interface SourceBundle {
  bytes: Buffer;
  sha256: string;
  files: string[];
}

export async function bundle(spec: BundleSpec): Promise<SourceBundle> {
  const stage = mkdtempSync(join(tmpdir(), "zs-bundle-"));
  try {
    const names = new Set<string>();
    const place = (rel: string, write: (to: string) => void) => {
      const to = join(stage, rel);
      mkdirSync(dirname(to), { recursive: true });
      write(to);
      chmodSync(to, 0o644); // the checkout's umask must not change the bytes
      utimesSync(to, EPOCH, EPOCH);
      names.add(rel);
    };
    if (spec.dir)
      for (const rel of listPayloadFiles(spec.dir)) place(rel, (to) => copyFileSync(join(spec.dir!, rel), to));
    for (const [rel, content] of Object.entries(spec.files ?? {})) place(rel, (to) => writeFileSync(to, content));
    const files = [...names].sort();
    const { create } = await import("tar"); // here: a provider that finds its bundle staged never loads tar
    const chunks: Buffer[] = [];
    const stream = create({ cwd: stage, gzip: { level: 9 }, portable: true, mtime: EPOCH, noDirRecurse: true }, files);
    for await (const chunk of stream as AsyncIterable<Buffer>) chunks.push(Buffer.from(chunk));
    const bytes = Buffer.concat(chunks);
    return { bytes, sha256: createHash("sha256").update(bytes).digest("hex"), files };
  } finally {
    rmSync(stage, { recursive: true, force: true });
  }
}

/** The S3 key of a bundle: content-addressed, so a key that exists already holds these bytes. */
export function bundleKey(prefix: string, name: string, sha256: string): string {
  return `${prefix.replace(/^\/+|\/+$/g, "")}/${name}-${sha256.slice(0, 16)}.tar.gz`;
}

/** Builds the bundle, checks it is the one the program planned, uploads it unless present. */
export async function uploadBundle(
  spec: BundleSpec,
  plannedSha256: string,
  target: { bucket: string; prefix: string; name: string },
  /** uploads (or skips: the caller's choice); the bytes sent */
  put: (bucket: string, key: string, body: Buffer) => Promise<number>,
): Promise<{ uri: string; bytes: number }> {
  const built = await bundle(spec);
  if (built.sha256 !== plannedSha256) {
    throw new Error(
      `the ${target.name} bundle changed while the update ran (hash ${built.sha256.slice(0, 12)}, planned ${plannedSha256.slice(0, 12)}); run up again`,
    );
  }
  const key = bundleKey(target.prefix, target.name, built.sha256);
  return { uri: `s3://${target.bucket}/${key}`, bytes: await put(target.bucket, key, built.bytes) };
}
