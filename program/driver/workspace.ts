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
import { pulumiCommandOf } from "./pulumi-cli.js";
import { plainConfigOf } from "./stack-settings.js";
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

/** The experiment's workspace folder (its Pulumi.yaml and stack settings file). */
export function workspaceDir(ctx: DriverContext, stackName: string): string {
  return join(stateLayout(ctx.sandbox, ctx.env ?? process.env).workspaces, stackName);
}

/** The stack's settings file (Pulumi.<stack>.yaml, its config) in its workspace. */
export function settingsFile(ctx: DriverContext, stackName: string): string {
  return join(workspaceDir(ctx, stackName), `Pulumi.${stackName}.yaml`);
}

/** What the engine's processes get on top of this process's environment (the secrets' passphrase apart). */
export function engineEnv(ctx: DriverContext): Record<string, string> {
  return {
    PULUMI_SKIP_UPDATE_CHECK: "true",
    PULUMI_NODEJS_CACHE_DYNAMIC_PROVIDERS: "true",
    // the dynamic providers load their implementation from here (program/providers/dynamic.ts)
    ZEROSTACK_ROOT: zerostackRoot(ctx.env ?? process.env),
  };
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
    pulumiCommand: await pulumiCli(env),
    pulumiHome: layout.pulumiHome,
    projectSettings: { name: PROJECT, runtime: "nodejs", backend: { url: layout.backendUrl } },
    secretsProvider,
    envVars: {
      ...(secretsProvider === "passphrase"
        ? { PULUMI_CONFIG_PASSPHRASE: configPassphrase(zerostackHome(env), env) }
        : {}),
      ...engineEnv(ctx),
    },
  };
}

let pulumiCommand: Promise<PulumiCommand> | undefined;

/**
 * The Pulumi CLI, its version learnt once per process (each LocalWorkspace runs `pulumi version`
 * otherwise: a grid opens many), and once per binary in this home (program/driver/pulumi-cli.ts).
 * Calling it early overlaps a `pulumi version` that must run with other work.
 */
export function pulumiCli(env: NodeJS.ProcessEnv = process.env): Promise<PulumiCommand> {
  pulumiCommand ??= pulumiCommandOf(env).catch((error: unknown) => {
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
 * before it, so its config is empty. On a file backend, whether the stack exists is known without a
 * Pulumi process: a missing checkpoint means none (`pulumi stack select` failing first, as
 * createOrSelectStack does, costs one), a checkpoint on disk means it exists, and it is opened
 * without `pulumi stack select` (selectKnown). `configKeys`: those keys of the stack's config too
 * (`config`; empty for a stack made now), read from its settings file when they are plain values;
 * else `pulumi config`, which names its stack, so it runs beside `pulumi stack select` instead of
 * after it; when it fails there (the stack made by that select), it is read again once the stack is open.
 */
export async function openOrCreateStack(
  ctx: DriverContext,
  stackName: string,
  program: PulumiFn,
  options: { configKeys?: readonly string[] } = {},
): Promise<{ stack: Stack; created: boolean; config?: ConfigMap }> {
  const [{ LocalWorkspace, Stack }, { fileCheckpointExists }] = await Promise.all([
    import("@pulumi/pulumi/automation/index.js"),
    import("./checkpoints.js"),
  ]);
  const workDir = workspaceDir(ctx, stackName);
  const opts = await workspaceOptions(ctx, workDir);
  const args = { stackName, projectName: PROJECT, program };
  const settings = settingsFile(ctx, stackName);
  const keys = options.configKeys;
  repairStateSidecars(ctx, PROJECT, stackName); // a killed process's half-written one fails every command
  const exists = fileCheckpointExists(ctx, stackName, PROJECT);
  if (exists === false && !existsSync(settings)) {
    const made = await LocalWorkspace.createStack(args, opts).catch(() => undefined); // made meanwhile: select
    if (made) return { stack: made, created: true, ...(keys ? { config: {} } : {}) };
  }
  await adoptSecretsSettings(ctx, stackName, workDir);
  const workspace = await LocalWorkspace.create({ ...opts, program });
  if (exists === true) {
    const stack = await selectKnown(workspace, stackName);
    if (!keys) return { stack, created: false };
    return { stack, created: false, config: plainConfigOf(settings, keys) ?? (await stack.getAllConfig()) };
  }
  if (!keys) return { stack: await Stack.createOrSelect(stackName, workspace), created: false };
  // what createOrSelectStack does, with the config read started beside the select
  const early = workspace.getAllConfig(stackName).catch(() => undefined);
  const stack = await Stack.createOrSelect(stackName, workspace);
  return { stack, created: false, config: (await early) ?? (await stack.getAllConfig()) };
}

/**
 * `Stack.select` of a stack whose checkpoint is on disk, without `pulumi stack select`: that
 * process only checks that the stack exists and records it as the workspace's current stack, which
 * nothing reads (every command the Automation API runs names its stack with `--stack`).
 */
async function selectKnown(workspace: LocalWorkspace, stackName: string): Promise<Stack> {
  const { Stack } = await import("@pulumi/pulumi/automation/index.js");
  const select = workspace.selectStack.bind(workspace);
  workspace.selectStack = async (name) => (name === stackName ? undefined : select(name));
  return Stack.select(stackName, workspace);
}

export async function selectStack(ctx: DriverContext, stackName: string, program: PulumiFn): Promise<Stack> {
  const [{ LocalWorkspace }, { fileCheckpointExists }] = await Promise.all([
    import("@pulumi/pulumi/automation/index.js"),
    import("./checkpoints.js"),
  ]);
  const workDir = workspaceDir(ctx, stackName);
  const opts = await workspaceOptions(ctx, workDir);
  repairStateSidecars(ctx, PROJECT, stackName);
  await adoptSecretsSettings(ctx, stackName, workDir);
  if (fileCheckpointExists(ctx, stackName, PROJECT) === true)
    return selectKnown(await LocalWorkspace.create({ ...opts, program }), stackName);
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
