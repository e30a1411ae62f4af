import { describe, expect, it } from "vitest";
import { BadInputError } from "../../program/errors.js";
import { cellName, expandGrid, isGrid, slug, validateGrid } from "../../program/spec/grid.js";
import { resourceTags, specHash } from "../../program/spec/index.js";

const noFile = (path: string): string => {
  throw new Error(`ENOENT: ${path}`);
};

describe("grid expansion", () => {
  it("expands list-valued axis flags to one cell per combination, named after the varying values", () => {
    const { grid, problems } = expandGrid({ preset: "tiny", name: "g", zero: "2,3", nodes: "1,2", lr: "1e-4" });
    expect(problems).toEqual([]);
    expect(grid.name).toBe("g");
    expect(grid.axes.map((a) => [a.flag, a.values])).toEqual([
      ["--zero", ["2", "3"]],
      ["--nodes", ["1", "2"]],
    ]);
    expect(grid.cells.map((c) => c.name)).toEqual(["g-z2-n1", "g-z2-n2", "g-z3-n1", "g-z3-n2"]);
    expect(grid.cells[3]!.flags).toMatchObject({ name: "g-z3-n2", zero: "3", nodes: "2", lr: "1e-4", preset: "tiny" });
  });

  it("makes name-safe pieces of every axis value", () => {
    expect(slug("3-offload")).toBe("3offload");
    expect(slug("ml.g5.2xlarge")).toBe("g52xlarge");
    expect(slug("1e-4")).toBe("1e4");
    expect(cellName("exp", { zero: "3-offload", backend: "lmi-dist", lr: "1e-4" })).toBe(
      "exp-z3offload-blmidist-lr1e4",
    );
    expect(
      expandGrid({
        preset: "tiny",
        backend: "vllm,trtllm",
        trainInstance: "ml.g5.2xlarge,ml.p4d.24xlarge",
      }).grid.cells.map((c) => c.name),
    ).toEqual([
      "tiny-bvllm-ig52xlarge",
      "tiny-bvllm-ip4d24xlarge",
      "tiny-btrtllm-ig52xlarge",
      "tiny-btrtllm-ip4d24xlarge",
    ]);
  });

  it("tells a grid from a single experiment", () => {
    expect(isGrid({ preset: "tiny", zero: "3" })).toBe(false);
    expect(isGrid({ preset: "tiny", epochs: "1,2" })).toBe(true);
  });

  it("refuses empty values, repeated values and cells that would share a name", () => {
    expect(expandGrid({ preset: "tiny", zero: "2,,3" }).problems[0]).toMatchObject({ field: "--zero" });
    expect(expandGrid({ preset: "tiny", nodes: "1,1" }).problems[0]).toMatchObject({
      field: "--nodes",
      message: "1 is listed twice",
    });
    expect(expandGrid({ preset: "tiny", lr: "1e-4,1e4" }).problems[0]).toMatchObject({ field: "--name" });
  });
});

describe("grid validation", () => {
  it("lists every bad cell and field before anything is created", () => {
    let error: unknown;
    try {
      validateGrid({ preset: "tiny", name: "g", zero: "2,9", nodes: "1,3" }, noFile);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(BadInputError);
    const fields = (error as BadInputError).problems.map((p) => p.field);
    expect(fields).toEqual([
      "g-z2-n3: --nodes (training.nodes)",
      "g-z9-n1: --zero (training.zero)",
      "g-z9-n3: --nodes (training.nodes)",
      "g-z9-n3: --zero (training.zero)",
    ]);
    expect((error as BadInputError).nextStep).toContain("nothing was created");
  });

  it("refuses a grid whose cell names are too long, naming the cell", () => {
    const long = `g${"x".repeat(58)}`;
    expect(() => validateGrid({ preset: "tiny", name: long, zero: "2,3-offload" }, noFile)).toThrow(
      new RegExp(`${long}-z3offload: --name \\(name\\)`),
    );
  });

  it("tags each cell's spec with its grid, outside the spec hash", () => {
    const { specs } = validateGrid({ preset: "tiny", name: "g", zero: "2,3" }, noFile);
    expect(specs.map((s) => s.grid)).toEqual(["g", "g"]);
    expect(resourceTags(specs[0]!)).toMatchObject({ "zerostack:grid": "g", "zerostack:stack": "g-z2" });
    const { grid: _grid, ...alone } = specs[0]!;
    expect(specHash(alone)).toBe(specHash(specs[0]!));
    expect(resourceTags(alone)).not.toHaveProperty("zerostack:grid");
  });
});
