// The Compare screen from event fixtures: experiments marked with space, `c` compares them (the
// same rows `compare` derives, the loss curves overlaid), within 80x24 and without colour.
import { cleanup } from "ink-testing-library";
import { afterEach, describe, expect, it } from "vitest";
import { initialState } from "../../tui/state/initial.js";
import { reducer } from "../../tui/state/reducer.js";
import { failedJob, longRun, stacks, T0 } from "./fixtures.js";
import { fits, KEYS, mount } from "./harness.js";

afterEach(() => cleanup());

const tinyRun = [
  ...failedJob.slice(0, 2),
  ...[2.4, 2.0, 1.8].map((value, i) => ({ type: "metric" as const, name: "loss", value, step: (i + 1) * 10 })),
  ...failedJob.slice(2),
];

describe("compare screen", () => {
  it("compares the marked experiments: axes that differ, status, losses, cost, and one plot with a legend", async () => {
    const ui = await mount({ attach: { "seed-run": longRun(20, 60), tiny: tinyRun } });
    await ui.press(" ");
    await ui.see(/›\+seed-run/);
    await ui.press(KEYS.down, " ", "c");
    await ui.see("Compare");
    await ui.see(/\* seed-run\s+2\s+InProgress\s+\d\.\d{3}\s+\d\.\d{3}\s+—\s+—\s+\$42\.50/);
    await ui.see(/o tiny\s+3\s+Failed\s+1\.800\s+1\.800/);
    await ui.see("training loss by step");
    const f = ui.frame();
    expect(f).toMatch(/experiment\s+zero\s+status\s+final\s+best/);
    expect(f).not.toMatch(/experiment\s+zero\s+nodes/); // nodes are the same: no column
    expect(f).toMatch(/\|.*\*/);
    expect(f).toMatch(/\|.*o/);
    expect(f).toContain("step 0");
    expect(f).not.toContain("\u001b["); // no colour escapes
    expect(fits(f)).toBe(true);
    expect(ui.calls.compared).toEqual([["seed-run", "tiny"]]);
    await ui.press(KEYS.esc);
    await ui.see("Experiments");
  });

  it("compares the selected experiment when none is marked; r reads it again", async () => {
    const ui = await mount({ attach: { "seed-run": longRun(5, 20) } });
    await ui.press("c");
    await ui.see(/\* seed-run/);
    await ui.press("r");
    await ui.see(/\* seed-run/);
    expect(ui.calls.compared).toEqual([["seed-run"], ["seed-run"]]);
  });
});

describe("marking", () => {
  it("toggles a mark with space and compares in list order", () => {
    let s = reducer(initialState(true, T0), { type: "stacks-loaded", items: stacks });
    s = reducer(s, { type: "move", delta: 1 });
    s = reducer(s, { type: "mark" });
    s = reducer(s, { type: "move", delta: -1 });
    s = reducer(s, { type: "mark" });
    expect(s.marked).toEqual(["tiny", "seed-run"]);
    s = reducer(s, { type: "compare" });
    expect(s.screen).toBe("compare");
    expect(s.commands.at(-1)).toMatchObject({ kind: "compare", stacks: ["seed-run", "tiny"] });
    s = reducer(s, { type: "back" });
    s = reducer(s, { type: "mark" });
    expect(s.marked).toEqual(["tiny"]);
  });
});
