import { describe, expect, it } from "vitest";
import { estimateCost } from "../../program/spec/index.js";
import { formatCost } from "../../program/spec/format.js";
import { PRICES_AS_OF, SERVING_PRICES, TRAINING_PRICES } from "../../program/spec/prices.js";
import { specWith } from "./helpers.js";

describe("estimateCost", () => {
  it("training = nodes x price x hours; serving = price x TTL", () => {
    const cost = estimateCost(specWith(), { trainingHours: 5 });
    const p4d = TRAINING_PRICES["ml.p4d.24xlarge"].usdPerHour;
    const g5 = SERVING_PRICES["ml.g5.48xlarge"].usdPerHour;
    expect(cost.training.usd).toBeCloseTo(2 * p4d * 5, 2);
    expect(cost.training.maxUsd).toBeCloseTo(2 * p4d * 24, 2);
    expect(cost.serving?.usd).toBeCloseTo(g5 * 3, 2);
    expect(cost.totalUsd).toBeCloseTo(cost.training.usd + (cost.serving?.usd ?? 0), 2);
    expect(cost.maxTotalUsd).toBeGreaterThan(cost.totalUsd);
    expect(cost.pricesAsOf).toBe(PRICES_AS_OF);
  });

  it("defaults the training hours to the max runtime and never exceeds it", () => {
    const spec = specWith((s) => (s.training.maxRuntimeSeconds = 7200));
    expect(estimateCost(spec).training.hours).toBe(2);
    expect(estimateCost(spec, { trainingHours: 10 }).training.hours).toBe(2);
  });

  it("a training-only experiment has no serving cost", () => {
    const cost = estimateCost(specWith((s) => (s.serving.enabled = false)));
    expect(cost.serving).toBeNull();
    expect(cost.totalUsd).toBe(cost.training.usd);
  });

  it("applies the region multiplier and flags estimated figures", () => {
    const east = estimateCost(specWith());
    const tokyo = estimateCost(specWith((s) => (s.region = "ap-northeast-1")));
    expect(tokyo.regionMultiplier).toBeGreaterThan(1);
    expect(tokyo.training.maxUsd).toBeGreaterThan(east.training.maxUsd);
    expect(east.estimated).toBe(false);
    expect(estimateCost(specWith((s) => (s.region = "af-south-1"))).estimated).toBe(true);
  });

  it("formats separately from the numbers", () => {
    const text = formatCost(estimateCost(specWith(), { trainingHours: 5 }));
    expect(text).toMatch(/training: 2 x ml\.p4d\.24xlarge/);
    expect(text).toMatch(/serving: 1 x ml\.g5\.48xlarge/);
    expect(text).toContain(PRICES_AS_OF);
  });
});
