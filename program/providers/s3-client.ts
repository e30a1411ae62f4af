// One S3 client per provider process, configured from the environment.
import type { S3Client } from "@aws-sdk/client-s3";
import { s3Sdk } from "./lazy-sdk.js";
import { clientSettings } from "../aws/clients.js";

let client: S3Client | undefined;

export function s3(): S3Client {
  client ??= new s3Sdk.S3Client(clientSettings());
  return client;
}

export async function objectExists(bucket: string, key: string): Promise<boolean> {
  try {
    await s3().send(new s3Sdk.HeadObjectCommand({ Bucket: bucket, Key: key }));
    return true;
  } catch (error) {
    const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
    if (status === 404 || (error as Error).name === "NotFound") return false;
    throw error;
  }
}

/**
 * Uploads unless the (content-addressed) key exists. Returns the bytes sent (0 when skipped).
 * `tagging` (URL-encoded `key=value`) lets the base bucket's lifecycle rules find the object.
 */
export async function putIfAbsent(
  bucket: string,
  key: string,
  body: Buffer,
  contentType: string,
  tagging?: string,
): Promise<number> {
  if (await objectExists(bucket, key)) return 0;
  return putObject(bucket, key, body, contentType, tagging);
}

/** Uploads the object; the bytes sent. */
export async function putObject(
  bucket: string,
  key: string,
  body: Buffer,
  contentType: string,
  tagging?: string,
): Promise<number> {
  await s3().send(
    new s3Sdk.PutObjectCommand({
      Bucket: bucket,
      Key: key,
      Body: body,
      ContentType: contentType,
      ...(tagging ? { Tagging: tagging } : {}),
    }),
  );
  return body.length;
}

export function parseS3Uri(uri: string): { bucket: string; key: string } {
  const match = /^s3:\/\/([^/]+)\/?(.*)$/.exec(uri);
  if (!match) throw new Error(`not an s3:// URI: ${uri}`);
  return { bucket: match[1]!, key: match[2]! };
}
