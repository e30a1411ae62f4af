// The sandbox cloud as a background service: port, pid and log under ZEROSTACK_HOME/sandbox/.
// The emulator keeps its AWS state in sandbox/emulator across restarts, and the sandbox's
// Pulumi state lives beside it in sandbox/state: they are kept and reset together, so they
// never disagree (an emulator that starts empty resets the Pulumi state too).
import { spawn } from "node:child_process";
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ToolchainError } from "../errors.js";
import { sandboxDir, zerostackRoot } from "../env/paths.js";
import { pidAlive } from "../env/process.js";
import { answeredOk, controlGet } from "./control-api.js";
import { seedSandbox } from "./seed.js";
import { BASE_STACK } from "../base/base-names.js";

export interface SandboxService {
  pid: number;
  port: number;
  endpoint: string;
  startedAt: string;
  log: string;
}

const READY = /zerostack-sandbox ready (http:\/\/[\d.]+:(\d+))/;

function serviceFile(env: NodeJS.ProcessEnv): string {
  return join(sandboxDir(env), "service.json");
}

export function readService(env: NodeJS.ProcessEnv = process.env): SandboxService | undefined {
  try {
    const service = JSON.parse(readFileSync(serviceFile(env), "utf8")) as SandboxService;
    return pidAlive(service.pid) ? service : undefined;
  } catch {
    return undefined;
  }
}

export async function healthy(endpoint: string): Promise<boolean> {
  try {
    return answeredOk(await controlGet(`${endpoint}/_zerostack/health`, 2000));
  } catch {
    return false;
  }
}

/** The sandbox's Python: the venv the bootstrap built (ZEROSTACK_SANDBOX_PYTHON overrides). */
export function sandboxPython(env: NodeJS.ProcessEnv = process.env): string {
  const python =
    env.ZEROSTACK_SANDBOX_PYTHON ?? join(zerostackRoot(env), ".toolchain", "venv-sandbox", "bin", "python");
  if (!existsSync(python)) {
    throw new ToolchainError(`the sandbox's Python venv is missing (${python})`, "run scripts/bootstrap");
  }
  return python;
}

export interface ServeCommand {
  command: string;
  args: string[];
  env: NodeJS.ProcessEnv;
}

export function serveCommand(stateDir: string, env: NodeJS.ProcessEnv = process.env): ServeCommand {
  const root = zerostackRoot(env);
  // rehearsals run the real payload with the payload's own venv (sandbox/zerostack_sandbox/rehearsal)
  const payloadPython = env.ZEROSTACK_PAYLOAD_PYTHON ?? join(root, ".toolchain", "venv-payload", "bin", "python");
  return {
    command: sandboxPython(env),
    args: ["-m", "zerostack_sandbox", "serve", "--host", "127.0.0.1", "--port", "0", "--state-dir", stateDir],
    env: {
      ...env,
      PYTHONPATH: join(root, "sandbox"),
      PYTHONUNBUFFERED: "1",
      ...(existsSync(payloadPython) ? { ZEROSTACK_PAYLOAD_PYTHON: payloadPython } : {}),
    },
  };
}

