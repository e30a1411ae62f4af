// Runs the built CLI (bin/zerostack) as a user would, with a temp ZEROSTACK_HOME.
import { spawn, type ChildProcess, type SpawnOptions } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

export const ROOT = resolve(import.meta.dirname, "../..");
export const CLI = join(ROOT, "bin", "zerostack");

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** A temp ZEROSTACK_HOME and an env without AWS credentials (so sandbox mode is the default). */
export function tempHome(prefix = "zs-home-"): { home: string; env: NodeJS.ProcessEnv; cleanup: () => void } {
  const home = mkdtempSync(join(tmpdir(), prefix));
  const env: NodeJS.ProcessEnv = { ...process.env, ZEROSTACK_HOME: home, HOME: home, NO_COLOR: "1" };
  for (const key of Object.keys(env)) if (key.startsWith("AWS_")) delete env[key];
  return { home, env, cleanup: () => rmSync(home, { recursive: true, force: true }) };
}

const running = new Set<ChildProcess>();

/** Kills CLI processes a failed or timed-out test left running (sandboxSuite calls it after its tests). */
export function killLeftovers(): void {
  for (const child of running) child.kill("SIGKILL");
  running.clear();
}

/** Starts the CLI in the background; killLeftovers() ends it if the test does not. */
export function spawnCli(
  args: string[],
  env: NodeJS.ProcessEnv,
  options: Omit<SpawnOptions, "env"> = {},
): ChildProcess {
  const child = spawn(CLI, args, { ...options, env });
  running.add(child);
  child.on("close", () => running.delete(child));
  return child;
}

/** Runs the CLI; a run that outlasts `timeoutMs` (default below vitest's test timeout) is killed. */
export function runCli(
  args: string[],
  env: NodeJS.ProcessEnv,
  opts: { input?: string; timeoutMs?: number } = {},
): Promise<CliResult> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(CLI, args, { env, stdio: ["pipe", "pipe", "pipe"] });
    running.add(child);
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill("SIGKILL"), opts.timeoutMs ?? 110_000);
    child.on("error", reject);
    child.on("close", (code, signal) => {
      running.delete(child);
      clearTimeout(timer);
      resolvePromise({ code: code ?? (signal ? 128 : 1), stdout, stderr });
    });
    child.stdin.end(opts.input ?? "");
  });
}

/** The JSON lines of a `--json` run. */
export function jsonLines(stdout: string): Array<Record<string, unknown>> {
  return stdout
    .split("\n")
    .filter((l) => l.startsWith("{"))
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

/**
 * The result document of a `--json` command that prints one (ls, sandbox status, base show): the
 * line before the last, which by the JSON-lines contract is always the `done` event.
 */
export function jsonResult<T = unknown>(stdout: string): T {
  const lines = stdout.trim().split("\n");
  const last = JSON.parse(lines.at(-1) ?? "") as { type?: string };
  if (last.type !== "done") throw new Error(`the last line is not a done event: ${lines.at(-1)}`);
  return JSON.parse(lines.at(-2) ?? "") as T;
}
