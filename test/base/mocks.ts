// Runs the base stack's inline program against pulumi.runtime.setMocks (no engine, no provider
// plugin) and records every resource it registers and every function it calls.
import * as pulumi from "@pulumi/pulumi";
import type { BaseConfig } from "../../program/base/config.js";

export const ACCOUNT = "111122223333";

export interface Registered {
  type: string;
  name: string;
  inputs: Record<string, unknown>;
  provider: string | undefined;
}

export interface BaseRun {
  resources: Registered[];
  calls: string[];
  outputs: Record<string, unknown>;
  ofType(type: string): Registered[];
  one(type: string): Registered;
}

/** What the mocked "cloud" returns for a resource: its inputs plus the computed arn. */
function stateOf(type: string, name: string, inputs: Record<string, unknown>): Record<string, unknown> {
  if (type === "aws:s3/bucket:Bucket") return { ...inputs, arn: `arn:aws:s3:::${String(inputs.bucket)}` };
  if (type === "aws:iam/role:Role")
    return { ...inputs, arn: `arn:aws:iam::${ACCOUNT}:role/${String(inputs.name ?? name)}` };
  return inputs;
}

export async function runBase(config: BaseConfig): Promise<BaseRun> {
  const resources: Registered[] = [];
  const calls: string[] = [];
  await pulumi.runtime.setMocks(
    {
      newResource(args) {
        resources.push({
          type: args.type,
          name: args.name,
          inputs: args.inputs as Record<string, unknown>,
          provider: args.provider,
        });
        const inputs = args.inputs as Record<string, unknown>;
        const id =
          args.type === "aws:s3/bucket:Bucket"
            ? String(inputs.bucket)
            : args.type === "aws:iam/role:Role"
              ? String(inputs.name)
              : `${args.name}-id`;
        return { id, state: stateOf(args.type, args.name, inputs) };
      },
      call(args) {
        calls.push(args.token);
        if (args.token === "aws:index/getCallerIdentity:getCallerIdentity") {
          return { accountId: ACCOUNT, arn: `arn:aws:iam::${ACCOUNT}:user/tester`, userId: "AIDTEST", id: ACCOUNT };
        }
        throw new Error(`unexpected call ${args.token}`);
      },
    },
    "zerostack",
    "base",
    false,
  );
  const { baseStack } = await import("../../program/base/base-stack.js");
  const outputs = ((await pulumi.runtime.runInPulumiStack(baseStack(config))) ?? {}) as Record<string, unknown>;
  // resources nobody's output waits for (bucket policy, lifecycle) register a little later
  const wait = (pulumi.runtime as unknown as { waitForRPCs?: () => Promise<void> }).waitForRPCs;
  if (wait) await wait();
  const aws = resources.filter((r) => r.type !== "pulumi:pulumi:Stack");
  return {
    resources: aws,
    calls,
    outputs,
    ofType: (type) => aws.filter((r) => r.type === type),
    one(type) {
      const found = aws.filter((r) => r.type === type);
      if (found.length !== 1) throw new Error(`expected one ${type}, found ${found.length}`);
      return found[0]!;
    },
  };
}
