// BaseOutputs from wherever they come from (the base stack's outputs, or the environment),
// checked: an experiment must never start with half a base.
import { BadInputError, type Problem } from "../errors.js";

/**
 * What every experiment needs from the account: a bucket and the roles. A real account gets them
 * from zerostack's base stack (or bring-your-own via config); the sandbox seeds the same values.
 */
export interface BaseOutputs {
  bucket: string;
  executionRoleArn: string;
  schedulerRoleArn: string;
  region: string;
}

export const BASE_OUTPUT_KEYS = [
  "bucket",
  "executionRoleArn",
  "schedulerRoleArn",
  "region",
] as const satisfies readonly (keyof BaseOutputs)[];

export const BYO_ENV = {
  bucket: "ZEROSTACK_BUCKET",
  executionRoleArn: "ZEROSTACK_EXECUTION_ROLE_ARN",
  schedulerRoleArn: "ZEROSTACK_SCHEDULER_ROLE_ARN",
} as const;

const ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]+$/;
const BUCKET = /^(?!.*\.\.)[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

export const BASE_UP_NEXT_STEP = "run `zerostack base up` to create the bucket and roles";
export const BYO_NEXT_STEP = `or bring your own: set ${BYO_ENV.bucket}, ${BYO_ENV.executionRoleArn} and ${BYO_ENV.schedulerRoleArn}`;

/** The base stack's outputs as BaseOutputs; a stack whose last `up` never finished has none. */
export function baseOutputsFrom(outputs: Record<string, unknown>): BaseOutputs {
  const missing = BASE_OUTPUT_KEYS.filter((k) => typeof outputs[k] !== "string" || outputs[k] === "");
  if (missing.length > 0) {
    throw new BadInputError(
      missing.map((k) => ({
        field: `base.${k}`,
        message: "the base stack has no such output (its last `zerostack base up` did not finish)",
      })),
      BASE_UP_NEXT_STEP,
    );
  }
  return Object.fromEntries(BASE_OUTPUT_KEYS.map((k) => [k, outputs[k] as string])) as unknown as BaseOutputs;
}

/**
 * Bring-your-own through the environment: undefined when none of the three variables is set;
 * all three, valid, when any is (a TTL schedule with a role the scheduler cannot assume would
 * leave an endpoint billing forever, so the scheduler role is not optional).
 */
export function baseFromEnv(env: NodeJS.ProcessEnv): BaseOutputs | undefined {
  const values = {
    bucket: env[BYO_ENV.bucket],
    executionRoleArn: env[BYO_ENV.executionRoleArn],
    schedulerRoleArn: env[BYO_ENV.schedulerRoleArn],
  };
  if (Object.values(values).every((v) => v === undefined || v === "")) return undefined;
  const problems: Problem[] = [];
  if (!values.bucket)
    problems.push({
      field: BYO_ENV.bucket,
      message: "is not set",
      allowed: "the name of an S3 bucket the execution role can use",
    });
  else if (!BUCKET.test(values.bucket))
    problems.push({
      field: BYO_ENV.bucket,
      message: `${JSON.stringify(values.bucket)} is not a bucket name`,
      allowed: "3-63 lowercase letters, digits, dots and hyphens",
    });
  for (const key of ["executionRoleArn", "schedulerRoleArn"] as const) {
    const value = values[key];
    if (!value)
      problems.push({ field: BYO_ENV[key], message: "is not set", allowed: "arn:aws:iam::<account>:role/<name>" });
    else if (!ROLE_ARN.test(value))
      problems.push({
        field: BYO_ENV[key],
        message: `${JSON.stringify(value)} is not a role ARN`,
        allowed: "arn:aws:iam::<account>:role/<name>",
      });
  }
  if (problems.length > 0)
    throw new BadInputError(
      problems,
      `set all three (the scheduler role must trust scheduler.amazonaws.com), or unset them all and ${BASE_UP_NEXT_STEP}`,
    );
  return {
    bucket: values.bucket!,
    executionRoleArn: values.executionRoleArn!,
    schedulerRoleArn: values.schedulerRoleArn!,
    region: env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? "us-east-1",
  };
}
