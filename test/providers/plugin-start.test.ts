// The dynamic-provider plugin's start (scripts/bootstrap's wrapper preloads
// scripts/defer-closure-tools.cjs): @pulumi/pulumi's runtime, which the plugin's entry point
// requires, loads without the closure serializer's tools, and serializing still works, loading
// them on first use; a Diff (all a no-change `up` asks) loads a provider's module without the AWS
// SDK (program/providers/lazy-sdk.ts). Run in child Node processes as the plugin runs, on dist/.
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { ensureBuilt } from "../tui/build.js";

const root = join(import.meta.dirname, "..", "..");
const preload = join(root, "scripts", "defer-closure-tools.cjs");

const probe = `
const loaded = () => {
  const files = Object.keys(require.cache);
  return ["@npmcli/arborist", "normalize-package-data", "typescript"].filter((name) =>
    files.some((file) => file.includes("/node_modules/" + name + "/")),
  );
};
const runtime = require("@pulumi/pulumi/runtime");
const atStart = loaded();
runtime.serializeFunction(async function diff(id, olds) { return { changes: olds.name !== id }; }).then((fn) => {
  process.stdout.write(JSON.stringify({ atStart, afterSerialize: loaded(), text: fn.text }));
});
`;

function start(preloads: string[]): { atStart: string[]; afterSerialize: string[]; text: string } {
  const stdout = execFileSync(process.execPath, [...preloads.flatMap((p) => ["--require", p]), "-e", probe], {
    cwd: root,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
  });
  return JSON.parse(stdout);
}

describe("dynamic-provider plugin start", () => {
  it("loads the runtime without the closure serializer's tools, which load on first use", () => {
    const deferred = start([preload]);
    expect(deferred.atStart).toEqual([]);
    expect(deferred.afterSerialize).toContain("typescript");
    // the same text as without the preload
    const plain = start([]);
    expect(plain.atStart).toEqual(["@npmcli/arborist", "normalize-package-data", "typescript"]);
    expect(deferred.text).toBe(plain.text);
    expect(deferred.text).toContain("olds.name !== id");
  }, 60_000);
});

const diffEach = `
import { createRequire } from "node:module";
const kinds = ["training-job", "model", "endpoint-config", "endpoint", "ttl-schedule", "hf-token-secret"];
const diffs = {};
for (const kind of kinds) {
  const { provider } = await import("./dist/program/providers/" + kind + ".js");
  diffs[kind] = await provider.diff("x", { name: "a", tags: { k: "v" } }, { name: "b", tags: { k: "v" } });
}
const sdk = Object.keys(createRequire(import.meta.url).cache).filter((file) => file.includes("/@aws-sdk/client-"));
process.stdout.write(JSON.stringify({ diffs, sdk }));
`;

describe("a Diff in the plugin", () => {
  beforeAll(() => {
    expect(ensureBuilt()).toBe(true);
  }, 240_000);

  it("answers from the inputs without loading the AWS SDK", () => {
    const stdout = execFileSync(process.execPath, ["--input-type=module", "-e", diffEach], {
      cwd: root,
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
    });
    const { diffs, sdk } = JSON.parse(stdout) as { diffs: Record<string, { changes: boolean }>; sdk: string[] };
    expect(Object.values(diffs).map((d) => d.changes)).toEqual([true, true, true, true, true, true]);
    expect(sdk).toEqual([]);
  }, 60_000);
});
