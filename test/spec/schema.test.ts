import { describe, expect, it } from "vitest";
import { parseSpec, specFromPreset, specToJson } from "../../program/spec/index.js";
import { problemsOf } from "./helpers.js";
import type { ExperimentSpec } from "../../program/spec/index.js";

/** The seed spec as a plain JSON document, free to be corrupted. */
const rawSeed = () => JSON.parse(specToJson(specFromPreset("seed"))) as ExperimentSpec;

describe("parseSpec", () => {
  it("round-trips through JSON unchanged", () => {
    const spec = specFromPreset("seed");
    const again = parseSpec(JSON.parse(specToJson(spec)));
    expect(again).toEqual(spec);
  });

  it("fills a catalog model's sizes when a spec file leaves them out", () => {
    const raw = JSON.parse(specToJson(specFromPreset("flan-t5-xl"))) as { model: Record<string, unknown> };
    delete raw.model.sizes;
    expect(parseSpec(raw).model.sizes.parameters).toBe(2_849_757_184);
  });

  it("lists every problem with its field and what is allowed", () => {
    const raw = rawSeed();
    Object.assign(raw, { name: "Bad Name", region: "mars-1", surprise: true });
    Object.assign(raw.training, { nodes: 3, zero: "1" });
    Object.assign(raw.training.hyperparameters, { learningRate: -1 });
    Object.assign(raw.serving, { instanceType: "ml.x1.huge" });
    Object.assign(raw.dataset, { train: "http://bucket/train" });
    const problems = problemsOf(() => parseSpec(raw));
    const fields = problems.map((p) => p.field).sort();
    expect(fields).toEqual(
      [
        "dataset.train",
        "name",
        "region",
        "serving.instanceType",
        "surprise",
        "training.hyperparameters.learningRate",
        "training.nodes",
        "training.zero",
      ].sort(),
    );
    const zero = problems.find((p) => p.field === "training.zero");
    expect(zero?.allowed).toBe("2, 3, 3-offload");
    expect(problems.find((p) => p.field === "training.nodes")?.allowed).toContain("1, 2, 4, 8");
    expect(problems.find((p) => p.field === "region")?.allowed).toContain("us-east-1");
    expect(problems.every((p) => p.message.length > 0)).toBe(true);
  });

  it("says a missing field is missing", () => {
    const raw = rawSeed();
    Reflect.deleteProperty(raw.training, "instanceType");
    const [problem] = problemsOf(() => parseSpec(raw));
    expect(problem).toMatchObject({ field: "training.instanceType", message: "is missing" });
  });

  it("rejects a wrong specVersion", () => {
    const raw = { ...JSON.parse(specToJson(specFromPreset("seed"))), specVersion: 2 };
    expect(problemsOf(() => parseSpec(raw)).map((p) => p.field)).toEqual(["specVersion"]);
  });

  it("rejects non-objects with one problem for the whole spec", () => {
    expect(problemsOf(() => parseSpec("hello"))[0]?.field).toBe("(spec)");
  });

  it("reports guard errors after the schema passes", () => {
    const raw = rawSeed();
    raw.serving.tensorParallelDegree = 3;
    const problems = problemsOf(() => parseSpec(raw));
    expect(problems[0]?.field).toBe("serving.tensorParallelDegree");
    expect(problems[0]?.allowed).toBe("1, 2, 4, 8");
  });
});

describe("reserved names", () => {
  it("refuses an experiment named like the account's base stack, and nothing else of the kind", () => {
    expect(problemsOf(() => specFromPreset("tiny", { name: "base" }))[0]).toMatchObject({
      field: "name",
      allowed: "any other name",
    });
    expect(specFromPreset("tiny", { name: "base-line" }).name).toBe("base-line");
  });
});
