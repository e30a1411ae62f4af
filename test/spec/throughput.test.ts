import { describe, expect, it } from "vitest";
import { estimateCost } from "../../program/spec/cost.js";
import { formatCost } from "../../program/spec/format.js";
import { specFromPreset } from "../../program/spec/overrides.js";
import { expectedTraining, MEASURED_H200 } from "../../program/spec/throughput.js";

describe("expected training time from the H200 benchmark (issue 14)", () => {
  it("an H100 instance runs a measured model at the H200's per-GPU rate (same bf16 peak)", () => {
    const spec = specFromPreset("flan-t5-xl");
    spec.training.instanceType = "ml.p5.48xlarge";
    spec.training.zero = "2";
    const e = expectedTraining(spec)!;
    const measured = MEASURED_H200.find(
      (m) => m.model === "google/flan-t5-xl" && m.zero === "2" && m.gradientCheckpointing && m.largeBuckets,
    )!;
    expect(e.samplesPerSecPerGpu).toBeCloseTo(measured.samplesPerSecPerGpu, 6);
    expect(e.gpus).toBe(8);
    // cnn_dailymail 3.0.0's 287,113 training examples, one epoch, plus 5 minutes of start-up
    expect(e.hours).toBeCloseTo(287_113 / (8 * measured.samplesPerSecPerGpu) / 3600 + 5 / 60, 6);
    expect(e.basis).toContain("measured on one H200");
  });

  it("ZeRO-2 takes the figure measured with the buckets its instance gets (5e8 on 80 GB GPUs, auto on A10Gs)", () => {
    const onA10Gs = specFromPreset("flan-t5-xl");
    onA10Gs.training.zero = "2";
    onA10Gs.training.hyperparameters.perDeviceTrainBatchSize = 1;
    const onH100s = structuredClone(onA10Gs);
    onH100s.training.instanceType = "ml.p5.48xlarge";
    const byBuckets = (large: boolean) =>
      MEASURED_H200.find((m) => m.zero === "2" && m.gradientCheckpointing && m.largeBuckets === large)!;
    expect(expectedTraining(onH100s)!.samplesPerSecPerGpu).toBeCloseTo(byBuckets(true).samplesPerSecPerGpu, 6);
    expect(expectedTraining(onA10Gs)!.samplesPerSecPerGpu).toBeCloseTo(
      (byBuckets(false).samplesPerSecPerGpu * 125) / 989,
      6,
    );
  });

  it("an A10G is scaled by the bf16 peaks, and the label says so", () => {
    const e = expectedTraining(specFromPreset("flan-t5-xl"))!;
    expect(e.basis).toContain("scaled to A10G by bf16 peak (125 vs 989 TFLOP/s)");
  });

  it("the cost is the expected figure beside the ceiling", () => {
    const cost = estimateCost(specFromPreset("seed"));
    expect(cost.training.hours).toBeLessThan(cost.training.maxHours);
    expect(cost.totalUsd).toBeLessThan(cost.maxTotalUsd);
    expect(formatCost(cost)).toMatch(/total: ≈ \$[0-9.]+ expected, at most \$1870\.10/);
  });

  it("an unknown dataset has no expectation: the max runtime is the figure", () => {
    const spec = specFromPreset("seed");
    spec.dataset.name = "someone/else";
    expect(expectedTraining(spec)).toBeUndefined();
    const cost = estimateCost(spec);
    expect(cost.training.hours).toBe(cost.training.maxHours);
    expect(cost.training.hoursBasis).toBe("max runtime");
  });

  it("--train-hours still wins", () => {
    expect(estimateCost(specFromPreset("seed"), { trainingHours: 2 }).training.hoursBasis).toBe("--train-hours");
  });
});
