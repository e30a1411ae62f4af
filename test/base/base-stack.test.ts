// The base stack's resource graph under pulumi.runtime.setMocks: which objects, their key
// settings, the IAM documents as the engine receives them, bring-your-own, and the outputs.
import { describe, expect, it } from "vitest";
import { parseBaseConfig, type BaseConfigInput } from "../../program/base/config.js";
import {
  executionPolicy,
  executionTrustPolicy,
  schedulerPolicy,
  schedulerTrustPolicy,
  bucketPolicy,
} from "../../program/base/policies.js";
import { sandboxBase } from "../../program/sandbox-client/seed.js";
import { ACCOUNT, runBase } from "./mocks.js";

const T = {
  provider: "pulumi:providers:aws",
  bucket: "aws:s3/bucket:Bucket",
  publicAccess: "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
  ownership: "aws:s3/bucketOwnershipControls:BucketOwnershipControls",
  encryption: "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
  versioning: "aws:s3/bucketVersioning:BucketVersioning",
  lifecycle: "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
  bucketPolicy: "aws:s3/bucketPolicy:BucketPolicy",
  role: "aws:iam/role:Role",
  rolePolicy: "aws:iam/rolePolicy:RolePolicy",
} as const;

const run = (input: Partial<BaseConfigInput> = {}) => runBase(parseBaseConfig({ region: "eu-west-1", ...input }));
const BUCKET = `zerostack-${ACCOUNT}-eu-west-1`;
const EXEC_ARN = "arn:aws:iam::444455556666:role/my-sagemaker";
const SCHED_ARN = "arn:aws:iam::444455556666:role/my-scheduler";
const parsed = (v: unknown) => JSON.parse(String(v)) as unknown;
const names = (r: { type: string; name: string }[]) => r.map((x) => `${x.type}::${x.name}`).sort();

