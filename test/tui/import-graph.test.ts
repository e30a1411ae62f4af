// The first frame must not pay for Pulumi or the AWS SDK: tui/ never imports them (nor the
// backend) statically, and loading the built TUI entry and drawing a frame loads neither.
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { ensureBuilt, root, sources } from "./build.js";

// program/app/contract.js (the TUI's contract) and loss-plot.js (a pure plot) are light: the rest of app/ is the backend
const HEAVY =
  /@pulumi\/|@aws-sdk\/|\/program\/(driver|stack|providers|aws)\/|\/program\/app\/(?!(contract|loss-plot)\.js)/;

/** Loads `code` (an ES module body) under the import recorder; returns every URL it loaded. */
function loadedBy(code: string): string[] {
  const child = spawnSync(
    process.execPath,
    ["--import", join(import.meta.dirname, "record-imports.mjs"), "--input-type=module", "-e", code],
    { cwd: root, encoding: "utf8", timeout: 60_000 },
  );
  const line = child.stderr.split("\n").find((l) => l.startsWith("LOADED "));
  if (!line) throw new Error(`no import record: ${child.stderr}`);
  return JSON.parse(line.slice("LOADED ".length)) as string[];
}

describe("the TUI's first frame loads nothing heavy", () => {
  beforeAll(() => {
    // the runtime checks read the build
    expect(ensureBuilt()).toBe(true);
  });

  it("no tui/ source imports Pulumi, the AWS SDK or the backend, except as types", () => {
    for (const file of sources(join(root, "tui"))) {
      const text = readFileSync(file, "utf8");
      for (const match of text.matchAll(/^import\s+(?!type\s)[^;]*?from\s+"([^"]+)"/gm)) {
        expect(match[1], `${file} imports ${match[1]}`).not.toMatch(
          /@pulumi|@aws-sdk|program\/(driver|stack|providers|aws|cli|sandbox-client)\/|program\/app\/(?!(contract|loss-plot)\.js)/,
        );
      }
      expect(text, file).not.toMatch(/import\(\s*["'][^"']*(@pulumi|@aws-sdk|program\/app)/);
    }
  });

  it("importing the built TUI and drawing its first frame loads neither Pulumi nor the AWS SDK", () => {
    const urls = loadedBy(`
      const { runTui } = await import("./dist/tui/main.js");
      void runTui({ sandbox: true, loadBackend: () => new Promise(() => {}) });
      setTimeout(() => process.exit(0), 300);
    `);
    expect(urls.some((u) => u.includes("/node_modules/ink/"))).toBe(true);
    expect(urls.filter((u) => HEAVY.test(u))).toEqual([]);
  });

  it("nor does the bundled TUI (one file, what the CLI opens), drawing its first frame", () => {
    const urls = loadedBy(`
      const { runTui } = await import("./dist/tui-bundle/tui.js");
      void runTui({ sandbox: true, loadBackend: () => new Promise(() => {}) });
      setTimeout(() => process.exit(0), 300);
    `);
    expect(urls.some((u) => u.endsWith("/dist/tui-bundle/tui.js"))).toBe(true);
    expect(urls.some((u) => u.includes("/node_modules/ink/"))).toBe(false); // Ink is inside the bundle
    expect(urls.filter((u) => HEAVY.test(u))).toEqual([]);
  });

  it("nor does the CLI's open-tui module", () => {
    const urls = loadedBy(`await import("./dist/program/cli/open-tui.js");`);
    expect(urls.filter((u) => HEAVY.test(u))).toEqual([]);
  });

  it("the recorder does see them when the backend is imported (control)", () => {
    const urls = loadedBy(`await import("./dist/program/app/backend.js");`);
    expect(urls.some((u) => u.includes("@pulumi/pulumi") || u.includes("/program/driver/"))).toBe(true);
  });
});
