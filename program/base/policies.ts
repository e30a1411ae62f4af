// The IAM documents of the base stack, as plain objects from plain values (pure, unit-tested):
// the SageMaker execution role may touch the bucket's prefix, its own logs and metrics, and pull
// the AWS Deep Learning Containers; the scheduler role may only delete zerostack's endpoints.
import { DLC_ACCOUNTS } from "../spec/regions.js";
import { HF_TOKEN_SECRET_PREFIX } from "../spec/names.js";
import { TAG_KEYS } from "../spec/tags.js";

export interface PolicyStatement {
  Sid: string;
  Effect: "Allow" | "Deny";
  Action: string | string[];
  Resource?: string | string[];
  Principal?: Record<string, string | string[]>;
  Condition?: Record<string, Record<string, string | string[]>>;
}

export interface PolicyDocument {
  Version: "2012-10-17";
  Statement: PolicyStatement[];
}

/** SageMaker's own log groups and metric namespaces start with this. */
export const SAGEMAKER_LOG_GROUPS = "/aws/sagemaker/";
export const SAGEMAKER_METRIC_NAMESPACES = "/aws/sagemaker/*";

export interface ExecutionPolicyInput {
  bucket: string;
  /** key prefix inside the bucket ("" = the whole bucket) */
  prefix: string;
  region: string;
  accountId: string;
  /** a customer-managed KMS key that encrypts the bucket (none for SSE-S3 or the AWS-managed key) */
  kmsKeyArn?: string;
  /** region -> account of the Deep Learning Containers registry (program/spec/regions.ts) */
  dlcAccounts?: Readonly<Record<string, string>>;
}

export function trimPrefix(prefix: string): string {
  return prefix.replace(/^\/+|\/+$/g, "");
}

/** `arn:aws:s3:::bucket/prefix/*`, or `bucket/*` for the whole bucket. */
export function objectsArn(bucket: string, prefix: string): string {
  const p = trimPrefix(prefix);
  return p ? `arn:aws:s3:::${bucket}/${p}/*` : `arn:aws:s3:::${bucket}/*`;
}

/**
 * The DLC repositories: the account most regions use, in every region, plus each other region's
 * own account in that region only (af-south-1, ap-east-1, ... publish from accounts of their own).
 */
export function dlcRepositoryArns(dlcAccounts: Readonly<Record<string, string>> = DLC_ACCOUNTS): string[] {
  const counts = new Map<string, number>();
  for (const account of Object.values(dlcAccounts)) counts.set(account, (counts.get(account) ?? 0) + 1);
  const shared = [...counts.entries()]
    .filter(([, n]) => n > 1)
    .map(([account]) => account)
    .sort();
  const own = Object.entries(dlcAccounts)
    .filter(([, account]) => !shared.includes(account))
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([region, account]) => `arn:aws:ecr:${region}:${account}:repository/*`);
  return [...shared.map((account) => `arn:aws:ecr:*:${account}:repository/*`), ...own];
}

export function executionTrustPolicy(): PolicyDocument {
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "SageMakerAssumesRole",
        Effect: "Allow",
        Principal: { Service: "sagemaker.amazonaws.com" },
        Action: "sts:AssumeRole",
      },
    ],
  };
}

export function executionPolicy(input: ExecutionPolicyInput): PolicyDocument {
  const prefix = trimPrefix(input.prefix);
  const logGroups = `arn:aws:logs:${input.region}:${input.accountId}:log-group:${SAGEMAKER_LOG_GROUPS}*`;
  const statements: PolicyStatement[] = [
    {
      Sid: "ListTheBucketPrefix",
      Effect: "Allow",
      Action: "s3:ListBucket",
      Resource: `arn:aws:s3:::${input.bucket}`,
      ...(prefix ? { Condition: { StringLike: { "s3:prefix": [prefix, `${prefix}/*`] } } } : {}),
    },
    {
      Sid: "ReadWriteThePrefix",
      Effect: "Allow",
      Action: ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"],
      Resource: objectsArn(input.bucket, prefix),
    },
    {
      Sid: "SageMakerLogs",
      Effect: "Allow",
      Action: ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
      Resource: [logGroups, `${logGroups}:log-stream:*`],
    },
    {
      // an experiment's HF token (program/providers/hf-token-secret.ts): the job reads it by ARN;
      // the role reads zerostack's secrets alone (Secrets Manager appends 6 random characters)
      Sid: "ReadExperimentHfTokens",
      Effect: "Allow",
      Action: "secretsmanager:GetSecretValue",
      Resource: `arn:aws:secretsmanager:${input.region}:${input.accountId}:secret:${HF_TOKEN_SECRET_PREFIX}*`,
    },
    {
      // PutMetricData has no resource-level permissions: the namespace condition scopes it
      Sid: "SageMakerMetrics",
      Effect: "Allow",
      Action: "cloudwatch:PutMetricData",
      Resource: "*",
      Condition: { StringLike: { "cloudwatch:namespace": SAGEMAKER_METRIC_NAMESPACES } },
    },
    {
      // GetAuthorizationToken has no resource-level permissions either
      Sid: "EcrLogin",
      Effect: "Allow",
      Action: "ecr:GetAuthorizationToken",
      Resource: "*",
    },
    {
      Sid: "PullDeepLearningContainers",
      Effect: "Allow",
      Action: ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer", "ecr:BatchCheckLayerAvailability"],
      Resource: dlcRepositoryArns(input.dlcAccounts),
    },
  ];
  if (input.kmsKeyArn) {
    statements.push({
      Sid: "BucketKmsKey",
      Effect: "Allow",
      Action: ["kms:Decrypt", "kms:GenerateDataKey"],
      Resource: input.kmsKeyArn,
      Condition: { StringEquals: { "kms:ViaService": `s3.${input.region}.amazonaws.com` } },
    });
  }
  return { Version: "2012-10-17", Statement: statements };
}

/** EventBridge Scheduler assumes the role, only for schedules of this account (confused deputy). */
export function schedulerTrustPolicy(accountId: string): PolicyDocument {
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "SchedulerAssumesRole",
        Effect: "Allow",
        Principal: { Service: "scheduler.amazonaws.com" },
        Action: "sts:AssumeRole",
        Condition: { StringEquals: { "aws:SourceAccount": accountId } },
      },
    ],
  };
}

/** The TTL schedules' universal target (aws-sdk:sagemaker:deleteEndpoint): zerostack-tagged endpoints only. */
export function schedulerPolicy(input: { region: string; accountId: string }): PolicyDocument {
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "DeleteZerostackEndpoints",
        Effect: "Allow",
        Action: "sagemaker:DeleteEndpoint",
        Resource: `arn:aws:sagemaker:${input.region}:${input.accountId}:endpoint/*`,
        // the tag must be present (Null: false); every endpoint zerostack creates carries it
        Condition: { Null: { [`aws:ResourceTag/${TAG_KEYS.experiment}`]: "false" } },
      },
    ],
  };
}

/** The bucket refuses plain-HTTP requests. */
export function bucketPolicy(bucket: string): PolicyDocument {
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "DenyInsecureTransport",
        Effect: "Deny",
        Principal: { AWS: "*" },
        Action: "s3:*",
        Resource: [`arn:aws:s3:::${bucket}`, `arn:aws:s3:::${bucket}/*`],
        Condition: { Bool: { "aws:SecureTransport": "false" } },
      },
    ],
  };
}
