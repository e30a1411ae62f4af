// bin/zerostack starts the CLI with scripts/defer-closure-tools.cjs preloaded: when the CLI's
// process loads @pulumi/pulumi, the closure serializer's tools (arborist, normalize-package-data,
// typescript; ~0.2 s) stay unloaded until a serialization uses them. A probe, preloaded through
// NODE_OPTIONS, loads the Automation API as the process exits and reports which of them came along.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CLI, ROOT } from "../helpers/cli.js";
import { ensureBuilt } from "../tui/build.js";

const dir = mkdtempSync(join(tmpdir(), "zs-launcher-"));
const probe = join(dir, "probe.cjs");
writeFileSync(
  probe,
  `process.on("exit", () => {
  require(require.resolve("@pulumi/pulumi/automation", { paths: [${JSON.stringify(ROOT)}] }));
  const files = Object.keys(require.cache);
  const loaded = ["@npmcli/arborist", "normalize-package-data", "typescript"].filter((name) =>
    files.some((file) => file.includes("/node_modules/" + name + "/")),
  );
  require("node:fs").writeFileSync(process.env.PROBE_OUT, JSON.stringify(loaded));
});
`,
);

function closureToolsLoaded(command: string, args: string[]): string[] {
  const out = join(dir, `${Math.random()}.json`);
  execFileSync(command, args, {
    env: { ...process.env, NODE_OPTIONS: `--require ${probe}`, PROBE_OUT: out },
    stdio: ["ignore", "pipe", "pipe"],
  });
  return JSON.parse(readFileSync(out, "utf8")) as string[];
}

beforeAll(() => {
  expect(ensureBuilt()).toBe(true);
}, 240_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("bin/zerostack", () => {
  it("loads @pulumi/pulumi without the closure serializer's tools", () => {
    // the probe sees them in a process started without the preload
    expect(closureToolsLoaded(process.execPath, ["-e", "0"])).toEqual([
      "@npmcli/arborist",
      "normalize-package-data",
      "typescript",
    ]);
    expect(closureToolsLoaded(CLI, ["--version"])).toEqual([]);
  }, 60_000);
});
