// Where zerostack keeps things. All user state lives in ZEROSTACK_HOME (default ~/.zerostack);
// the sandbox keeps its own state beside its emulator so the two are reset together.
import { homedir } from "node:os";
import { join, resolve, dirname } from "node:path";
import { fileURLToPath } from "node:url";

export function zerostackHome(env: NodeJS.ProcessEnv = process.env): string {
  return resolve(env.ZEROSTACK_HOME ?? join(homedir(), ".zerostack"));
}

/** The checkout zerostack runs from (holds dist/, node_modules/, payload/). */
export function zerostackRoot(env: NodeJS.ProcessEnv = process.env): string {
  if (env.ZEROSTACK_ROOT) return resolve(env.ZEROSTACK_ROOT);
  // dist/program/env/paths.js -> root, or program/env/paths.ts under vitest -> root
  const here = dirname(fileURLToPath(import.meta.url));
  return here.includes(`${join("dist", "program")}`) ? resolve(here, "../../..") : resolve(here, "../..");
}

/** The payload shipped with zerostack (payload/train, payload/serve); ZEROSTACK_PAYLOAD_DIR overrides it. */
export function payloadDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.ZEROSTACK_PAYLOAD_DIR ? resolve(env.ZEROSTACK_PAYLOAD_DIR) : join(zerostackRoot(env), "payload");
}

export interface StateLayout {
  /** Folder for this mode: ZEROSTACK_HOME, or ZEROSTACK_HOME/sandbox in sandbox mode. */
  base: string;
  /** file:// backend URL for Pulumi state, unless PULUMI_BACKEND_URL overrides it. */
  backendUrl: string;
  /** One workspace folder per experiment (createStack rewrites workspace.json: pulumi#8186). */
  workspaces: string;
  /** PULUMI_HOME for the engine (credentials, plugins, workspace files) inside our home. */
  pulumiHome: string;
}

export function stateLayout(sandbox: boolean, env: NodeJS.ProcessEnv = process.env): StateLayout {
  const home = zerostackHome(env);
  const base = sandbox ? join(home, "sandbox") : home;
  const fileBackend = `file://${join(base, "state")}`;
  return {
    base,
    // the sandbox's state always lives with the sandbox: a remote backend must never hold emulator stacks
    backendUrl: sandbox ? fileBackend : (env.PULUMI_BACKEND_URL ?? fileBackend),
    workspaces: join(base, "workspaces"),
    pulumiHome: join(home, "pulumi"),
  };
}

export function sandboxDir(env: NodeJS.ProcessEnv = process.env): string {
  return join(zerostackHome(env), "sandbox");
}

/** Where `logs -f` keeps a stack's log cursors (per mode, like the stacks themselves). */
export function cursorFile(sandbox: boolean, stack: string, env: NodeJS.ProcessEnv = process.env): string {
  return join(stateLayout(sandbox, env).base, "cursors", `${stack}.json`);
}

/** Where an experiment's watermark lives: how far `up`/`attach` streamed it (program/watch/watermark.ts). */
export function watermarkFile(sandbox: boolean, stack: string, env: NodeJS.ProcessEnv = process.env): string {
  return join(stateLayout(sandbox, env).base, "watermarks", `${stack}.json`);
}
