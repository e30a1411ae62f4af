// One Pulumi workspace per experiment, on the file backend in ZEROSTACK_HOME (or
// PULUMI_BACKEND_URL), with the engine's own home kept inside ZEROSTACK_HOME too.
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type {
  ConfigMap,
  LocalWorkspace,
  LocalWorkspaceOptions,
  PulumiCommand,
  PulumiFn,
  Stack,
} from "@pulumi/pulumi/automation/index.js";
import { stateLayout, zerostackHome, zerostackRoot } from "../env/paths.js";
import { configPassphrase } from "./passphrase.js";
import { repairStateSidecars } from "./state-sidecars.js";

export const PROJECT = "zerostack";

export interface DriverContext {
  sandbox: boolean;
  env?: NodeJS.ProcessEnv;
}

/**
 * The secrets provider of new stacks: ZEROSTACK_SECRETS_PROVIDER (e.g.
 * `awskms://alias/zerostack?region=us-east-1`, so a team sharing an S3 backend shares the key), else
 * a passphrase kept in ZEROSTACK_HOME. The sandbox always uses its passphrase.
 */
export function secretsProviderOf(ctx: DriverContext, env: NodeJS.ProcessEnv = ctx.env ?? process.env): string {
  return (!ctx.sandbox && env.ZEROSTACK_SECRETS_PROVIDER) || "passphrase";
}

async function workspaceOptions(ctx: DriverContext, workDir: string): Promise<LocalWorkspaceOptions> {
  const env = ctx.env ?? process.env;
  const secretsProvider = secretsProviderOf(ctx, env);
  const layout = stateLayout(ctx.sandbox, env);
  if (layout.backendUrl.startsWith("file://"))
    mkdirSync(layout.backendUrl.slice("file://".length), { recursive: true });
  mkdirSync(workDir, { recursive: true });
  mkdirSync(layout.pulumiHome, { recursive: true });
  return {
    workDir,
    pulumiCommand: await pulumiCli(),
    pulumiHome: layout.pulumiHome,
    projectSettings: { name: PROJECT, runtime: "nodejs", backend: { url: layout.backendUrl } },
    secretsProvider,
    envVars: {
      ...(secretsProvider === "passphrase"
        ? { PULUMI_CONFIG_PASSPHRASE: configPassphrase(zerostackHome(env), env) }
        : {}),
      PULUMI_SKIP_UPDATE_CHECK: "true",
      PULUMI_NODEJS_CACHE_DYNAMIC_PROVIDERS: "true",
      // the dynamic providers load their implementation from here (program/providers/dynamic.ts)
      ZEROSTACK_ROOT: zerostackRoot(env),
    },
  };
}

let pulumiCommand: Promise<PulumiCommand> | undefined;

/**
 * The Pulumi CLI, its version checked once per process: each LocalWorkspace runs `pulumi version`
 * otherwise (a grid opens many). Calling it early overlaps that process with other work.
 */
export function pulumiCli(): Promise<PulumiCommand> {
  pulumiCommand ??= import("@pulumi/pulumi/automation/index.js")
    .then(({ PulumiCommand }) => PulumiCommand.get())
    .catch((error: unknown) => {
      pulumiCommand = undefined; // the next open tries again (and fails the same way, if it must)
      throw error;
    });
  return pulumiCommand;
}

export async function openStack(ctx: DriverContext, stackName: string, program: PulumiFn): Promise<Stack> {
  return (await openOrCreateStack(ctx, stackName, program)).stack;
}

/**
 * The stack, made when it does not exist. `created` says it was made now with no config file
 * before it, so its config is empty: on a file backend a missing checkpoint is known without a
 * Pulumi process (`pulumi stack select` failing first, as createOrSelectStack does, costs one).
 * `withConfig`: the stack's config too (`config`; empty for a stack made now). `pulumi config`
 * names its stack, so it runs beside `pulumi stack select` instead of after it; when it fails there
 * (the stack made by that select), it is read again once the stack is open.
 */
