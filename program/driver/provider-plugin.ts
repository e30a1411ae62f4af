// The dynamic-provider plugin started by zerostack before `pulumi up` instead of by the engine.
// The engine starts `pulumi-resource-pulumi-nodejs` when the program registers its first
// resource, and waits for it: Node, grpc-js and @pulumi/pulumi's runtime, ~0.15 s on every `up`,
// on the critical path. Started here at the beginning of `up`, it loads while zerostack makes its
// plan and opens the stack, and the engine attaches to it as it attaches to a provider under a
// debugger: PULUMI_DEBUG_PROVIDERS=pulumi-nodejs:<port> (pulumi sdk/go/common/resource/plugin/
// provider_plugin.go, GetProviderAttachPort and NewProvider, v3.274.1). What the engine would
// otherwise do for it is done here: the same binary found the same way (first on PATH), the engine's
// environment plus the project name it adds (PULUMI_NODEJS_PROJECT, PULUMI_PROJECT), the workspace
// as its working directory, the port read from its first line of output, every later line of its
// output passed on as an info diagnostic (plugin.go's runtrace), and the process killed at the end
// (an attached provider is never killed by the engine). When the plugin cannot be started here,
// `up` runs as before and the engine starts its own.
import { type ChildProcess, spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { whichOnPath } from "../env/which.js";

export const DYNAMIC_PROVIDER = "pulumi-nodejs";
const PLUGIN_BINARY = `pulumi-resource-${DYNAMIC_PROVIDER}`;
/**
 * The plugin's one required argument is the engine's address, which it checks for and never uses
 * (@pulumi/pulumi 3.270.0 cmd/dynamic-provider/index.js, main(): only `args.length === 0` is read;
 * the engine then gives an attached provider its address in Attach, which
 * scripts/attachable-provider.cjs acknowledges).
 */
const NO_ENGINE_YET = "127.0.0.1:0";

export interface StartedPlugin {
  port: number;
  /** Whether it still runs (the engine cannot attach to a dead one). */
  alive(): boolean;
  stop(): void;
}

export interface PluginStart {
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** A line the plugin wrote after its port (the engine shows them as info diagnostics). */
  onOutput: (line: string) => void;
  /** How long to wait for the port before giving up (the engine then starts its own). */
  timeoutMs?: number;
}

/** Started, or undefined when it could not be (no binary on PATH, no port in time, an early exit). */
export function startDynamicProviderPlugin(start: PluginStart): Promise<StartedPlugin | undefined> {
  // the engine looks beyond PATH when told to ignore ambient plugins: leave the finding to it
  if (start.env.PULUMI_IGNORE_AMBIENT_PLUGINS) return Promise.resolve(undefined);
  const binary = whichOnPath(PLUGIN_BINARY, start.env.PATH);
  if (!binary) return Promise.resolve(undefined);
  let child: ChildProcess;
  try {
    child = spawn(binary.path, [NO_ENGINE_YET], { cwd: start.cwd, env: start.env, stdio: ["ignore", "pipe", "pipe"] });
  } catch {
    return Promise.resolve(undefined);
  }
  const running = () => child.exitCode === null && child.signalCode === null;
  const stop = () => {
    if (running()) child.kill("SIGKILL");
  };
  return new Promise((resolve) => {
    let port: number | undefined;
    const give = (started: StartedPlugin | undefined) => {
      clearTimeout(timer);
      if (!started) stop();
      resolve(started);
    };
    const timer = setTimeout(() => give(undefined), start.timeoutMs ?? 30_000);
    child.on("error", () => give(undefined));
    child.on("exit", () => give(undefined)); // before its port: a no-op once given
    createInterface({ input: child.stderr as NodeJS.ReadableStream }).on("line", (line) => {
      if (line.trim()) start.onOutput(line);
    });
    createInterface({ input: child.stdout as NodeJS.ReadableStream }).on("line", (line) => {
      if (port !== undefined) {
        if (line.trim()) start.onOutput(line);
        return;
      }
      port = Number(line.trim());
      if (!Number.isInteger(port) || port <= 0) return give(undefined);
      give({ port, alive: running, stop });
    });
  });
}

/** PULUMI_DEBUG_PROVIDERS with this plugin's port added to what the user set (theirs wins). */
export function attachSetting(current: string | undefined, port: number): string {
  const entries = (current ?? "").split(",").filter((entry) => entry.trim() !== "");
  if (entries.some((entry) => entry.split(":")[0] === DYNAMIC_PROVIDER)) return entries.join(",");
  return [...entries, `${DYNAMIC_PROVIDER}:${port}`].join(",");
}
