// The Pulumi processes a stack's opening costs, counted on the real CLI: a `pulumi` first on PATH
// that logs its arguments and runs the real one. `pulumi version` runs once per binary and SDK in
// a home (its answer kept in ZEROSTACK_HOME/cache), and a stack whose checkpoint is on disk opens
// without `pulumi stack select`; what the Automation API then runs works as it did.
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PulumiCommand } from "@pulumi/pulumi/automation/index.js";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { whichOnPath } from "../../program/env/which.js";
import { cliVersionFile, pulumiCommandOf } from "../../program/driver/pulumi-cli.js";
import { openOrCreateStack, openStack, selectStack, type DriverContext } from "../../program/driver/workspace.js";

let dir: string;
let log: string;
let wrapper: string;
let path: string | undefined;
const calls = () =>
  readFileSync(log, "utf8")
    .split("\n")
    .filter((line) => line !== "");

beforeAll(() => {
  const real = whichOnPath("pulumi", process.env.PATH);
  if (!real) throw new Error("no pulumi on PATH: run scripts/bootstrap and source .toolchain/env.sh");
  dir = mkdtempSync(join(tmpdir(), "zs-workspace-"));
  mkdirSync(join(dir, "bin"));
  log = join(dir, "calls.log");
  wrapper = join(dir, "bin", "pulumi");
  writeFileSync(wrapper, `#!/bin/sh\necho "$*" >> "${log}"\nexec "${real.path}" "$@"\n`);
  chmodSync(wrapper, 0o755);
  path = process.env.PATH;
  process.env.PATH = `${join(dir, "bin")}:${path}`; // the Automation API spawns with this process's PATH
});
afterAll(() => {
  process.env.PATH = path;
  rmSync(dir, { recursive: true, force: true });
});
beforeEach(() => writeFileSync(log, ""));

describe("the Pulumi CLI's version, once per binary", () => {
  const env = () => ({ ...process.env, ZEROSTACK_HOME: join(dir, "home-version") });

  it("asks `pulumi version` once, then builds the same command as PulumiCommand.get() from the cache", async () => {
    const first = await pulumiCommandOf(env());
    expect(calls()).toEqual(["version"]);
    const cached = await pulumiCommandOf(env());
    expect(calls()).toEqual(["version"]);
    const fresh = await PulumiCommand.get();
    expect(cached.command).toBe(fresh.command);
    expect(cached.version?.toString()).toBe(fresh.version?.toString());
    expect(first.version?.toString()).toBe(fresh.version?.toString());
    // a SemVer of @pulumi/pulumi's own semver: the workspace's version checks compare it as theirs
    expect(cached.version?.constructor).toBe(fresh.version?.constructor);
    expect(cached.version?.compare(fresh.version ?? "0.0.0")).toBe(0);
  });

  it("asks again for a rebuilt binary, another SDK, or a cache it cannot read", async () => {
    const file = cliVersionFile(env());
    await pulumiCommandOf(env()); // cached by the test above or now
    writeFileSync(log, "");
    const later = new Date(Date.now() + 5_000);
    utimesSync(wrapper, later, later); // what a rebuild does to the binary's mtime
    await pulumiCommandOf(env());
    expect(calls()).toEqual(["version"]);
    const kept = JSON.parse(readFileSync(file, "utf8")) as { sdk: string };
    writeFileSync(file, JSON.stringify({ ...kept, sdk: "3.0.0" }));
    await pulumiCommandOf(env());
    writeFileSync(file, "{ half-written");
    await pulumiCommandOf(env());
    expect(calls()).toEqual(["version", "version", "version"]);
  });
});

describe("opening a stack on a file backend", () => {
  let ctx: DriverContext;
  beforeAll(() => {
    const env: NodeJS.ProcessEnv = { ...process.env, ZEROSTACK_HOME: join(dir, "home-stacks") };
    delete env.PULUMI_BACKEND_URL;
    ctx = { sandbox: false, env };
  });
  /** `pulumi` and `pulumi stack` subcommands run: "up", "stack init", "stack output", ... */
  const commands = () =>
    calls().map((line) =>
      line
        .split(" ")
        .slice(0, line.startsWith("stack ") || line.startsWith("config ") ? 2 : 1)
        .join(" "),
    );

  it("makes a new stack with `pulumi stack init`, no failing `stack select` first", async () => {
    const program = async () => ({ n: 1 });
    const { stack, created } = await openOrCreateStack(ctx, "fresh", program);
    expect(created).toBe(true);
    await stack.up({ program });
    expect(commands().filter((c) => c.startsWith("stack"))).toEqual([
      "stack init",
      // the Automation API's own read-back after `up` (zerostack's runUp skips it on a file backend)
      "stack output",
      "stack output",
      "stack history",
    ]);
  });

  it("opens one whose checkpoint is on disk without `pulumi stack select`, and up, config and outputs work", async () => {
    const program = async () => ({ n: 2 });
    const stack = await openStack(ctx, "fresh", program);
    await stack.setAllConfig({ "zerostack:spec": { value: '{"a":1}' } });
    const result = await stack.up({ program });
    expect(result.outputs.n?.value).toBe(2);
    const again = await selectStack(ctx, "fresh", program);
    expect((await again.getAllConfig())["zerostack:spec"]?.value).toBe('{"a":1}');
    expect(commands().some((c) => c.startsWith("stack select"))).toBe(false);
    expect(commands()).toContain("up");
  });

  it("reads the compared config from the settings file, with no `pulumi config` process", async () => {
    const { config } = await openOrCreateStack(ctx, "fresh", async () => ({}), { configKeys: ["zerostack:spec"] });
    expect(config).toEqual({ "zerostack:spec": { value: '{"a":1}', secret: false } });
    expect(calls()).toEqual([]);
  });

  it("a stack that does not exist is still refused by selectStack", async () => {
    await expect(selectStack(ctx, "never-made", async () => ({}))).rejects.toThrow(/no stack named|not found/i);
  });
});
