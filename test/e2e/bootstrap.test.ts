// The bootstrap on an empty per-user cache installs what is missing, then a second run is a
// quick no-op. Runs on a copy of the checkout so the suite's own toolchain is untouched.
import { execFileSync, spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readlinkSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ROOT } from "../helpers/cli.js";

const work = mkdtempSync(join(tmpdir(), "zs-bootstrap-"));
const clone = join(work, "clone");
const cache = join(work, "cache");

function copyCheckout(): void {
  const files = execFileSync("git", ["ls-files", "-co", "--exclude-standard", "-z"], { cwd: ROOT, encoding: "utf8" })
    .split("\0")
    .filter((f) => f && existsSync(join(ROOT, f)));
  for (const file of files) {
    mkdirSync(dirname(join(clone, file)), { recursive: true });
    cpSync(join(ROOT, file), join(clone, file));
  }
}

function machinePath(): string {
  return (process.env.PATH ?? "")
    .split(":")
    .filter((p) => !p.includes(".toolchain"))
    .join(":");
}

function bootstrap() {
  const started = Date.now();
  const env: NodeJS.ProcessEnv = { ...process.env, ZEROSTACK_CACHE: cache, ZEROSTACK_SKIP_PAYLOAD_VENV: "1" };
  // the machine's node, not the suite's: the bootstrap must find out by itself what is missing
  env.PATH = machinePath();
  const run = spawnSync(join(clone, "scripts", "bootstrap"), { env, encoding: "utf8", timeout: 1_500_000 });
  return { ...run, seconds: (Date.now() - started) / 1000 };
}

describe("scripts/bootstrap on an empty cache", () => {
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it("installs the Pulumi CLI, the npm dependencies and the sandbox venv, then a re-run does nothing", () => {
    copyCheckout();
    const first = bootstrap();
    expect(first.status, first.stderr).toBe(0);
    expect(first.stderr).toMatch(/built Pulumi CLI v\d+\.\d+\.\d+ in \d+s/);
    expect(first.stderr).toContain("installing npm dependencies");
    expect(first.stderr).toContain("creating Python venv 'sandbox'");
    const machineNode = spawnSync("node", ["-p", "process.versions.node.split('.')[0]"], {
      env: { PATH: machinePath() },
      encoding: "utf8",
    });
    if (Number(machineNode.stdout.trim()) < 22) expect(first.stderr).toContain("installing node@24");

    const pulumi = join(clone, ".toolchain", "bin", "pulumi");
    expect(readlinkSync(pulumi).startsWith(cache)).toBe(true);
    const version = execFileSync(pulumi, ["version"], { encoding: "utf8" }).trim();
    expect(version).toMatch(/^v3\.\d+\.\d+$/);
    expect(existsSync(join(clone, "dist", "program", "cli", "entry.js"))).toBe(true);

    const second = bootstrap();
    expect(second.status, second.stderr).toBe(0);
    expect(second.stderr).not.toMatch(/installing|building|creating/);
    console.log(`bootstrap: empty cache ${first.seconds.toFixed(1)}s, no-change re-run ${second.seconds.toFixed(1)}s`);
  }, 1_600_000);
});
