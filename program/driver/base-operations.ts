// The `base` stack through the Automation API: one stack named `base` in project zerostack, on
// the same backend as the experiments (never the sandbox's: the sandbox seeds its own base).
// Its config is one JSON value (the BaseConfig input), so a later `base up` repeats the choice.
import type { Stack } from "@pulumi/pulumi/automation/index.js";
import { BadInputError, ConflictError, ZerostackError } from "../errors.js";
import { clearStaleLocks } from "./locks.js";
import { destroy, listStacks, preview, runUp, type OperationOptions } from "./operations.js";
import { fromPulumiError } from "./pulumi-errors.js";
import { openStack, projectWorkspace, type DriverContext } from "./workspace.js";
import type { BaseOutputs } from "../base/outputs.js";
import { parseBaseConfig, type BaseConfig, type BaseConfigInput } from "../base/config.js";
import { BASE_CONFIG_KEY, BASE_STACK } from "../base/base-names.js";
import { baseOutputsFrom } from "../base/outputs.js";

const noProgram = async () => ({});

function realAccountOnly(ctx: DriverContext): void {
  if (ctx.sandbox) {
    throw new BadInputError(
      [
        {
          field: "--sandbox",
          message: "the sandbox seeds its own bucket and roles; the base stack is for a real AWS account",
          allowed: "--no-sandbox with AWS credentials",
        },
      ],
      "run `zerostack base up --no-sandbox` with AWS credentials, or use the sandbox without a base stack",
    );
  }
}

/** Stored input, then the flags that were given (undefined = keep), then the region from the environment. */
export function mergeBaseConfig(
  stored: Partial<BaseConfigInput>,
  overrides: Partial<BaseConfigInput>,
  env: NodeJS.ProcessEnv = process.env,
): { input: Partial<BaseConfigInput>; config: BaseConfig } {
  const given = Object.fromEntries(
    Object.entries(overrides).filter(([, v]) => v !== undefined),
  ) as Partial<BaseConfigInput>;
  const input: Partial<BaseConfigInput> = { ...stored, ...given };
  const region = input.region ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION;
  if (region !== undefined) input.region = region as BaseConfigInput["region"];
  if (input.region === undefined) {
    throw new BadInputError(
      [
        {
          field: "--region",
          message: "no region given and none in AWS_REGION or AWS_DEFAULT_REGION",
          allowed: "an AWS region, e.g. us-east-1",
        },
      ],
      "run `zerostack base up --region <region>`",
    );
  }
  return { input, config: parseBaseConfig(input) };
}

async function storedInput(stack: Stack): Promise<Partial<BaseConfigInput>> {
  const value = (await stack.getAllConfig())[BASE_CONFIG_KEY]?.value;
  if (!value) return {};
  try {
    return JSON.parse(value) as Partial<BaseConfigInput>;
  } catch {
    throw new BadInputError(
      [{ field: BASE_CONFIG_KEY, message: "the base stack's stored config is not JSON" }],
      `remove it with \`pulumi config rm ${BASE_CONFIG_KEY} --stack ${BASE_STACK}\`, then run \`zerostack base up\` with your settings`,
    );
  }
}

async function open(ctx: DriverContext): Promise<Stack> {
  try {
    return await openStack(ctx, BASE_STACK, noProgram);
  } catch (error) {
    throw fromPulumiError(error, BASE_STACK, [], false);
  }
}

export interface BaseUpOptions extends OperationOptions {
  /** forget the stored settings: only these flags (and the defaults) count */
  reset?: boolean;
}

export async function upBase(
  ctx: DriverContext,
  overrides: Partial<BaseConfigInput>,
  opts: BaseUpOptions,
): Promise<BaseOutputs> {
  realAccountOnly(ctx);
  return upBaseStack(ctx, overrides, opts);
}

/**
 * The sandbox's base stack: everything brought (the bucket and roles the sandbox seeded), so no
 * provider plugin and no AWS object; experiments then read it like a real account's base stack.
 */
