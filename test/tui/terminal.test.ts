// The whole flow in a real 80x24 terminal (tmux), on the sandbox cloud with the real Pulumi
// engine: new (tiny preset) -> plan with preview -> up, watched until loss values and an
// InService endpoint are on screen -> invoke -> back -> compare -> back -> destroy -> removed ->
// quit. Every captured pane is kept under test/artifacts/tui/ and asserted on.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureBuilt, root } from "./build.js";
import { hasTmux, openTerminal, type Terminal } from "./tmux.js";

describe("the TUI in a real terminal", () => {
  it("has tmux and the bootstrapped Pulumi CLI (the machine image and scripts/bootstrap provide them)", () => {
    expect(hasTmux()).toBe(true);
    expect(existsSync(join(root, ".toolchain", "bin", "pulumi"))).toBe(true);
  });

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
      execFileSync(join(root, "bin", "zerostack"), ["sandbox", "stop"], {
        env: { ...process.env, ...env },
        stdio: "ignore",
      });
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  });

  it("creates, watches, invokes and destroys an experiment", async () => {
    const artifacts = join(root, "test", "artifacts", "tui");
    mkdirSync(artifacts, { recursive: true });
    let step = 0;
    const keep = (name: string, pane: string) => {
      writeFileSync(join(artifacts, `${String(++step).padStart(2, "0")}-${name}.txt`), pane);
      return pane;
    };
    const raw = term!;
    const t = {
      ...raw,
      waitFor: async (pattern: RegExp | string, ms?: number) =>
        keep(
          String(pattern)
            .replace(/[^a-z0-9]+/gi, "-")
            .slice(0, 40),
          await raw.waitFor(pattern, ms),
        ),
    };
    let screen = await t.waitFor("SANDBOX", 10_000);
    expect(screen.split("\n")[0]).toMatch(/^zerostack · Experiments\s+SANDBOX/);
    await t.waitFor("No experiments yet", 60_000);
    t.keys("n");
    await t.waitFor("‹ seed ›");
    t.keys("Left");
    screen = await t.waitFor("‹ tiny ›");
    expect(screen).toMatch(/cost ≈ \$\d/);
    // nodes take a second value: a grid of 2, its total cost; `-` makes it one experiment again
    t.keys("Down", "Down");
    t.text("+");
    screen = await t.waitFor("grid tiny: 2 experiments (nodes 2,4)");
    expect(screen).toMatch(/grid cost ≈ \$\d+\.\d\d expected, at most \$\d+\.\d\d in all/);
    t.text("-");
    await t.waitFor(/nodes\s+‹ 2 ›/);
    t.keys("Enter");
    screen = await t.waitFor("y to confirm", 120_000);
    expect(screen).toMatch(/preview: create \d/);
    t.keys("y");
    screen = await t.waitFor("up done", 180_000);
    expect(screen).toContain("Endpoint");
    // watched live: the training timeline, the loss plot with its values, the endpoint in service
    expect(screen).toMatch(/training tiny-\w+-train Completed/);
    expect(screen).toMatch(/loss \d+\.\d{4} · \d+ points/);
    expect(screen).toMatch(/^\s+\d+\.\d+ [┼┤]/m);
    expect(screen).toContain("endpoint tiny-ep InService");
    t.keys("i");
    await t.waitFor("max_new_tokens");
    t.text("Summarize: the sandbox works");
    t.keys("Enter");
    screen = await t.waitFor(/answer in \d+ ms/, 60_000);
    expect(screen).toContain("tiny-ep");
    t.keys("Escape");
    await t.waitFor("Run tiny");
    t.keys("Escape");
    screen = await t.waitFor(/tiny\s+ready\s+tiny/, 60_000);
    // Compare (the selected experiment, nothing marked): its row and its loss plot, then back
    t.keys("c");
    screen = await t.waitFor("training loss by step", 60_000);
    expect(screen).toMatch(/^zerostack · Compare/m);
    expect(screen).toMatch(/\* tiny\s+\S+\s+\d+\.\d{3}/);
    t.keys("Escape");
    await t.waitFor(/tiny\s+ready\s+tiny/, 60_000);
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
