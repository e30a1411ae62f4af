// What the sandbox seeds so that experiments find what a real account gets from the base stack.
import type { BaseOutputs } from "../base/outputs.js";

export const SANDBOX_ACCOUNT = "123456789012";
export const SANDBOX_REGION = "us-east-1";

export const sandboxBase: BaseOutputs = {
  bucket: `zerostack-sandbox-${SANDBOX_ACCOUNT}`,
  executionRoleArn: `arn:aws:iam::${SANDBOX_ACCOUNT}:role/zerostack-sagemaker-execution`,
  schedulerRoleArn: `arn:aws:iam::${SANDBOX_ACCOUNT}:role/zerostack-scheduler`,
  region: SANDBOX_REGION,
};

/** Creates the seeded bucket and roles in the emulator (idempotent). */
export async function seedSandbox(endpoint: string): Promise<BaseOutputs> {
  const [{ S3Client, CreateBucketCommand, HeadBucketCommand }, { IAMClient, CreateRoleCommand, GetRoleCommand }] =
    await Promise.all([import("@aws-sdk/client-s3"), import("@aws-sdk/client-iam")]);
  const common = { region: SANDBOX_REGION, endpoint, credentials: sandboxCredentials };
  const s3 = new S3Client({ ...common, forcePathStyle: true });
  try {
    await s3.send(new HeadBucketCommand({ Bucket: sandboxBase.bucket }));
  } catch {
    await s3.send(new CreateBucketCommand({ Bucket: sandboxBase.bucket }));
  }
  const iam = new IAMClient(common);
  for (const [arn, service] of [
    [sandboxBase.executionRoleArn, "sagemaker.amazonaws.com"],
    [sandboxBase.schedulerRoleArn, "scheduler.amazonaws.com"],
  ] as const) {
    const RoleName = arn.split("/").at(-1)!;
    try {
      await iam.send(new GetRoleCommand({ RoleName }));
    } catch {
      await iam.send(
        new CreateRoleCommand({
          RoleName,
          AssumeRolePolicyDocument: JSON.stringify({
            Version: "2012-10-17",
            Statement: [{ Effect: "Allow", Principal: { Service: service }, Action: "sts:AssumeRole" }],
          }),
        }),
      );
    }
  }
  return sandboxBase;
}

export const sandboxCredentials = { accessKeyId: "zerostack-sandbox", secretAccessKey: "zerostack-sandbox" };

/** The environment every AWS client (ours, the engine's, the providers') gets in sandbox mode. */
export function sandboxEnv(endpoint: string): Record<string, string> {
  return {
    AWS_ENDPOINT_URL: endpoint,
    AWS_ACCESS_KEY_ID: sandboxCredentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: sandboxCredentials.secretAccessKey,
    AWS_REGION: SANDBOX_REGION,
    AWS_DEFAULT_REGION: SANDBOX_REGION,
  };
}