describe("base stack (created)", () => {
  it("creates exactly the bucket with its settings, two roles with one inline policy each, through one aws provider", async () => {
    const { resources } = await run();
    expect(names(resources)).toEqual(
      names([
        { type: T.provider, name: "aws" },
        { type: T.bucket, name: "bucket" },
        { type: T.publicAccess, name: "bucket-public-access" },
        { type: T.ownership, name: "bucket-ownership" },
        { type: T.encryption, name: "bucket-encryption" },
        { type: T.lifecycle, name: "bucket-lifecycle" },
        { type: T.bucketPolicy, name: "bucket-policy" },
        { type: T.role, name: "execution-role" },
        { type: T.rolePolicy, name: "execution-role-policy" },
        { type: T.role, name: "scheduler-role" },
        { type: T.rolePolicy, name: "scheduler-role-policy" },
      ]),
    );
    // no managed policy attachments, no other kinds of object
    expect(resources.some((r) => r.type.includes("PolicyAttachment"))).toBe(false);
  });

  it("sends every object through the explicit provider of the configured region", async () => {
    const { resources, ofType } = await run();
    expect(ofType(T.provider)[0]!.inputs.region).toBe("eu-west-1");
    for (const r of resources.filter((x) => x.type !== T.provider)) {
      expect(r.provider, r.name).toMatch(/pulumi:providers:aws::aws::/);
    }
  });

  it("names the bucket after the account and region, keeps its objects on destroy, and tags it", async () => {
    const { one } = await run({ tags: { team: "ml" } });
    const bucket = one(T.bucket).inputs;
    expect(bucket.bucket).toBe(BUCKET);
    expect(bucket.forceDestroy).toBe(false);
    expect(bucket.tags).toEqual({ team: "ml", "zerostack:stack": "base", "zerostack:component": "bucket" });
  });

  it("takes a given bucket name", async () => {
    const { one, outputs } = await run({ bucketName: "my-zs-bucket" });
    expect(one(T.bucket).inputs.bucket).toBe("my-zs-bucket");
    expect(outputs.bucket).toBe("my-zs-bucket");
  });

  it("blocks every kind of public access and enforces bucket-owner ownership", async () => {
    const { one } = await run();
    expect(one(T.publicAccess).inputs).toEqual({
      bucket: BUCKET,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });
    expect(one(T.ownership).inputs).toEqual({ bucket: BUCKET, rule: { objectOwnership: "BucketOwnerEnforced" } });
  });

  it("encrypts with SSE-S3 by default, with aws:kms and a bucket key when asked", async () => {
    expect((await run()).one(T.encryption).inputs.rules).toEqual([
      { applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" }, bucketKeyEnabled: false },
    ]);
    const key = "arn:aws:kms:eu-west-1:111122223333:key/abcd-1234";
    const kms = await run({ encryption: "aws:kms", kmsKeyArn: key });
    expect(kms.one(T.encryption).inputs.rules).toEqual([
      { applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: key }, bucketKeyEnabled: true },
    ]);
    // ...and the execution role may use that key
    expect(parsed(kms.ofType(T.rolePolicy).find((p) => p.name === "execution-role-policy")!.inputs.policy)).toEqual(
      executionPolicy({ bucket: BUCKET, prefix: "zerostack", region: "eu-west-1", accountId: ACCOUNT, kmsKeyArn: key }),
    );
  });

  it("expires source bundles and serving code by object tag within the prefix, and aborts stale multipart uploads", async () => {
    const { one } = await run({ sourceBundleExpirationDays: 14 });
    expect(one(T.lifecycle).inputs.rules).toEqual([
      {
        id: "expire-source-bundles",
        status: "Enabled",
        filter: { and: { prefix: "zerostack/", tags: { "zerostack:object": "source-bundle" } } },
        expiration: { days: 14 },
      },
      {
        id: "expire-serving-code",
        status: "Enabled",
        filter: { and: { prefix: "zerostack/", tags: { "zerostack:object": "serving-code" } } },
        expiration: { days: 90 },
      },
      {
        id: "abort-incomplete-multipart-uploads",
        status: "Enabled",
        filter: {},
        abortIncompleteMultipartUpload: { daysAfterInitiation: 7 },
      },
    ]);
  });

  it("has no versioning unless asked; with it, old versions expire too", async () => {
    const plain = await run();
    expect(plain.ofType(T.versioning)).toEqual([]);
    const versioned = await run({ versioning: true, noncurrentVersionExpirationDays: 10 });
    expect(versioned.one(T.versioning).inputs.versioningConfiguration).toEqual({ status: "Enabled" });
    expect((versioned.one(T.lifecycle).inputs.rules as unknown[]).at(-1)).toEqual({
      id: "expire-noncurrent-versions",
      status: "Enabled",
      filter: {},
      noncurrentVersionExpiration: { noncurrentDays: 10 },
      expiration: { expiredObjectDeleteMarker: true },
    });
  });

  it("gives the bucket the TLS-only policy", async () => {
    expect(parsed((await run()).one(T.bucketPolicy).inputs.policy)).toEqual(bucketPolicy(BUCKET));
  });

  it("hands the engine the exact IAM documents, scoped to the created bucket and the caller's account", async () => {
    const { ofType, calls } = await run({ prefix: "exp" });
    expect(calls).toEqual(["aws:index/getCallerIdentity:getCallerIdentity"]);
    const role = (n: string) => ofType(T.role).find((r) => r.name === n)!.inputs;
    const policy = (n: string) => ofType(T.rolePolicy).find((r) => r.name === n)!.inputs;
    expect(role("execution-role").name).toBe("zerostack-sagemaker-execution-eu-west-1");
    expect(parsed(role("execution-role").assumeRolePolicy)).toEqual(executionTrustPolicy());
    expect(policy("execution-role-policy").role).toBe("zerostack-sagemaker-execution-eu-west-1");
    expect(parsed(policy("execution-role-policy").policy)).toEqual(
      executionPolicy({ bucket: BUCKET, prefix: "exp", region: "eu-west-1", accountId: ACCOUNT }),
    );
    expect(role("scheduler-role").name).toBe("zerostack-scheduler-eu-west-1");
    expect(parsed(role("scheduler-role").assumeRolePolicy)).toEqual(schedulerTrustPolicy(ACCOUNT));
    expect(policy("scheduler-role-policy").role).toBe("zerostack-scheduler-eu-west-1");
    expect(parsed(policy("scheduler-role-policy").policy)).toEqual(
      schedulerPolicy({ region: "eu-west-1", accountId: ACCOUNT }),
    );
  });

  it("tags every object that takes tags, and a user tag cannot replace zerostack's", async () => {
    const { resources } = await run({ tags: { owner: "me" } });
    const taggable = resources.filter((r) => r.type === T.bucket || r.type === T.role);
    expect(taggable).toHaveLength(3);
    for (const r of taggable) {
      expect(r.inputs.tags, r.name).toMatchObject({ owner: "me", "zerostack:stack": "base" });
    }
    expect(
      Object.fromEntries(
        taggable.map((r) => [r.name, (r.inputs.tags as Record<string, string>)["zerostack:component"]]),
      ),
    ).toEqual({
      bucket: "bucket",
      "execution-role": "execution-role",
      "scheduler-role": "scheduler-role",
    });
    expect(() => parseBaseConfig({ region: "eu-west-1", tags: { "zerostack:stack": "x" } })).toThrow(
      /base\.tags\.zerostack:stack/,
    );
  });

  it("outputs exactly BaseOutputs, the shape the sandbox seeds", async () => {
    const { outputs } = await run();
    expect(outputs).toEqual({
      bucket: BUCKET,
      executionRoleArn: `arn:aws:iam::${ACCOUNT}:role/zerostack-sagemaker-execution-eu-west-1`,
      schedulerRoleArn: `arn:aws:iam::${ACCOUNT}:role/zerostack-scheduler-eu-west-1`,
      region: "eu-west-1",
    });
    expect(Object.keys(outputs).sort()).toEqual(Object.keys(sandboxBase).sort());
  });
});

