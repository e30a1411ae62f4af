// The IAM documents of the base stack, exactly, and the properties that make them least privilege.
import { describe, expect, it } from "vitest";
import {
  bucketPolicy,
  dlcRepositoryArns,
  executionPolicy,
  executionTrustPolicy,
  schedulerPolicy,
  schedulerTrustPolicy,
  type PolicyDocument,
  type PolicyStatement,
} from "../../program/base/policies.js";
import { DLC_ACCOUNTS } from "../../program/spec/regions.js";

const input = { bucket: "zs-data", prefix: "zerostack", region: "eu-west-1", accountId: "111122223333" };
const list = (v: string | string[] | undefined): string[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);
const actions = (doc: PolicyDocument) => doc.Statement.flatMap((s) => list(s.Action));

describe("execution role", () => {
  it("trusts SageMaker only", () => {
    expect(executionTrustPolicy()).toEqual({
      Version: "2012-10-17",
      Statement: [
        {
          Sid: "SageMakerAssumesRole",
          Effect: "Allow",
          Principal: { Service: "sagemaker.amazonaws.com" },
          Action: "sts:AssumeRole",
        },
      ],
    });
  });

  it("is exactly the bucket prefix, SageMaker's logs and metrics, and DLC pulls", () => {
    const ecr = dlcRepositoryArns();
    expect(executionPolicy(input)).toEqual({
      Version: "2012-10-17",
      Statement: [
        {
          Sid: "ListTheBucketPrefix",
          Effect: "Allow",
          Action: "s3:ListBucket",
          Resource: "arn:aws:s3:::zs-data",
          Condition: { StringLike: { "s3:prefix": ["zerostack", "zerostack/*"] } },
        },
        {
          Sid: "ReadWriteThePrefix",
          Effect: "Allow",
          Action: ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"],
          Resource: "arn:aws:s3:::zs-data/zerostack/*",
        },
        {
          Sid: "SageMakerLogs",
          Effect: "Allow",
          Action: ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
          Resource: [
            "arn:aws:logs:eu-west-1:111122223333:log-group:/aws/sagemaker/*",
            "arn:aws:logs:eu-west-1:111122223333:log-group:/aws/sagemaker/*:log-stream:*",
          ],
        },
        {
          Sid: "ReadExperimentHfTokens",
          Effect: "Allow",
          Action: "secretsmanager:GetSecretValue",
          Resource: "arn:aws:secretsmanager:eu-west-1:111122223333:secret:zerostack/*",
        },
        {
          Sid: "SageMakerMetrics",
          Effect: "Allow",
          Action: "cloudwatch:PutMetricData",
          Resource: "*",
          Condition: { StringLike: { "cloudwatch:namespace": "/aws/sagemaker/*" } },
        },
        { Sid: "EcrLogin", Effect: "Allow", Action: "ecr:GetAuthorizationToken", Resource: "*" },
        {
          Sid: "PullDeepLearningContainers",
          Effect: "Allow",
          Action: ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer", "ecr:BatchCheckLayerAvailability"],
          Resource: ecr,
        },
      ],
    });
  });

  it("pulls from the DLC account of every region zerostack plans for, and from no other account", () => {
    const arns = dlcRepositoryArns();
    expect(arns[0]).toBe("arn:aws:ecr:*:763104351884:repository/*");
    expect(arns).toContain("arn:aws:ecr:af-south-1:626614931356:repository/*");
    for (const [region, account] of Object.entries(DLC_ACCOUNTS)) {
      const allowed = arns.some((arn) => {
        const [, , , r, a, res] = arn.split(":");
        return (r === "*" || r === region) && a === account && res === "repository/*";
      });
      expect(allowed, `${region} (${account})`).toBe(true);
    }
    const accounts = new Set(arns.map((arn) => arn.split(":")[4]));
    expect([...accounts].sort()).toEqual([...new Set(Object.values(DLC_ACCOUNTS))].sort());
    // a region with an account of its own is allowed that account in that region only
    expect(arns.filter((arn) => arn.includes(":626614931356:"))).toEqual([
      "arn:aws:ecr:af-south-1:626614931356:repository/*",
    ]);
  });

  it("uses no wildcard action, and '*' resources only where AWS offers no resource-level permission", () => {
    const doc = executionPolicy(input);
    expect(actions(doc).filter((a) => a.includes("*"))).toEqual([]);
    const starResources = doc.Statement.filter((s) => list(s.Resource).includes("*"));
    expect(starResources.map((s) => list(s.Action))).toEqual([
      ["cloudwatch:PutMetricData"],
      ["ecr:GetAuthorizationToken"],
    ]);
    // the metrics one is fenced by the namespace condition
    expect(starResources[0]!.Condition).toEqual({ StringLike: { "cloudwatch:namespace": "/aws/sagemaker/*" } });
    expect(doc.Statement.every((s) => s.Effect === "Allow")).toBe(true);
  });

  it("keeps every S3 action inside the bucket's prefix", () => {
    const doc = executionPolicy(input);
    const s3 = doc.Statement.filter((s) => list(s.Action).some((a) => a.startsWith("s3:")));
    expect(s3.every((s) => list(s.Action).every((a) => a.startsWith("s3:")))).toBe(true);
    for (const s of s3) {
      for (const resource of list(s.Resource)) {
        expect(resource === "arn:aws:s3:::zs-data" || resource.startsWith("arn:aws:s3:::zs-data/zerostack/")).toBe(
          true,
        );
      }
      // listing the bucket itself is only allowed for keys under the prefix
      if (list(s.Resource).includes("arn:aws:s3:::zs-data"))
        expect(s.Condition?.StringLike?.["s3:prefix"]).toEqual(["zerostack", "zerostack/*"]);
    }
    expect(
      actions(doc)
        .filter((a) => a.startsWith("s3:"))
        .sort(),
    ).toEqual(["s3:DeleteObject", "s3:GetObject", "s3:ListBucket", "s3:PutObject"]);
  });

  it("grants only the listed services' actions", () => {
    const services = new Set(actions(executionPolicy(input)).map((a) => a.split(":")[0]));
    expect([...services].sort()).toEqual(["cloudwatch", "ecr", "logs", "s3", "secretsmanager"]);
  });

  it("lets the job read zerostack's secrets alone: GetSecretValue on the zerostack/ prefix, nothing else", () => {
    const read = executionPolicy(input).Statement.filter((s) =>
      list(s.Action).some((a) => a.startsWith("secretsmanager:")),
    );
    expect(read.map((s) => [list(s.Action), s.Resource])).toEqual([
      [["secretsmanager:GetSecretValue"], "arn:aws:secretsmanager:eu-west-1:111122223333:secret:zerostack/*"],
    ]);
  });

  it("scopes logs to SageMaker's log groups in the account and region", () => {
    const logs = executionPolicy(input).Statement.find((s) => s.Sid === "SageMakerLogs")!;
    for (const arn of list(logs.Resource))
      expect(arn.startsWith("arn:aws:logs:eu-west-1:111122223333:log-group:/aws/sagemaker/")).toBe(true);
  });

  it("normalises the prefix's slashes, and an empty prefix means the whole bucket without a list condition", () => {
    expect(executionPolicy({ ...input, prefix: "/a/b/" }).Statement[1]!.Resource).toBe("arn:aws:s3:::zs-data/a/b/*");
    const whole = executionPolicy({ ...input, prefix: "" });
    expect(whole.Statement[0]).toEqual({
      Sid: "ListTheBucketPrefix",
      Effect: "Allow",
      Action: "s3:ListBucket",
      Resource: "arn:aws:s3:::zs-data",
    });
    expect(whole.Statement[1]!.Resource).toBe("arn:aws:s3:::zs-data/*");
  });

  it("adds the bucket's customer-managed KMS key, through S3 only, when there is one", () => {
    const key = "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";
    const doc = executionPolicy({ ...input, kmsKeyArn: key });
    expect(doc.Statement.at(-1)).toEqual<PolicyStatement>({
      Sid: "BucketKmsKey",
      Effect: "Allow",
      Action: ["kms:Decrypt", "kms:GenerateDataKey"],
      Resource: key,
      Condition: { StringEquals: { "kms:ViaService": "s3.eu-west-1.amazonaws.com" } },
    });
    expect(executionPolicy(input).Statement.some((s) => list(s.Action).some((a) => a.startsWith("kms:")))).toBe(false);
  });
});