/** Starts the service, or reuses a healthy one. Returns it with the seeded base ready. */
export async function startSandbox(env: NodeJS.ProcessEnv = process.env): Promise<SandboxService> {
  const running = readService(env);
  if (running && (await healthy(running.endpoint))) {
    await seedBase(running.endpoint, env); // a file read once the base stack exists
    return running;
  }
  if (running) stopPid(running.pid);

  const dir = sandboxDir(env);
  mkdirSync(dir, { recursive: true });
  if (!existsSync(join(dir, "emulator", "state.pickle"))) resetState(dir);
  const log = join(dir, "sandbox.log");
  const fd = openSync(log, "w");
  const serve = serveCommand(join(dir, "emulator"), env);
  const child = spawn(serve.command, serve.args, { env: serve.env, detached: true, stdio: ["ignore", fd, fd] });
  closeSync(fd);
  child.unref();
  const pid = child.pid;
  if (pid === undefined) throw new ToolchainError("could not start the sandbox emulator", `see ${log}`);

  const endpoint = await waitForReady(log, pid, 30_000);
  const service: SandboxService = {
    pid,
    port: Number(new URL(endpoint).port),
    endpoint,
    startedAt: new Date().toISOString(),
    log,
  };
  const tmp = `${serviceFile(env)}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(service, null, 2));
  renameSync(tmp, serviceFile(env));
  await seedBase(endpoint, env);
  return service;
}

/**
 * The bucket and roles a real account gets from its base stack: created in the emulator, then
 * recorded as the sandbox's own `base` stack (bring-your-own mode), so that experiments find them
 * through the same code path as on a real account (program/driver/resolve-base.ts).
 */
async function seedBase(endpoint: string, env: NodeJS.ProcessEnv): Promise<void> {
  // seeded once: the emulator and the sandbox's Pulumi state persist and are reset together
  const { checkpointOutputs } = await import("../driver/inventory.js");
  if (checkpointOutputs({ sandbox: true, env }, BASE_STACK)) return;
  const seeded = await seedSandbox(endpoint);
  const { seedSandboxBase } = await import("../driver/base-operations.js");
  // bring-your-own mode creates no AWS object: the engine only records the outputs
  await seedSandboxBase({ sandbox: true, env }, seeded, { onEvent: () => {} });
}

async function waitForReady(log: string, pid: number, timeoutMs: number): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const match = READY.exec(readFileSync(log, "utf8"));
    if (match?.[1] && (await healthy(match[1]))) return match[1];
    if (!pidAlive(pid)) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  stopPid(pid);
  const tail = readFileSync(log, "utf8").split("\n").slice(-15).join("\n");
  throw new ToolchainError(
    `the sandbox emulator did not become ready:\n${tail}`,
    `see ${log}; run scripts/bootstrap if its venv is broken`,
  );
}

/** Stops the service; its AWS state and the sandbox stacks' Pulumi state are kept for the next start. */
export async function stopSandbox(env: NodeJS.ProcessEnv = process.env): Promise<boolean> {
  const running = readService(env);
  rmSync(serviceFile(env), { force: true });
  if (!running) return false;
  await stopPidAndWait(running.pid);
  return true;
}

/** Stops the service and empties the sandbox cloud and its stacks' state together. */
export async function resetSandbox(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  await stopSandbox(env);
  const dir = sandboxDir(env);
  rmSync(join(dir, "emulator"), { recursive: true, force: true });
  resetState(dir);
}

function resetState(dir: string): void {
  for (const sub of ["state", "workspaces"]) rmSync(join(dir, sub), { recursive: true, force: true });
}

function stopPid(pid: number, signal: NodeJS.Signals = "SIGTERM"): void {
  try {
    process.kill(-pid, signal); // the whole process group: the service runs detached as its leader
  } catch {
    try {
      process.kill(pid, signal);
    } catch {
      // gone already
    }
  }
}

export async function stopPidAndWait(pid: number, timeoutMs = 5000): Promise<void> {
  stopPid(pid, "SIGTERM");
  const deadline = Date.now() + timeoutMs;
  while (pidAlive(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  if (pidAlive(pid)) stopPid(pid, "SIGKILL");
  while (pidAlive(pid)) await new Promise((r) => setTimeout(r, 20));
}

export interface SandboxSummary {
  service: SandboxService;
  holds: Record<string, unknown>;
}

export async function sandboxStatus(env: NodeJS.ProcessEnv = process.env): Promise<SandboxSummary | undefined> {
  const service = readService(env);
  if (!service) return undefined;
  const res = await controlGet(`${service.endpoint}/_zerostack/state`, 5000);
  const holds = answeredOk(res)
    ? (JSON.parse(res.body) as Record<string, unknown>)
    : { error: `state answered ${res.status}` };
  return { service, holds };
}

/**
 * The sandbox's clock (GET /_zerostack/clock): TTL schedules fire on it, so deadlines and "expired"
 * are judged on it too. It runs faster than the wall clock when a test or a user asks it to.
 */
export async function sandboxNow(endpoint: string): Promise<Date> {
  const res = await controlGet(`${endpoint}/_zerostack/clock`, 10_000);
  if (!answeredOk(res))
    throw new ToolchainError(`the sandbox's clock did not answer (${res.status})`, "run `zerostack sandbox status`");
  const { epoch_seconds: seconds } = JSON.parse(res.body) as { epoch_seconds: number };
  return new Date(seconds * 1000);
}
