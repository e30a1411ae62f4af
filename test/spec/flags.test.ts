import { describe, expect, it } from "vitest";
import { overridesFromFlags, planFromFlags } from "../../program/spec/flags.js";
import { parseDuration, specFromPreset, specToJson, type ExperimentSpec } from "../../program/spec/index.js";
import { problemsOf } from "./helpers.js";

const noFile = (path: string): string => {
  throw new Error(`ENOENT: ${path}`);
};

describe("planFromFlags", () => {
  it("plans a preset with overrides", () => {
    const plan = planFromFlags({ preset: "seed", nodes: "4", ttl: "2h", lr: "2e-4", name: "exp-1" }, noFile);
    expect(plan.spec.training.nodes).toBe(4);
    expect(plan.spec.serving.ttlSeconds).toBe(7200);
    expect(plan.spec.training.hyperparameters.learningRate).toBe(2e-4);
    expect(plan.names.endpoint).toBe("exp-1-ep");
    expect(plan.training.environment.NODE_NUMBER).toBe("4");
  });

  it("lists every bad flag, naming the flag and what is allowed", () => {
    const problems = problemsOf(() =>
      planFromFlags(
        {
          preset: "seed",
          nodes: "3",
          zero: "1",
          tp: "x",
          ttl: "soon",
          backend: "onnx",
          region: "mars-1",
          trainHours: "-1",
        },
        noFile,
      ),
    );
    const fields = problems.map((p) => p.field);
    expect(fields).toEqual(
      expect.arrayContaining([
        "--tp",
        "--ttl",
        "--train-hours",
        "--nodes (training.nodes)",
        "--zero (training.zero)",
        "--backend (serving.backend)",
        "--region (region)",
      ]),
    );
    for (const p of problems) expect(p.allowed ?? "").not.toBe("");
  });

  it("reports cross-field problems with the flag that caused them", () => {
    const problems = problemsOf(() => planFromFlags({ preset: "seed", tp: "3" }, noFile));
    expect(problems[0]?.field).toBe("--tp (serving.tensorParallelDegree)");
    expect(problems[0]?.allowed).toBe("1, 2, 4, 8");
  });

  it("a new serving instance brings its GPU count as TP; a new backend its image", () => {
    const plan = planFromFlags(
      { preset: "llama-3.1-8b", serveInstance: "ml.g5.48xlarge", backend: "lmi-dist" },
      noFile,
    );
    expect(plan.spec.serving.tensorParallelDegree).toBe(8);
    // the newest catalog image that still carries lmi-dist (LMI v15, DJL 0.33.0, removed it)
    expect(plan.spec.serving.image).toBe("0.32.0-lmi14.0.0-cu126");
    expect(plan.warnings.map((w) => w.message).join("\n")).toContain("no current LMI image carries lmi-dist");
    const trt = planFromFlags({ preset: "llama-3.1-8b", backend: "trtllm" }, noFile);
    expect(trt.spec.serving.image).toBe("0.33.0-tensorrtllm0.21.0-cu128");
  });

  it("an unknown preset or no preset is a problem on --preset", () => {
    expect(problemsOf(() => planFromFlags({ preset: "gpt-5" }, noFile))[0]).toMatchObject({ field: "--preset" });
    expect(problemsOf(() => planFromFlags({}, noFile))[0]?.allowed).toContain("seed");
  });

  it("reads a spec file, applies flags on top, and reports unreadable files on --spec", () => {
    const text = specToJson(specFromPreset("tiny"));
    const plan = planFromFlags({ spec: "tiny.json", nodes: "1" }, () => text);
    expect(plan.spec.preset).toBe("tiny");
    expect(plan.spec.training.nodes).toBe(1);
    expect(problemsOf(() => planFromFlags({ spec: "nope.json" }, noFile))[0]?.field).toBe("--spec");
    expect(problemsOf(() => planFromFlags({ spec: "bad.json" }, () => "{"))[0]?.field).toBe("--spec");
  });

  it("names spec-file problems by their path in the file", () => {
    const raw = JSON.parse(specToJson(specFromPreset("tiny"))) as ExperimentSpec;
    raw.training.hyperparameters.epochs = 0;
    const problems = problemsOf(() => planFromFlags({ spec: "f.json" }, () => JSON.stringify(raw)));
    expect(problems.map((p) => p.field)).toEqual(["training.hyperparameters.epochs"]);
  });

  it("--no-serving plans training only; --train-hours drives the cost", () => {
    const plan = planFromFlags({ preset: "seed", serving: false, trainHours: "5" }, noFile);
    expect(plan.serving).toBeNull();
    expect(plan.cost.serving).toBeNull();
    expect(plan.cost.training.hours).toBe(5);
  });
});

describe("overridesFromFlags", () => {
  it("passes only the flags given", () => {
    expect(overridesFromFlags({ preset: "seed" })).toEqual({ overrides: {}, problems: [] });
  });
});

describe("parseDuration", () => {
  it.each([
    ["90", 90],
    ["30m", 1800],
    ["2h", 7200],
    ["1d", 86400],
    ["1h30m", 5400],
    ["1.5h", 5400],
  ])("%s -> %d", (text, seconds) => {
    expect(parseDuration(text)).toBe(seconds);
  });
  it.each(["", "2x", "h", "-1h", "1h 30m"])("%j is not a duration", (text) => {
    expect(parseDuration(text)).toBeUndefined();
  });
});