export async function seedSandboxBase(
  ctx: DriverContext,
  base: BaseOutputs,
  opts: OperationOptions,
): Promise<BaseOutputs> {
  if (!ctx.sandbox) throw new Error("seedSandboxBase is for the sandbox's own state");
  const outputs = await readBaseStackOutputs(ctx);
  if (outputs) return baseOutputsFrom(outputs);
  return upBaseStack(
    ctx,
    {
      region: base.region as BaseConfigInput["region"],
      existingBucket: base.bucket,
      existingExecutionRoleArn: base.executionRoleArn,
      existingSchedulerRoleArn: base.schedulerRoleArn,
    },
    { ...opts, reset: true },
  );
}

async function upBaseStack(
  ctx: DriverContext,
  overrides: Partial<BaseConfigInput>,
  opts: BaseUpOptions,
): Promise<BaseOutputs> {
  await clearStaleLocks(ctx, BASE_STACK, opts.onEvent);
  const stack = await open(ctx);
  const { input, config } = mergeBaseConfig(
    opts.reset ? {} : await storedInput(stack),
    overrides,
    ctx.env ?? process.env,
  );
  await stack.setConfig(BASE_CONFIG_KEY, { value: JSON.stringify(input) });
  const { baseStack } = await import("../base/base-stack.js");
  return baseOutputsFrom(await runUp(ctx, stack, baseStack(config), opts));
}

/** What `base up` would change, with the stored config and these flags (nothing is saved). */
export async function previewBase(
  ctx: DriverContext,
  overrides: Partial<BaseConfigInput>,
  opts: BaseUpOptions,
): Promise<Record<string, number>> {
  realAccountOnly(ctx);
  const stack = await open(ctx);
  const { config } = mergeBaseConfig(opts.reset ? {} : await storedInput(stack), overrides, ctx.env ?? process.env);
  const { baseStack } = await import("../base/base-stack.js");
  return preview(ctx, BASE_STACK, baseStack(config), opts);
}

/** Experiments that still have resources: they use the bucket and roles the base would delete. */
export async function experimentsInUse(ctx: DriverContext): Promise<string[]> {
  return (await listStacks(ctx)).filter((s) => s.name !== BASE_STACK && s.resourceCount > 0).map((s) => s.name);
}

export async function destroyBase(ctx: DriverContext, opts: OperationOptions & { force?: boolean }): Promise<void> {
  realAccountOnly(ctx);
  const users = await experimentsInUse(ctx);
  if (users.length > 0 && !opts.force) {
    throw new ConflictError(
      `experiments still use the base stack's bucket and roles: ${users.join(", ")}`,
      `destroy them first (\`zerostack destroy --stack <name> --yes\`), or pass --force to destroy the base anyway`,
    );
  }
  await clearStaleLocks(ctx, BASE_STACK, opts.onEvent);
  await destroy(ctx, BASE_STACK, noProgram, opts);
}

/** The base stack's outputs on this backend, or undefined when there is no base stack. */
export async function readBaseStackOutputs(ctx: DriverContext): Promise<Record<string, unknown> | undefined> {
  const { checkpointOutputs } = await import("./inventory.js");
  const fromFile = checkpointOutputs(ctx, BASE_STACK); // a file backend: one file read, no engine
  if (fromFile !== "not-a-file-backend") return fromFile;
  const ws = await projectWorkspace(ctx);
  try {
    const outputs = await ws.stackOutputs(BASE_STACK);
    return Object.fromEntries(Object.entries(outputs).map(([k, v]) => [k, v.value]));
  } catch (error) {
    if (error instanceof ZerostackError) throw error;
    const message = error instanceof Error ? error.message : String(error);
    if ((error as { name?: string } | undefined)?.name === "StackNotFoundError" || /no stack named/i.test(message))
      return undefined;
    throw error;
  }
}