export async function openOrCreateStack(
  ctx: DriverContext,
  stackName: string,
  program: PulumiFn,
  options: { withConfig?: boolean } = {},
): Promise<{ stack: Stack; created: boolean; config?: ConfigMap }> {
  const [{ LocalWorkspace, Stack }, { readFileCheckpoint }] = await Promise.all([
    import("@pulumi/pulumi/automation/index.js"),
    import("./checkpoints.js"),
  ]);
  const layout = stateLayout(ctx.sandbox, ctx.env ?? process.env);
  const workDir = join(layout.workspaces, stackName);
  const opts = await workspaceOptions(ctx, workDir);
  const args = { stackName, projectName: PROJECT, program };
  const settingsFile = join(workDir, `Pulumi.${stackName}.yaml`);
  repairStateSidecars(ctx, PROJECT, stackName); // a killed process's half-written one fails every command
  if (readFileCheckpoint(ctx, stackName, PROJECT) === undefined && !existsSync(settingsFile)) {
    const made = await LocalWorkspace.createStack(args, opts).catch(() => undefined); // made meanwhile: select
    if (made) return { stack: made, created: true, ...(options.withConfig ? { config: {} } : {}) };
  }
  await adoptSecretsSettings(ctx, stackName, workDir);
  if (!options.withConfig) return { stack: await LocalWorkspace.createOrSelectStack(args, opts), created: false };
  // what createOrSelectStack does, with the config read started beside the select
  const workspace = await LocalWorkspace.create({ ...opts, program });
  const early = workspace.getAllConfig(stackName).catch(() => undefined);
  const stack = await Stack.createOrSelect(stackName, workspace);
  return { stack, created: false, config: (await early) ?? (await stack.getAllConfig()) };
}

export async function selectStack(ctx: DriverContext, stackName: string, program: PulumiFn): Promise<Stack> {
  const { LocalWorkspace } = await import("@pulumi/pulumi/automation/index.js");
  const layout = stateLayout(ctx.sandbox, ctx.env ?? process.env);
  const workDir = join(layout.workspaces, stackName);
  const opts = await workspaceOptions(ctx, workDir);
  repairStateSidecars(ctx, PROJECT, stackName);
  await adoptSecretsSettings(ctx, stackName, workDir);
  return LocalWorkspace.selectStack({ stackName, projectName: PROJECT, program }, opts);
}

/**
 * A stack someone else created (a teammate on the same S3 backend) has no settings file in this
 * home's workspace: its secrets provider and encrypted data key are copied from the stack's state,
 * so this user decrypts with the same KMS key (or passphrase salt) instead of a new one of their own.
 */
async function adoptSecretsSettings(ctx: DriverContext, stackName: string, workDir: string): Promise<void> {
  const file = join(workDir, `Pulumi.${stackName}.yaml`);
  if (existsSync(file)) return;
  const { readCheckpoint } = await import("./checkpoints.js");
  const checkpoint = await readCheckpoint(ctx, stackName);
  const providers = checkpoint?.checkpoint?.latest?.secrets_providers;
  const state = providers?.state ?? {};
  const lines =
    providers?.type === "cloud" && state.url && state.encryptedkey
      ? [`secretsprovider: ${state.url}`, `encryptedkey: ${state.encryptedkey}`]
      : providers?.type === "passphrase" && state.salt
        ? [`encryptionsalt: ${state.salt}`]
        : [];
  if (lines.length > 0) writeFileSync(file, `${lines.join("\n")}\n`);
}

/** A workspace for project-wide operations (list, remove) that need no program. */
export async function projectWorkspace(ctx: DriverContext): Promise<LocalWorkspace> {
  const { LocalWorkspace } = await import("@pulumi/pulumi/automation/index.js");
  const layout = stateLayout(ctx.sandbox, ctx.env ?? process.env);
  repairStateSidecars(ctx, PROJECT); // listing reads every stack's checkpoint
  return LocalWorkspace.create(await workspaceOptions(ctx, join(layout.workspaces, "_project")));
}
