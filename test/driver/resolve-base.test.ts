// resolveBase for a real account: bring-your-own from the environment, else the `base` stack's
// outputs read through the Automation API (the real Pulumi CLI on a file backend in a temp dir).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { destroyBase, mergeBaseConfig, readBaseStackOutputs, upBase } from "../../program/driver/base-operations.js";
import { BadInputError, ConflictError, ExitCode, OperationFailedError } from "../../program/errors.js";
import { openStack, type DriverContext } from "../../program/driver/workspace.js";
import { resolveBase } from "../../program/driver/resolve-base.js";

const EXEC = "arn:aws:iam::111122223333:role/sm";
const SCHED = "arn:aws:iam::111122223333:role/sch";
const seeded = { bucket: "zs-bucket", executionRoleArn: EXEC, schedulerRoleArn: SCHED, region: "eu-west-1" };
const never = async () => {
  throw new Error("the base stack must not be read");
};

describe("resolveBase: bring-your-own", () => {
  it("takes all three variables and the SDK's region, without reading any stack", async () => {
    const env = {
      ZEROSTACK_BUCKET: "zs-bucket",
      ZEROSTACK_EXECUTION_ROLE_ARN: EXEC,
      ZEROSTACK_SCHEDULER_ROLE_ARN: SCHED,
      AWS_REGION: "eu-west-1",
    };
    expect(await resolveBase(env, { readOutputs: never })).toEqual(seeded);
  });

  it("refuses a partial or malformed set, naming each variable", async () => {
    const error = await resolveBase(
      { ZEROSTACK_BUCKET: "zs-bucket", ZEROSTACK_EXECUTION_ROLE_ARN: "role/sm" },
      { readOutputs: never },
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BadInputError);
    expect((error as BadInputError).problems.map((p) => p.field)).toEqual([
      "ZEROSTACK_EXECUTION_ROLE_ARN",
      "ZEROSTACK_SCHEDULER_ROLE_ARN",
    ]);
    expect((error as BadInputError).exitCode).toBe(ExitCode.badInput);
  });
});

describe("resolveBase: the base stack", () => {
  it("returns its outputs", async () => {
    expect(await resolveBase({}, { readOutputs: async () => ({ ...seeded, extra: 1 }) })).toEqual(seeded);
  });

  it("without one, says to run `zerostack base up` (exit 2)", async () => {
    const error = await resolveBase({}, { readOutputs: async () => undefined }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BadInputError);
    expect((error as BadInputError).nextStep).toMatch(/zerostack base up/);
    expect((error as BadInputError).nextStep).toMatch(/ZEROSTACK_SCHEDULER_ROLE_ARN/);
  });

  it("with outputs missing (an unfinished up), names them and says to run `zerostack base up`", async () => {
    const error = await resolveBase(
      {},
      { readOutputs: async () => ({ bucket: "zs-bucket", region: "eu-west-1" }) },
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BadInputError);
    expect((error as BadInputError).problems.map((p) => p.field)).toEqual([
      "base.executionRoleArn",
      "base.schedulerRoleArn",
    ]);
    expect((error as BadInputError).nextStep).toMatch(/zerostack base up/);
  });

  it("an unreadable backend is an operation failure with the cause", async () => {
    const error = await resolveBase(
      {},
      { readOutputs: async () => Promise.reject(new Error("AccessDenied: s3://state")) },
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OperationFailedError);
    expect((error as Error).message).toMatch(/AccessDenied/);
  });
});

describe("base config merge", () => {
  it("flags win over the stored config, undefined flags keep it, the region falls back to the environment", () => {
    const { input, config } = mergeBaseConfig(
      { prefix: "old", versioning: true },
      { prefix: "new", versioning: undefined },
      { AWS_REGION: "us-west-2" },
    );
    expect(input).toEqual({ prefix: "new", versioning: true, region: "us-west-2" });
    expect(config.region).toBe("us-west-2");
  });

  it("without any region it is bad input naming --region", () => {
    expect(() => mergeBaseConfig({}, {}, {})).toThrow(BadInputError);
  });
});

