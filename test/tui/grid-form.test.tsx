// The New experiment form as a grid: an axis takes several values (`+`), the form shows the
// grid's size and total cost, a bad cell is named by cell and field and blocks the plan, and one
// confirm creates every cell. The fake backend plans each cell with the real grid expansion.
import { afterEach, describe, expect, it, vi } from "vitest";
import { cleanup } from "ink-testing-library";
import { fits, KEYS, mount } from "./harness.js";

afterEach(() => cleanup());

describe("new experiment: a grid", () => {
  it("lets nodes and ZeRO take several values and shows the grid's size and total cost", async () => {
    const ui = await mount();
    await ui.press("n");
    await ui.see("‹ seed ›");
    await ui.see("+- values · type name"); // the screen shows its keys
    await ui.see("? help");
    // nodes 2 -> 2,4
    await ui.press(KEYS.down, KEYS.down, "+");
    await ui.see(/nodes\s+‹ 2,4 ›/);
    await ui.see("grid seed: 2 experiments (nodes 2,4)");
    // ZeRO 3 -> 3,3-offload: 2 x 2 cells; each cell's cost added up (2 x $150.76 + 2 x $301.52)
    await ui.press(KEYS.down, "+");
    await ui.see(/ZeRO stage\s+‹ 3,3-offload ›/);
    await ui.see("grid seed: 4 experiments (ZeRO 3,3-offload × nodes 2,4)");
    await ui.see("grid cost ≈ $904.56 expected, at most $10854.72 in all");
    expect(ui.frame()).not.toContain("cost ≈ $150.76 expected"); // the grid's total, not one cell's
    expect(fits(ui.frame())).toBe(true);
    // ← changes the last value (3-offload -> 2, skipping the 3 listed before it); - removes it
    await ui.press(KEYS.left);
    await ui.see(/ZeRO stage\s+‹ 3,2 ›/);
    await ui.press("-");
    await ui.see(/ZeRO stage\s+‹ 3 ›/);
    await ui.see("grid seed: 2 experiments (nodes 2,4)");
    await ui.see("grid cost ≈ $452.28 expected");
  });

  it("names a bad cell and its field, and creates nothing", async () => {
    const ui = await mount();
    // LMI backend accelerate -> accelerate,vllm: the vllm cell cannot serve T5
    await ui.press("n", ...Array<string>(6).fill(KEYS.down), "+");
    await ui.see(/LMI backend\s+‹ accelerate,vllm ›/);
    await ui.see("grid seed: 2 experiments (backend accelerate,vllm)");
    await ui.see("✗ seed-bvllm: serving.backend: vllm does not serve seq2seq models");
    expect(ui.frame()).not.toContain("seed-baccelerate: ");
    await ui.see("grid cost ≈ $301.52 expected"); // what both cells would cost; neither can start yet
    await ui.press(KEYS.enter);
    await ui.see("fix the bad cell marked ✗ first (seed-bvllm)");
    await ui.see("New experiment");
    expect(ui.calls.previewedGrids).toEqual([]);
    expect(ui.calls.upGrid).toEqual([]);
    expect(ui.calls.up).toEqual([]);
  });

  it("previews every cell, says a rehearsal runs cells one after another, and creates them on one confirm", async () => {
    const ui = await mount();
    await ui.press("n", KEYS.down, KEYS.down, "+");
    await ui.see("grid seed: 2 experiments (nodes 2,4)");
    await ui.press(KEYS.enter);
    await ui.see("Plan");
    await ui.see("grid seed from preset seed: 2 experiments, 2 at a time");
    await ui.see("preview of every cell: create 4");
    await ui.see(/seed-n2\s+≈ \$150\.76/);
    await ui.see(/seed-n4\s+≈ \$301\.52/);
    await ui.see("Create these 2 experiments? y to confirm");
    expect(ui.calls.previewedGrids).toEqual([["seed-n2", "seed-n4"]]);
    // the fake machine has 2 cores: a rehearsal's cells (2 processes each) run one at a time
    await ui.press("t");
    await ui.see("2 experiments, 1 at a time");
    await ui.see("rehearsal on 2 core(s): cells run one after another");
    expect(fits(ui.frame())).toBe(true);
    await ui.press("y");
    await vi.waitFor(() => expect(ui.calls.upGrid).toEqual([{ rehearse: true, cells: ["seed-n2", "seed-n4"] }]));
    expect(ui.calls.up).toEqual([]);
    await ui.see("grid seed: 2 experiments starting");
  });
});
