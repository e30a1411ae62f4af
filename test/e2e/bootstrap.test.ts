// The bootstrap on an empty per-user cache installs what is missing, then a second run is a
// quick no-op, a second clone elsewhere adds nothing to the cache (keys hash contents, never
// paths), and old entries are pruned. Runs on copies of the checkout so the suite's own toolchain
// is untouched.
import { execFileSync, spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readlinkSync, rmSync, utimesSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ROOT } from "../helpers/cli.js";

const work = mkdtempSync(join(tmpdir(), "zs-bootstrap-"));
const clone = join(work, "clone");
const secondClone = join(work, "elsewhere", "another-clone");
const cache = join(work, "cache");

/** The cache's entries, two levels deep (`venv/sandbox-<key>`, `pulumi/v3...`, `node/24`). */
function cacheEntries(): string[] {
  return readdirSync(cache, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .flatMap((e) => readdirSync(join(cache, e.name)).map((name) => `${e.name}/${name}`))
    .sort();
}

function copyCheckout(to: string): void {
  const files = execFileSync("git", ["ls-files", "-co", "--exclude-standard", "-z"], { cwd: ROOT, encoding: "utf8" })
    .split("\0")
    .filter((f) => f && existsSync(join(ROOT, f)));
  for (const file of files) {
    mkdirSync(dirname(join(to, file)), { recursive: true });
    cpSync(join(ROOT, file), join(to, file));
  }
}

function machinePath(): string {
  return (process.env.PATH ?? "")
    .split(":")
    .filter((p) => !p.includes(".toolchain"))
    .join(":");
}

function bootstrap(checkout = clone) {
  const started = Date.now();
  const env: NodeJS.ProcessEnv = { ...process.env, ZEROSTACK_CACHE: cache, ZEROSTACK_SKIP_PAYLOAD_VENV: "1" };
  // the machine's node, not the suite's: the bootstrap must find out by itself what is missing
  env.PATH = machinePath();
  const run = spawnSync(join(checkout, "scripts", "bootstrap"), { env, encoding: "utf8", timeout: 1_500_000 });
  return { ...run, seconds: (Date.now() - started) / 1000 };
}

describe("scripts/bootstrap on an empty cache", () => {
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it("installs the Pulumi CLI, the npm dependencies and the sandbox venv, then a re-run does nothing", () => {
    copyCheckout(clone);
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

  it("a second clone at another path reuses every cache entry and adds none", () => {
    const before = cacheEntries();
    expect(before.some((e) => e.startsWith("venv/sandbox-"))).toBe(true);
    copyCheckout(secondClone);
    const run = bootstrap(secondClone);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stderr).not.toMatch(/building|creating/);
    expect(cacheEntries()).toEqual(before);
    const venv = readlinkSync(join(secondClone, ".toolchain", "venv-sandbox"));
    expect(venv).toBe(readlinkSync(join(clone, ".toolchain", "venv-sandbox")));
  }, 600_000);

  it("prunes old entries of a tool, keeping the most recently used few", () => {
    const old = ["sandbox-0000000000000001", "sandbox-0000000000000002", "sandbox-0000000000000003"];
    old.forEach((name, i) => {
      mkdirSync(join(cache, "venv", name), { recursive: true });
      const at = new Date(Date.now() - (10 - i) * 86_400_000); // 10, 9, 8 days ago
      utimesSync(join(cache, "venv", name), at, at);
    });
    const run = bootstrap();
    expect(run.status, run.stderr).toBe(0);
    const left = cacheEntries().filter((e) => e.startsWith("venv/sandbox-"));
    // the venv in use (just touched) and the two most recent old ones
    expect(left).toHaveLength(3);
    expect(left).not.toContain("venv/sandbox-0000000000000001");
    expect(run.stderr).toContain("pruning old cache entry");
  }, 600_000);
});