describe("base stack (bring-your-own)", () => {
  it("creates nothing, calls nothing, and passes everything through", async () => {
    const { resources, calls, outputs } = await run({
      existingBucket: "their-bucket",
      existingExecutionRoleArn: EXEC_ARN,
      existingSchedulerRoleArn: SCHED_ARN,
    });
    expect(resources).toEqual([]);
    expect(calls).toEqual([]);
    expect(outputs).toEqual({
      bucket: "their-bucket",
      executionRoleArn: EXEC_ARN,
      schedulerRoleArn: SCHED_ARN,
      region: "eu-west-1",
    });
  });

  it("an existing bucket: no S3 object is created, and the created execution role is scoped to that bucket", async () => {
    const { resources, ofType, outputs } = await run({ existingBucket: "their-bucket" });
    expect(resources.filter((r) => r.type.startsWith("aws:s3/"))).toEqual([]);
    expect(parsed(ofType(T.rolePolicy).find((p) => p.name === "execution-role-policy")!.inputs.policy)).toEqual(
      executionPolicy({ bucket: "their-bucket", prefix: "zerostack", region: "eu-west-1", accountId: ACCOUNT }),
    );
    expect(outputs.bucket).toBe("their-bucket");
    expect(ofType(T.role)).toHaveLength(2);
  });

  it("existing roles: no IAM object is created, the bucket is", async () => {
    const { resources, outputs, one } = await run({
      existingExecutionRoleArn: EXEC_ARN,
      existingSchedulerRoleArn: SCHED_ARN,
    });
    expect(resources.filter((r) => r.type.startsWith("aws:iam/"))).toEqual([]);
    expect(one(T.bucket).inputs.bucket).toBe(BUCKET);
    expect(outputs).toEqual({
      bucket: BUCKET,
      executionRoleArn: EXEC_ARN,
      schedulerRoleArn: SCHED_ARN,
      region: "eu-west-1",
    });
  });

  it("an existing scheduler role only: the execution role is still created", async () => {
    const { ofType, outputs } = await run({ existingSchedulerRoleArn: SCHED_ARN });
    expect(ofType(T.role).map((r) => r.name)).toEqual(["execution-role"]);
    expect(outputs.schedulerRoleArn).toBe(SCHED_ARN);
  });
});
