// The base outputs for a real account: bring-your-own through the environment for now; the
// base stack (issue 5) provides them otherwise.
import { BadInputError } from "../errors.js";
import type { BaseOutputs } from "./base-outputs.js";

export async function resolveBase(env: NodeJS.ProcessEnv = process.env): Promise<BaseOutputs> {
  const bucket = env.ZEROSTACK_BUCKET;
  const executionRoleArn = env.ZEROSTACK_EXECUTION_ROLE_ARN;
  const problems = [];
  if (!bucket) problems.push({ field: "ZEROSTACK_BUCKET", message: "is not set", allowed: "the name of an S3 bucket the execution role can use" });
  if (!executionRoleArn) problems.push({ field: "ZEROSTACK_EXECUTION_ROLE_ARN", message: "is not set", allowed: "arn:aws:iam::<account>:role/<name>" });
  if (problems.length > 0) throw new BadInputError(problems, "set them, or run with --sandbox to use the sandbox cloud");
  return {
    bucket: bucket!,
    executionRoleArn: executionRoleArn!,
    schedulerRoleArn: env.ZEROSTACK_SCHEDULER_ROLE_ARN ?? executionRoleArn!,
    region: env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? "us-east-1",
  };
}
