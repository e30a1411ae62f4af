// The bucket's lifecycle and encryption settings as plain values (pure, unit-tested); the base
// stack hands them to @pulumi/aws unchanged.
import type { BaseConfig } from "./config.js";
import { OBJECT_KIND_TAG, OBJECT_KINDS } from "../providers/object-tags.js";
import { trimPrefix } from "./policies.js";

type Filter =
  | Record<string, never>
  | { prefix: string }
  | { tag: { key: string; value: string } }
  | { and: { prefix: string; tags: Record<string, string> } };

export interface LifecycleRule {
  id: string;
  status: "Enabled";
  filter: Filter;
  expiration?: { days: number } | { expiredObjectDeleteMarker: true };
  abortIncompleteMultipartUpload?: { daysAfterInitiation: number };
  noncurrentVersionExpiration?: { noncurrentDays: number };
}

function taggedWithin(prefix: string, kind: string): Filter {
  const p = trimPrefix(prefix);
  return p
    ? { and: { prefix: `${p}/`, tags: { [OBJECT_KIND_TAG]: kind } } }
    : { tag: { key: OBJECT_KIND_TAG, value: kind } };
}

export function lifecycleRules(config: BaseConfig): LifecycleRule[] {
  const rules: LifecycleRule[] = [
    {
      id: "expire-source-bundles",
      status: "Enabled",
      filter: taggedWithin(config.prefix, OBJECT_KINDS.sourceBundle),
      expiration: { days: config.sourceBundleExpirationDays },
    },
    {
      id: "expire-serving-code",
      status: "Enabled",
      filter: taggedWithin(config.prefix, OBJECT_KINDS.servingCode),
      expiration: { days: config.servingCodeExpirationDays },
    },
    // S3 refuses this action in a rule with a tag filter: it covers the whole bucket
    {
      id: "abort-incomplete-multipart-uploads",
      status: "Enabled",
      filter: {},
      abortIncompleteMultipartUpload: { daysAfterInitiation: config.abortIncompleteUploadDays },
    },
  ];
  if (config.versioning) {
    rules.push({
      id: "expire-noncurrent-versions",
      status: "Enabled",
      filter: {},
      noncurrentVersionExpiration: { noncurrentDays: config.noncurrentVersionExpirationDays },
      expiration: { expiredObjectDeleteMarker: true },
    });
  }
  return rules;
}

export interface EncryptionRule {
  applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" | "aws:kms"; kmsMasterKeyId?: string };
  bucketKeyEnabled: boolean;
}

export function encryptionRule(config: BaseConfig): EncryptionRule {
  return {
    applyServerSideEncryptionByDefault: {
      sseAlgorithm: config.encryption,
      ...(config.kmsKeyArn ? { kmsMasterKeyId: config.kmsKeyArn } : {}),
    },
    // S3 Bucket Keys cut KMS requests (and their cost); meaningless for SSE-S3
    bucketKeyEnabled: config.encryption === "aws:kms",
  };
}