describe("scheduler role", () => {
  it("trusts EventBridge Scheduler of this account only", () => {
    expect(schedulerTrustPolicy("111122223333")).toEqual({
      Version: "2012-10-17",
      Statement: [
        {
          Sid: "SchedulerAssumesRole",
          Effect: "Allow",
          Principal: { Service: "scheduler.amazonaws.com" },
          Action: "sts:AssumeRole",
          Condition: { StringEquals: { "aws:SourceAccount": "111122223333" } },
        },
      ],
    });
  });

  it("may only delete zerostack-tagged endpoints of its account and region", () => {
    expect(schedulerPolicy({ region: "eu-west-1", accountId: "111122223333" })).toEqual({
      Version: "2012-10-17",
      Statement: [
        {
          Sid: "DeleteZerostackEndpoints",
          Effect: "Allow",
          Action: "sagemaker:DeleteEndpoint",
          Resource: "arn:aws:sagemaker:eu-west-1:111122223333:endpoint/*",
          Condition: { Null: { "aws:ResourceTag/zerostack:experiment": "false" } },
        },
      ],
    });
  });
});

describe("bucket policy", () => {
  it("denies plain HTTP for the bucket and its objects and allows nothing", () => {
    const doc = bucketPolicy("zs-data");
    expect(doc).toEqual({
      Version: "2012-10-17",
      Statement: [
        {
          Sid: "DenyInsecureTransport",
          Effect: "Deny",
          Principal: { AWS: "*" },
          Action: "s3:*",
          Resource: ["arn:aws:s3:::zs-data", "arn:aws:s3:::zs-data/*"],
          Condition: { Bool: { "aws:SecureTransport": "false" } },
        },
      ],
    });
    expect(doc.Statement.some((s) => s.Effect === "Allow")).toBe(false);
  });
});
