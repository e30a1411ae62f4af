// The TUI's grid (choices with several values on an axis) names, checks and prices its cells as
// the CLI's `up --zero 2,3 --lr ...` does: the same cell names, each bad cell named with its field.
import { describe, expect, it } from "vitest";
import { catalog, planChoices, type Placement } from "../../program/app/choices.js";
import { flagText, planGridChoices } from "../../program/app/grid-choices.js";
import { expandGrid } from "../../program/spec/grid.js";

const placement: Placement = { bucket: "zerostack-sandbox-123456789012", region: "us-east-1" };
const tiny = catalog(placement).presets.find((p) => p.name === "tiny")!.defaults;
const planOne = (c: typeof tiny) => planChoices(c, placement);

describe("a grid from the New experiment form", () => {
  it("names its cells as the CLI does and adds up their cost", () => {
    const choices = { ...tiny, name: "g", zero: "2", learningRate: 1e-4 };
    const { result, grid } = planGridChoices({ choices, extras: { zero: ["3"], learningRate: [2e-4] } }, planOne, 2);
    const cli = expandGrid({ preset: "tiny", name: "g", zero: "2,3", lr: "1e-4,2e-4" }).grid;
    expect(result.cells.map((c) => c.stack)).toEqual(cli.cells.map((c) => c.name));
    expect(grid.axes).toEqual(cli.axes);
    expect(result.problems).toEqual([]);
    expect(result.cells.every((c) => c.plan.spec?.grid === "g")).toBe(true);
    const expected = result.cells.reduce((sum, c) => sum + c.plan.cost!.totalUsd, 0);
    expect(result.expectedUsd).toBeCloseTo(expected, 6);
    expect(result.maxUsd).toBeGreaterThan(result.expectedUsd!);
    // on 2 cores a rehearsal's 4 cells run one after another
    expect(result.rehearsal).toEqual({ parallel: 1, note: "rehearsal on 2 core(s): cells run one after another" });
    expect(flagText("learningRate", 5e-5)).toBe("5e-5");
  });

  it("names each bad cell and its field, and only those", () => {
    const choices = { ...tiny, name: "bad", nodes: 1 };
    const { result } = planGridChoices({ choices, extras: { nodes: [3] } }, planOne, 2);
    expect(result.cells.map((c) => c.stack)).toEqual(["bad-n1", "bad-n3"]);
    expect(result.problems.length).toBeGreaterThan(0);
    expect(result.problems.every((p) => p.field === "bad-n3: training.nodes")).toBe(true);
    expect(result.cells[1]!.plan.spec).toBeNull();
  });
});
