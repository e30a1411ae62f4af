// baseStack(config): the inline Pulumi program of the `base` stack, with @pulumi/aws. It creates
// what every experiment shares and outlives them: the bucket, the SageMaker execution role and the
// scheduler role of the endpoint TTLs; or passes existing ones through (bring-your-own). Its
// outputs are exactly BaseOutputs, which program/driver/resolve-base.ts reads back.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { BaseOutputs } from "./outputs.js";
import { encryptionRule, lifecycleRules } from "./bucket-rules.js";
import type { BaseConfig } from "./config.js";
import { baseTags, defaultBucketName, executionRoleName, schedulerRoleName } from "./base-names.js";
import {
  bucketPolicy,
  executionPolicy,
  executionTrustPolicy,
  schedulerPolicy,
  schedulerTrustPolicy,
} from "./policies.js";

export type BaseStackOutputs = { [K in keyof BaseOutputs]: pulumi.Output<string> | string };

const json = (doc: unknown) => JSON.stringify(doc);

function createBucket(
  config: BaseConfig,
  accountId: pulumi.Output<string>,
  opts: pulumi.CustomResourceOptions,
): pulumi.Output<string> {
  const tags = baseTags(config, "bucket");
  const bucket = new aws.s3.Bucket(
    "bucket",
    {
      bucket: config.bucketName ?? accountId.apply((account) => defaultBucketName(account, config.region)),
      forceDestroy: config.forceDestroy,
      tags,
    },
    opts,
  );
  const child = { ...opts, parent: bucket };
  const publicAccess = new aws.s3.BucketPublicAccessBlock(
    "bucket-public-access",
    {
      bucket: bucket.id,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    },
    child,
  );
  new aws.s3.BucketOwnershipControls(
    "bucket-ownership",
    { bucket: bucket.id, rule: { objectOwnership: "BucketOwnerEnforced" } },
    child,
  );
  new aws.s3.BucketServerSideEncryptionConfiguration(
    "bucket-encryption",
    { bucket: bucket.id, rules: [encryptionRule(config)] },
    child,
  );
  const versioning = config.versioning
    ? new aws.s3.BucketVersioning(
        "bucket-versioning",
        { bucket: bucket.id, versioningConfiguration: { status: "Enabled" } },
        child,
      )
    : undefined;
  new aws.s3.BucketLifecycleConfiguration(
    "bucket-lifecycle",
    { bucket: bucket.id, rules: lifecycleRules(config) },
    { ...child, ...(versioning ? { dependsOn: [versioning] } : {}) },
  );
  // after the public access block: S3 checks a new policy against it
  new aws.s3.BucketPolicy(
    "bucket-policy",
    { bucket: bucket.id, policy: bucket.bucket.apply((name) => json(bucketPolicy(name))) },
    { ...child, dependsOn: [publicAccess] },
  );
  return bucket.bucket;
}

function createExecutionRole(
  config: BaseConfig,
  bucket: pulumi.Input<string>,
  accountId: pulumi.Output<string>,
  opts: pulumi.CustomResourceOptions,
): pulumi.Output<string> {
  const role = new aws.iam.Role(
    "execution-role",
    {
      name: executionRoleName(config.region),
      description:
        "zerostack: SageMaker training jobs and LMI endpoints (the zerostack bucket prefix, logs, metrics, DLC images)",
      assumeRolePolicy: json(executionTrustPolicy()),
      tags: baseTags(config, "execution-role"),
    },
    opts,
  );
  const policy = new aws.iam.RolePolicy(
    "execution-role-policy",
    {
      role: role.name,
      name: "zerostack-execution",
      policy: pulumi.all([bucket, accountId]).apply(([b, account]) =>
        json(
          executionPolicy({
            bucket: b,
            prefix: config.prefix,
            region: config.region,
            accountId: account,
            ...(config.kmsKeyArn ? { kmsKeyArn: config.kmsKeyArn } : {}),
          }),
        ),
      ),
    },
    { ...opts, parent: role },
  );
  // experiments may use the role only once it can do its work
  return pulumi.all([role.arn, policy.id]).apply(([arn]) => arn);
}

function createSchedulerRole(
  config: BaseConfig,
  accountId: pulumi.Output<string>,
  opts: pulumi.CustomResourceOptions,
): pulumi.Output<string> {
  const role = new aws.iam.Role(
    "scheduler-role",
    {
      name: schedulerRoleName(config.region),
      description: "zerostack: EventBridge Scheduler deletes zerostack endpoints when their TTL ends",
      assumeRolePolicy: accountId.apply((account) => json(schedulerTrustPolicy(account))),
      tags: baseTags(config, "scheduler-role"),
    },
    opts,
  );
  const policy = new aws.iam.RolePolicy(
    "scheduler-role-policy",
    {
      role: role.name,
      name: "zerostack-delete-endpoints",
      policy: accountId.apply((account) => json(schedulerPolicy({ region: config.region, accountId: account }))),
    },
    { ...opts, parent: role },
  );
  return pulumi.all([role.arn, policy.id]).apply(([arn]) => arn);
}

export function baseStack(config: BaseConfig): () => Promise<BaseStackOutputs> {
  return async () => {
    const own = {
      bucket: config.existingBucket,
      executionRole: config.existingExecutionRoleArn,
      schedulerRole: config.existingSchedulerRoleArn,
    };
    if (own.bucket && own.executionRole && own.schedulerRole) {
      // everything is brought: no provider, no AWS call
      return {
        bucket: own.bucket,
        executionRoleArn: own.executionRole,
        schedulerRoleArn: own.schedulerRole,
        region: config.region,
      };
    }
    const provider = new aws.Provider("aws", { region: config.region as aws.Region });
    const opts: pulumi.CustomResourceOptions = { provider };
    const accountId = aws.getCallerIdentityOutput({}, { provider }).accountId;
    const bucket = own.bucket ?? createBucket(config, accountId, opts);
    const executionRoleArn = own.executionRole ?? createExecutionRole(config, bucket, accountId, opts);
    const schedulerRoleArn = own.schedulerRole ?? createSchedulerRole(config, accountId, opts);
    return { bucket, executionRoleArn, schedulerRoleArn, region: config.region };
  };
}
