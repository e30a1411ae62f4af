// Time from process start to the TUI's first frame, next to a bare `node -e 0`, both under a
// pseudo-terminal (`script -qfc`), in the same run, with Node's compile cache (bin/zerostack's
// default) and without it (NODE_DISABLE_COMPILE_CACHE=1). Prints figures; never passes or fails.
//   node bench/first-frame.ts [runs]      (Node >= 22.18 runs this file as is; build first)
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const root = join(import.meta.dirname, "..");
const runs = Number(process.argv[2] ?? 7);
const home = mkdtempSync(join(tmpdir(), "zerostack-bench-"));
const env = {
  ...process.env,
  ZEROSTACK_HOME: home,
  ZEROSTACK_SANDBOX: "1",
  TERM: "xterm-256color",
  COLUMNS: "80",
  LINES: "24",
};
const node = process.execPath;

/** ms from spawn until `marker` shows on the terminal (or, without one, until the process exits). */
function timeUnderPty(command: string, marker?: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn("script", ["-qfec", command, "/dev/null"], {
      cwd: root,
      env,
      stdio: ["pipe", "pipe", "inherit"],
    });
    let seen = "";
    let at: number | undefined;
    child.stdout.on("data", (chunk: Buffer) => {
      if (at !== undefined || !marker) return;
      seen += chunk.toString("utf8");
      if (seen.includes(marker)) {
        at = performance.now() - started;
        child.stdin.write("q"); // quit the TUI the way a user does
      }
    });
    const guard = setTimeout(() => child.kill("SIGKILL"), 30_000);
    child.on("error", reject);
    child.on("exit", () => {
      clearTimeout(guard);
      const ms = marker ? at : performance.now() - started;
      if (ms === undefined) reject(new Error(`never saw ${marker} in: ${JSON.stringify(seen.slice(0, 300))}`));
      else resolve(ms);
    });
  });
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;

try {
  const bare: number[] = [];
  const tui: number[] = [];
  const uncached: number[] = [];
  const cli = `${JSON.stringify(join(root, "bin", "zerostack"))}`;
  await timeUnderPty(cli, "SANDBOX"); // fills the compile cache, as any earlier run would have
  for (let i = 0; i < runs; i++) {
    bare.push(await timeUnderPty(`${JSON.stringify(node)} -e 0`));
    tui.push(await timeUnderPty(cli, "SANDBOX"));
    uncached.push(await timeUnderPty(`env NODE_DISABLE_COMPILE_CACHE=1 ${cli}`, "SANDBOX"));
  }
  const b = median(bare);
  const row = (label: string, xs: number[]) =>
    console.log(
      `${label.padEnd(34)}${median(xs).toFixed(0).padStart(5)} ms  +${(median(xs) - b).toFixed(0).padStart(4)} ms` +
        `   (runs: ${xs.map((x) => x.toFixed(0)).join(" ")})`,
    );
  console.log(`node ${process.version}, ${runs} runs each, medians, under script(1) at 80x24`);
  row("node -e 0", bare);
  row("zerostack first frame", tui);
  row("  the same, compile cache off", uncached);
  console.log(`ratio to node -e 0: ${(median(tui) / b).toFixed(2)}x (cache off ${(median(uncached) / b).toFixed(2)}x)`);
} finally {
  // the backend may have started the sandbox cloud after the first frame: stop it
  spawnSync(join(root, "bin", "zerostack"), ["sandbox", "stop"], { env, stdio: "ignore" });
  rmSync(home, { recursive: true, force: true });
}
