// The base outputs for a real account: bring-your-own through the environment when set
// (ZEROSTACK_BUCKET, ZEROSTACK_EXECUTION_ROLE_ARN, ZEROSTACK_SCHEDULER_ROLE_ARN), else the
// outputs of the `base` stack on the same Pulumi backend (program/base). The sandbox seeds the
// same shape (program/sandbox-client/seed.ts).
import { BadInputError, OperationFailedError, ZerostackError } from "../errors.js";
import type { DriverContext } from "./workspace.js";
import { BASE_UP_NEXT_STEP, BYO_ENV, BYO_NEXT_STEP, baseFromEnv, baseOutputsFrom } from "../base/outputs.js";
import type { BaseOutputs } from "../base/outputs.js";

export interface ResolveBaseOptions {
  /** where the base stack lives (default: the real account's backend of `env`) */
  ctx?: DriverContext;
  /** reads the base stack's outputs, undefined when it does not exist (tests replace it) */
  readOutputs?: (ctx: DriverContext) => Promise<Record<string, unknown> | undefined>;
}

export async function resolveBase(
  env: NodeJS.ProcessEnv = process.env,
  options: ResolveBaseOptions = {},
): Promise<BaseOutputs> {
  const own = baseFromEnv(env);
  if (own) return own;
  const ctx = options.ctx ?? { sandbox: false, env };
  const read =
    options.readOutputs ?? (async (c: DriverContext) => (await import("./base-operations.js")).readBaseStackOutputs(c));
  let outputs: Record<string, unknown> | undefined;
  try {
    outputs = await read(ctx);
  } catch (error) {
    if (error instanceof ZerostackError) throw error;
    throw new OperationFailedError(
      `could not read the base stack's outputs: ${error instanceof Error ? error.message.split("\n").filter(Boolean).slice(-3).join(" ") : String(error)}`,
      `check the Pulumi backend (PULUMI_BACKEND_URL) and its credentials, ${BYO_NEXT_STEP}`,
      { cause: error },
    );
  }
  if (!outputs) {
    throw new BadInputError(
      [
        {
          field: "base",
          message: "this account has no base stack (bucket and roles) and no bring-your-own settings",
          allowed: `\`zerostack base up\`, or ${Object.values(BYO_ENV).join(", ")}`,
        },
      ],
      `${BASE_UP_NEXT_STEP}, ${BYO_NEXT_STEP}, or run with --sandbox to use the sandbox cloud`,
    );
  }
  return baseOutputsFrom(outputs);
}
