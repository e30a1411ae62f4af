// `zerostack base ...` through commander with registerBaseCommands, stdout/stderr captured.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Command } from "commander";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { captureOutput, type Captured } from "../helpers/capture.js";
import { overridesFrom, registerBaseCommands } from "../../program/cli/base-commands.js";

let out: Captured;
let home: string;
const saved: Record<string, string | undefined> = {};
const KEYS = [
  "ZEROSTACK_HOME",
  "PULUMI_BACKEND_URL",
  "ZEROSTACK_BUCKET",
  "ZEROSTACK_EXECUTION_ROLE_ARN",
  "ZEROSTACK_SCHEDULER_ROLE_ARN",
  "AWS_REGION",
];

beforeAll(() => {
  home = mkdtempSync(join(tmpdir(), "zs-base-cli-"));
  for (const k of KEYS) saved[k] = process.env[k];
});
afterAll(() => rmSync(home, { recursive: true, force: true }));

beforeEach(() => {
  for (const k of KEYS) delete process.env[k];
  process.env.ZEROSTACK_HOME = home;
  out = captureOutput();
});

afterEach(() => {
  out.restore();
  for (const k of KEYS) {
    if (saved[k] === undefined) delete process.env[k];
    else process.env[k] = saved[k];
  }
});

async function run(...args: string[]): Promise<number> {
  let code = -1;
  const program = new Command("zerostack").exitOverride();
  registerBaseCommands(program, (c) => {
    code = c;
  });
  await program.parseAsync(["node", "zerostack", ...args]);
  return code;
}

const lastJson = () => JSON.parse(out.stdout.trim().split("\n").at(-1) ?? "") as Record<string, unknown>;

describe("zerostack base", () => {
  it("has up, preview, destroy and show", () => {
    const program = new Command("zerostack");
    registerBaseCommands(program, () => {});
    const base = program.commands.find((c) => c.name() === "base")!;
    expect(base.commands.map((c) => c.name())).toEqual(["up", "preview", "destroy", "show"]);
  });

  it("up without --yes in a non-interactive run is refused with the fix (exit 2)", async () => {
    expect(await run("base", "up", "--region", "us-east-1", "--json", "--non-interactive")).toBe(2);
    expect(lastJson()).toMatchObject({
      type: "error",
      action: "base up",
      exitCode: 2,
      nextStep: "run `zerostack base up --yes`",
    });
  });

  it("preview with a bad setting names it (exit 2)", async () => {
    expect(await run("base", "preview", "--region", "us-east-1", "--prefix", "/bad", "--json")).toBe(2);
    expect(lastJson()).toMatchObject({ type: "error", exitCode: 2 });
    expect(String(lastJson().message)).toMatch(/base\.prefix/);
  });

  it("show prints the bring-your-own base", async () => {
    process.env.ZEROSTACK_BUCKET = "zs-bucket";
    process.env.ZEROSTACK_EXECUTION_ROLE_ARN = "arn:aws:iam::111122223333:role/sm";
    process.env.ZEROSTACK_SCHEDULER_ROLE_ARN = "arn:aws:iam::111122223333:role/sch";
    process.env.AWS_REGION = "eu-west-1";
    expect(await run("base", "show", "--json")).toBe(0);
    expect(JSON.parse(out.stdout.trim().split("\n")[0]!)).toEqual({
      bucket: "zs-bucket",
      executionRoleArn: "arn:aws:iam::111122223333:role/sm",
      schedulerRoleArn: "arn:aws:iam::111122223333:role/sch",
      region: "eu-west-1",
    });
  });

  it("show without any base says `zerostack base up` (exit 2)", async () => {
    expect(await run("base", "show")).toBe(2);
    expect(out.stderr).toMatch(/next: run `zerostack base up`/);
  });

  it("flags become config overrides; flags not given stay undefined", () => {
    const o = overridesFrom({
      region: "us-east-1",
      tag: ["team=ml", "note=a=b", "flag"],
      sourceBundleExpirationDays: 5,
    });
    expect(o.tags).toEqual({ team: "ml", note: "a=b", flag: "" });
    expect(o.sourceBundleExpirationDays).toBe(5);
    expect(o.versioning).toBeUndefined();
    expect(o.existingBucket).toBeUndefined();
  });
});
