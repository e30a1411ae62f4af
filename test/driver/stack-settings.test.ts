// The plain config values read from a stack's settings file are what `pulumi config` says: values
// written by the real CLI (`pulumi config set-all`) and read back by it, compared key by key; and
// every file this reader cannot answer exactly is left to the CLI (undefined).
import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ConfigMap, Stack } from "@pulumi/pulumi/automation/index.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { plainConfigOf } from "../../program/driver/stack-settings.js";
import { openStack, workspaceDir, type DriverContext } from "../../program/driver/workspace.js";

const tricky: Record<string, string> = {
  "zerostack:spec": JSON.stringify({ name: "a", nested: { list: [1, 2], quote: 'it\'s "x"' } }),
  "zerostack:ttlSeconds": "1800",
  "zerostack:flag": "true",
  "zerostack:nothing": "null",
  "zerostack:date": "2026-12-01",
  "zerostack:expiresAt": "2026-12-01T21:04:15.275Z",
  "zerostack:octal": "0755",
  "zerostack:spaces": "  padded  ",
  "zerostack:lines": "one\ntwo\n",
  "zerostack:unicode": "naïve 模型 ✓",
  "zerostack:empty": "",
  "zerostack:hash": "a # not a comment",
};

let home: string;
let ctx: DriverContext;
let stack: Stack;
let settings: string;
let fromCli: ConfigMap;

beforeAll(async () => {
  home = mkdtempSync(join(tmpdir(), "zs-settings-"));
  const env: NodeJS.ProcessEnv = { ...process.env, ZEROSTACK_HOME: home };
  delete env.PULUMI_BACKEND_URL;
  ctx = { sandbox: false, env };
  stack = await openStack(ctx, "settings", async () => ({}));
  await stack.setAllConfig(Object.fromEntries(Object.entries(tricky).map(([key, value]) => [key, { value }])));
  await stack.setConfig("zerostack:hfToken", { value: "hf_secret", secret: true });
  fromCli = await stack.getAllConfig();
  settings = join(workspaceDir(ctx, "settings"), "Pulumi.settings.yaml");
});
afterAll(() => rmSync(home, { recursive: true, force: true }));

describe("plainConfigOf: a settings file the CLI wrote", () => {
  it("gives every plain value as `pulumi config` does", () => {
    const keys = Object.keys(tricky);
    expect(keys.every((key) => fromCli[key]?.value === tricky[key])).toBe(true); // the CLI's own round trip
    const plain = plainConfigOf(settings, keys);
    expect(plain).toEqual(Object.fromEntries(keys.map((key) => [key, { value: fromCli[key]?.value, secret: false }])));
  });

  it("leaves out keys not set, and leaves a secret to the CLI", () => {
    expect(plainConfigOf(settings, ["zerostack:preset"])).toEqual({});
    expect(fromCli["zerostack:hfToken"]).toEqual({ value: "hf_secret", secret: true });
    expect(plainConfigOf(settings, ["zerostack:spec", "zerostack:hfToken"])).toBeUndefined();
  });
});

describe("plainConfigOf: what it leaves to the CLI", () => {
  const variant = (name: string, change: (text: string) => string) => {
    const file = join(home, `${name}.yaml`);
    writeFileSync(file, change(readFileSync(settings, "utf8")));
    return file;
  };

  it("a value set without its namespace (the CLI reads `ttlSeconds` as the project's)", () => {
    const file = variant("bare", (text) => `${text}`);
    appendFileSync(file, "  ttlSeconds: '60'\n");
    expect(plainConfigOf(file, ["zerostack:ttlSeconds"])).toBeUndefined();
  });

  it("a structured value, an ESC environment, a file that is not YAML, a missing file", () => {
    const structured = variant("structured", (text) =>
      text.replace(/^config:\n/m, "config:\n  zerostack:watch:\n    a: 1\n"),
    );
    expect(plainConfigOf(structured, ["zerostack:watch"])).toBeUndefined();
    const esc = variant("esc", (text) => `environment:\n  - team/defaults\n${text}`);
    expect(plainConfigOf(esc, ["zerostack:spec"])).toBeUndefined();
    const broken = variant("broken", () => "config: [unclosed\n");
    expect(plainConfigOf(broken, ["zerostack:spec"])).toBeUndefined();
    expect(plainConfigOf(join(home, "none.yaml"), ["zerostack:spec"])).toBeUndefined();
  });
});
