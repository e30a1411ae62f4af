import { describe, expect, it } from "vitest";
import { healthCheckTimeoutSeconds } from "../../program/spec/index.js";
import { specWith } from "./helpers.js";

describe("healthCheckTimeoutSeconds", () => {
  it("gives the seed's ~2400 s for Flan-T5-XXL", () => {
    expect(healthCheckTimeoutSeconds(specWith())).toBe(2400);
  });

  it("scales down with the model but never below the 600 s base", () => {
    expect(healthCheckTimeoutSeconds(specWith(undefined, "flan-t5-xl"))).toBe(1100);
    expect(healthCheckTimeoutSeconds(specWith(undefined, "tiny"))).toBe(600);
  });

  it("caps at SageMaker's 3600 s", () => {
    expect(healthCheckTimeoutSeconds(specWith((s) => (s.model.sizes.parameters = 70e9)))).toBe(3600);
  });

  it("gives TensorRT-LLM time to compile", () => {
    const vllm = healthCheckTimeoutSeconds(specWith(undefined, "llama-3.1-8b"));
    const trt = healthCheckTimeoutSeconds(specWith((s) => (s.serving.backend = "trtllm"), "llama-3.1-8b"));
    expect(trt - vllm).toBe(600);
  });

  it("respects an explicit override", () => {
    expect(healthCheckTimeoutSeconds(specWith((s) => (s.serving.healthCheckTimeoutSeconds = 900)))).toBe(900);
  });
});
