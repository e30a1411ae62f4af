// The dynamic-provider plugin's start (scripts/bootstrap's wrapper preloads
// scripts/defer-closure-tools.cjs): @pulumi/pulumi's runtime, which the plugin's entry point
// requires, loads without the closure serializer's tools, and serializing still works, loading
// them on first use. Run in a child Node process as the plugin runs, without vitest's loader.
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

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
