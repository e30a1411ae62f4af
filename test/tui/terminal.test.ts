// The whole flow in a real 80x24 terminal (tmux), on the sandbox cloud with the real Pulumi
// engine: new (tiny preset) -> plan with preview -> up -> back -> destroy -> removed -> quit.
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureBuilt, root } from "./build.js";
import { hasTmux, openTerminal, type Terminal } from "./tmux.js";

const ready = hasTmux() && existsSync(join(root, ".toolchain", "bin", "pulumi"));

describe.skipIf(!ready)("the TUI in a real terminal", () => {
  const home = mkdtempSync(join(tmpdir(), "zerostack-tui-"));
  const env = { ZEROSTACK_HOME: home, ZEROSTACK_SANDBOX: "1", TERM: "xterm-256color" };
  let term: Terminal | undefined;

  beforeAll(() => {
    expect(ensureBuilt()).toBe(true);
    term = openTerminal(join(root, "bin", "zerostack"), env);
  });

  afterAll(() => {
    term?.close();
    try {
      execFileSync(join(root, "bin", "zerostack"), ["sandbox", "stop"], { env: { ...process.env, ...env }, stdio: "ignore" });
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  });

  it("creates, watches and destroys an experiment", async () => {
    const t = term!;
    let screen = await t.waitFor("SANDBOX", 10_000);
    expect(screen.split("\n")[0]).toMatch(/^zerostack · Experiments\s+SANDBOX/);
    await t.waitFor("No experiments yet", 60_000);
    t.keys("n");
    await t.waitFor("‹ seed ›");
    t.keys("Left");
    screen = await t.waitFor("‹ tiny ›");
    expect(screen).toMatch(/cost ≈ \$\d/);
    t.keys("Enter");
    screen = await t.waitFor("y to confirm", 120_000);
    expect(screen).toMatch(/preview: create \d/);
    t.keys("y");
    screen = await t.waitFor("up done", 180_000);
    expect(screen).toContain("Endpoint");
    t.keys("Escape");
    screen = await t.waitFor(/tiny\s+ready\s+tiny/, 60_000);
    t.keys("d");
    await t.waitFor("Destroy this experiment");
    t.keys("y");
    await t.waitFor("destroyed and removed", 180_000);
    t.keys("Escape");
    await t.waitFor("No experiments yet", 60_000);
    t.keys("q");
    await t.waitFor("[exited 0]", 10_000);
  }, 600_000);
});