describe("the base stack on a file backend (real Pulumi CLI)", () => {
  let home: string;
  let ctx: DriverContext;
  beforeAll(() => {
    home = mkdtempSync(join(tmpdir(), "zs-base-"));
    const env: NodeJS.ProcessEnv = { ...process.env, ZEROSTACK_HOME: home };
    delete env.PULUMI_BACKEND_URL;
    delete env.ZEROSTACK_BUCKET;
    delete env.ZEROSTACK_EXECUTION_ROLE_ARN;
    delete env.ZEROSTACK_SCHEDULER_ROLE_ARN;
    ctx = { sandbox: false, env };
  });
  afterAll(() => rmSync(home, { recursive: true, force: true }));

  it("no base stack: readBaseStackOutputs says none, resolveBase says `zerostack base up`", async () => {
    expect(await readBaseStackOutputs(ctx)).toBeUndefined();
    await expect(resolveBase(ctx.env)).rejects.toThrow(BadInputError);
  });

  it("reads what a `base` stack exported, through the Automation API", async () => {
    // the same outputs the @pulumi/aws program exports, without the provider plugin this machine lacks
    const program = async () => seeded;
    const stack = await openStack(ctx, "base", program);
    await stack.up({ program });
    expect(await readBaseStackOutputs(ctx)).toEqual(seeded);
    expect(await resolveBase(ctx.env)).toEqual(seeded);
  });

  it("base destroy refuses while an experiment stack still has resources", async () => {
    const program = async () => ({ trainingJobName: "x" });
    const exp = await openStack(ctx, "exp-one", program);
    await exp.up({ program });
    const error = await destroyBase(ctx, { onEvent: () => {} }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConflictError);
    expect((error as Error).message).toMatch(/exp-one/);
  });

  it("base commands refuse the sandbox", async () => {
    await expect(upBase({ ...ctx, sandbox: true }, { region: "us-east-1" }, { onEvent: () => {} })).rejects.toThrow(
      /sandbox seeds its own/,
    );
  });
});

describe("base up with everything brought (real engine, no AWS object, no provider plugin)", () => {
  let home: string;
  let ctx: DriverContext;
  const byo = {
    region: "eu-west-1",
    existingBucket: "zs-bucket",
    existingExecutionRoleArn: EXEC,
    existingSchedulerRoleArn: SCHED,
  } as const;
  const quiet = { onEvent: () => {} };
  beforeAll(() => {
    home = mkdtempSync(join(tmpdir(), "zs-base-up-"));
    const env: NodeJS.ProcessEnv = { ...process.env, ZEROSTACK_HOME: home };
    delete env.PULUMI_BACKEND_URL;
    for (const k of [
      "ZEROSTACK_BUCKET",
      "ZEROSTACK_EXECUTION_ROLE_ARN",
      "ZEROSTACK_SCHEDULER_ROLE_ARN",
      "AWS_REGION",
      "AWS_DEFAULT_REGION",
    ])
      delete env[k];
    ctx = { sandbox: false, env };
  });
  afterAll(() => rmSync(home, { recursive: true, force: true }));

  it("records the settings in the stack, exports BaseOutputs, and resolveBase returns them", async () => {
    expect(await upBase(ctx, byo, quiet)).toEqual(seeded);
    expect(await resolveBase(ctx.env)).toEqual(seeded);
    const stack = await openStack(ctx, "base", async () => ({}));
    expect(JSON.parse((await stack.getConfig("zerostack:base")).value)).toEqual(byo);
  });

  it("a later up without flags repeats the stored settings; a contradicting flag is bad input; --reset forgets them", async () => {
    expect(await upBase(ctx, {}, quiet)).toEqual(seeded);
    const error = await upBase(ctx, { bucketName: "new-bucket" }, quiet).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BadInputError);
    expect((error as BadInputError).problems.map((p) => p.field)).toEqual(["base.bucketName"]);
    const other = { ...byo, existingBucket: "other-bucket" };
    expect(await upBase(ctx, other, { ...quiet, reset: true })).toEqual({ ...seeded, bucket: "other-bucket" });
  });

  it("base destroy removes the stack; then there is no base", async () => {
    await destroyBase(ctx, quiet);
    expect(await readBaseStackOutputs(ctx)).toBeUndefined();
  });
});
