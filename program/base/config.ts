// The base stack's configuration: what to create (bucket, execution role, scheduler role) or
// which existing ones to use instead (bring-your-own), validated once. It is stored as one JSON
// config value of the `base` stack, so `zerostack base up` without flags repeats the last choice.
import { z } from "zod";
import { BadInputError } from "../errors.js";
import { issuesToProblems } from "../spec/parse.js";
import { REGIONS } from "../spec/regions.js";
import { BUCKET_ALLOWED } from "../spec/schema.js";
import { DEFAULT_PREFIX } from "../spec/presets.js";

export const ROLE_ARN_ALLOWED = "arn:aws:iam::<12-digit account>:role/<name>";
const ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/;
const BUCKET = /^(?!.*\.\.)[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const KMS_KEY_ARN = /^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/[A-Za-z0-9-]+$/;
const PREFIX = /^(?!\/)(?!.*\/\/)[A-Za-z0-9!_.*'()=+\-/]{0,200}$/;
const TAG_TEXT = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;

const pattern = (re: RegExp, allowed: string) => z.string().regex(re, { error: allowed });
const days = z.number().int().min(1).max(3650);

export const baseConfigSchema = z
  .strictObject({
    region: z.enum(REGIONS),
    /** key prefix of everything zerostack writes; the execution role is scoped to it */
    prefix: pattern(PREFIX, "an S3 key prefix without a leading '/' or '//'").default(DEFAULT_PREFIX),
    /** name of the bucket to create (default zerostack-<account>-<region>) */
    bucketName: pattern(BUCKET, BUCKET_ALLOWED).optional(),
    /** bring-your-own: use this bucket, create none */
    existingBucket: pattern(BUCKET, BUCKET_ALLOWED).optional(),
    existingExecutionRoleArn: pattern(ROLE_ARN, ROLE_ARN_ALLOWED).optional(),
    existingSchedulerRoleArn: pattern(ROLE_ARN, ROLE_ARN_ALLOWED).optional(),
    versioning: z.boolean().default(false),
    encryption: z.enum(["AES256", "aws:kms"]).default("AES256"),
    /** a customer-managed key for aws:kms (none = the AWS-managed aws/s3 key) */
    kmsKeyArn: pattern(KMS_KEY_ARN, "arn:aws:kms:<region>:<account>:key/<id>").optional(),
    /** source bundles (sourcedir-*.tar.gz) expire this long after their upload */
    sourceBundleExpirationDays: days.default(30),
    /** serving code tarballs (code-*.tar.gz) expire this long after their upload; a model that still points at one cannot start new instances */
    servingCodeExpirationDays: days.default(90),
    abortIncompleteUploadDays: days.default(7),
    /** with versioning: old versions are removed this long after they were replaced */
    noncurrentVersionExpirationDays: days.default(30),
    /** `base destroy` empties the bucket first (else it fails on a bucket that holds objects) */
    forceDestroy: z.boolean().default(false),
    tags: z
      .record(
        pattern(TAG_TEXT, "letters, digits, spaces and _ . : / = + - @").min(1).max(128),
        pattern(TAG_TEXT, "letters, digits, spaces and _ . : / = + - @").max(256),
      )
      .default({}),
  })
  .superRefine((c, ctx) => {
    if (c.bucketName && c.existingBucket) {
      ctx.addIssue({
        code: "custom",
        path: ["bucketName"],
        message: "a bucket to create and an existing bucket are both given",
        params: { allowed: "one of bucketName, existingBucket" },
      });
    }
    if (c.kmsKeyArn && c.encryption !== "aws:kms") {
      ctx.addIssue({
        code: "custom",
        path: ["kmsKeyArn"],
        message: "a KMS key needs encryption aws:kms",
        params: { allowed: "encryption: aws:kms" },
      });
    }
    if (c.existingBucket && (c.versioning || c.kmsKeyArn || c.forceDestroy)) {
      ctx.addIssue({
        code: "custom",
        path: ["existingBucket"],
        message: "bucket settings (versioning, kmsKeyArn, forceDestroy) apply only to a bucket the base stack creates",
        params: { allowed: "drop them, or drop existingBucket" },
      });
    }
    for (const key of Object.keys(c.tags)) {
      if (/^(aws|zerostack):/i.test(key)) {
        ctx.addIssue({
          code: "custom",
          path: ["tags", key],
          message: "tag keys starting with 'aws:' or 'zerostack:' are reserved",
          params: { allowed: "another key" },
        });
      }
    }
  });

export type BaseConfig = z.output<typeof baseConfigSchema>;
export type BaseConfigInput = z.input<typeof baseConfigSchema>;

/** Validates a raw config (stored JSON merged with flags); every problem at once, fields named. */
export function parseBaseConfig(raw: unknown): BaseConfig {
  const result = baseConfigSchema.safeParse(raw);
  if (!result.success)
    throw new BadInputError(
      issuesToProblems(result.error.issues, "base"),
      "fix the base settings, then run `zerostack base up` again",
    );
  return result.data;
}

/** True when nothing of that kind is created. */
export function bringsOwn(config: BaseConfig): { bucket: boolean; executionRole: boolean; schedulerRole: boolean } {
  return {
    bucket: !!config.existingBucket,
    executionRole: !!config.existingExecutionRoleArn,
    schedulerRole: !!config.existingSchedulerRoleArn,
  };
}
