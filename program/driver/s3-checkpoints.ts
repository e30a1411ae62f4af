// The S3 state backend's checkpoints, read straight from the bucket: one list of the project's
// stack files and their locks, then the files in parallel, instead of one `pulumi stack export`
// process per stack (what the Automation API does for every backend but a local folder). The
// layout is Pulumi's DIY backend's: <prefix>/.pulumi/stacks/<project>/<stack>.json (or .json.gz),
// locks under <prefix>/.pulumi/locks/<project>/<stack>/.
import { gunzipSync } from "node:zlib";
import type { S3Client } from "@aws-sdk/client-s3";
import { clientSettings } from "../aws/clients.js";
import { s3Sdk } from "../providers/lazy-sdk.js";

export interface S3Backend {
  bucket: string;
  prefix: string;
  /** the backend URL's endpoint (an emulator), when it names one */
  endpoint?: string;
  region?: string;
}

/** `s3://bucket/prefix?region=..&endpoint=..` (gocloud.dev's blob URL), or undefined for other backends. */
export function s3Backend(url: string | undefined): S3Backend | undefined {
  const match = url ? /^s3:\/\/([^/?]+)\/?([^?]*)(?:\?(.*))?$/.exec(url) : null;
  if (!match) return undefined;
  const query = new URLSearchParams(match[3] ?? "");
  const endpoint = query.get("endpoint") ?? undefined;
  const region = query.get("region") ?? undefined;
  return {
    bucket: match[1]!,
    prefix: (match[2] ?? "").replace(/\/+$/, ""),
    ...(endpoint ? { endpoint: /^https?:\/\//.test(endpoint) ? endpoint : `http://${endpoint}` } : {}),
    ...(region ? { region } : {}),
  };
}

export interface StackFile {
  name: string;
  checkpoint: unknown;
  locked: boolean;
}

async function listAll(s3: S3Client, bucket: string, prefix: string): Promise<string[]> {
  const keys: string[] = [];
  let token: string | undefined;
  do {
    const page = await s3.send(
      new s3Sdk.ListObjectsV2Command({
        Bucket: bucket,
        Prefix: prefix,
        ...(token ? { ContinuationToken: token } : {}),
      }),
    );
    for (const o of page.Contents ?? []) if (o.Key) keys.push(o.Key);
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return keys;
}

/** Runs `work` over `items`, at most `limit` at a time, keeping the order. */
async function mapLimit<T, R>(items: T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await work(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

/** Every stack file of `project` (or the one of `only`), with whether a lock is held on it. */
export async function readStackFiles(backend: S3Backend, project: string, only?: string): Promise<StackFile[]> {
  const settings = clientSettings();
  // the S3 SDK loads here, on a read of an S3 backend only: a file backend's command never pays it
  const s3 = new s3Sdk.S3Client({
    ...settings,
    ...(backend.endpoint ? { endpoint: backend.endpoint, forcePathStyle: true } : {}),
    ...(backend.region ? { region: backend.region } : {}),
  });
  const root = backend.prefix ? `${backend.prefix}/.pulumi` : ".pulumi";
  const stacksPrefix = `${root}/stacks/${project}/`;
  const locksPrefix = `${root}/locks/${project}/${only ? `${only}/` : ""}`;
  const [stackKeys, lockKeys] = await Promise.all([
    listAll(s3, backend.bucket, only ? `${stacksPrefix}${only}.json` : stacksPrefix),
    listAll(s3, backend.bucket, locksPrefix),
  ]);
  const locked = new Set(
    only ? (lockKeys.length > 0 ? [only] : []) : lockKeys.map((k) => k.slice(locksPrefix.length).split("/")[0]),
  );
  const files = stackKeys.filter((k) => /\.json(\.gz)?$/.test(k) && !k.slice(stacksPrefix.length).includes("/"));
  return mapLimit(files.sort(), 16, async (key) => {
    const body = await (
      await s3.send(new s3Sdk.GetObjectCommand({ Bucket: backend.bucket, Key: key }))
    ).Body!.transformToByteArray();
    const text = key.endsWith(".gz") ? gunzipSync(body).toString("utf8") : new TextDecoder().decode(body);
    const name = key.slice(stacksPrefix.length).replace(/\.json(\.gz)?$/, "");
    return { name, checkpoint: JSON.parse(text) as unknown, locked: locked.has(name) };
  });
}
