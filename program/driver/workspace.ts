// One Pulumi workspace per experiment, on the file backend in ZEROSTACK_HOME (or
// PULUMI_BACKEND_URL), with the engine's own home kept inside ZEROSTACK_HOME too.
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { LocalWorkspace, LocalWorkspaceOptions, PulumiFn, Stack } from "@pulumi/pulumi/automation/index.js";
import { stateLayout, zerostackHome, zerostackRoot } from "../env/paths.js";
import { configPassphrase } from "./passphrase.js";

export const PROJECT = "zerostack";

export interface DriverContext {
  sandbox: boolean;
  env?: NodeJS.ProcessEnv;
}

function workspaceOptions(ctx: DriverContext, workDir: string): LocalWorkspaceOptions {
  const env = ctx.env ?? process.env;
  const layout = stateLayout(ctx.sandbox, env);
  if (layout.backendUrl.startsWith("file://"))
    mkdirSync(layout.backendUrl.slice("file://".length), { recursive: true });
  mkdirSync(workDir, { recursive: true });
  mkdirSync(layout.pulumiHome, { recursive: true });
  return {
    workDir,
    pulumiHome: layout.pulumiHome,
    projectSettings: { name: PROJECT, runtime: "nodejs", backend: { url: layout.backendUrl } },
    secretsProvider: "passphrase",
    envVars: {
      PULUMI_CONFIG_PASSPHRASE: configPassphrase(zerostackHome(env), env),
      PULUMI_SKIP_UPDATE_CHECK: "true",
      PULUMI_NODEJS_CACHE_DYNAMIC_PROVIDERS: "true",
      // the dynamic providers load their implementation from here (program/providers/dynamic.ts)
      ZEROSTACK_ROOT: zerostackRoot(env),
    },
  };
}

export async function openStack(ctx: DriverContext, stackName: string, program: PulumiFn): Promise<Stack> {
  const { LocalWorkspace } = await import("@pulumi/pulumi/automation/index.js");
  const layout = stateLayout(ctx.sandbox, ctx.env ?? process.env);
  const opts = workspaceOptions(ctx, join(layout.workspaces, stackName));
  return LocalWorkspace.createOrSelectStack({ stackName, projectName: PROJECT, program }, opts);
}

export async function selectStack(ctx: DriverContext, stackName: string, program: PulumiFn): Promise<Stack> {
  const { LocalWorkspace } = await import("@pulumi/pulumi/automation/index.js");
  const layout = stateLayout(ctx.sandbox, ctx.env ?? process.env);
  const opts = workspaceOptions(ctx, join(layout.workspaces, stackName));
  return LocalWorkspace.selectStack({ stackName, projectName: PROJECT, program }, opts);
}

/** A workspace for project-wide operations (list, remove) that need no program. */
export async function projectWorkspace(ctx: DriverContext): Promise<LocalWorkspace> {
  const { LocalWorkspace } = await import("@pulumi/pulumi/automation/index.js");
  const layout = stateLayout(ctx.sandbox, ctx.env ?? process.env);
  return LocalWorkspace.create(workspaceOptions(ctx, join(layout.workspaces, "_project")));
}
