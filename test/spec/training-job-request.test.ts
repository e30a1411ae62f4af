import { describe, expect, it } from "vitest";
import { metricDefinitions, stoppingCondition } from "../../program/spec/index.js";
import { specWith } from "./helpers.js";

const captureGroups = (regex: string) => (new RegExp(`${regex}|`).exec("") ?? []).length - 1;
const metricValue = (name: string, line: string) => {
  const def = metricDefinitions().find((m) => m.Name === name);
  if (!def) throw new Error(`no metric ${name}`);
  return new RegExp(def.Regex).exec(line)?.[1];
};

describe("metricDefinitions", () => {
  it("each regex has exactly one capture group", () => {
    for (const m of metricDefinitions()) expect(captureGroups(m.Regex), m.Name).toBe(1);
  });

  it("reads the HF Trainer's training log line", () => {
    const line = "{'loss': 1.2345, 'grad_norm': 0.51, 'learning_rate': 1e-05, 'epoch': 0.5}";
    expect(metricValue("loss", line)).toBe("1.2345");
    expect(metricValue("learning_rate", line)).toBe("1e-05");
    expect(metricValue("epoch", line)).toBe("0.5");
    expect(metricValue("eval_loss", line)).toBeUndefined();
  });

  it("tells eval_loss from loss and accepts double quotes", () => {
    const line = '{"eval_loss": 0.98, "eval_runtime": 12.3, "epoch": 1.0}';
    expect(metricValue("eval_loss", line)).toBe("0.98");
    expect(metricValue("loss", line)).toBeUndefined();
    expect(metricValue("learning_rate", "{'learning_rate': 0.0001}")).toBe("0.0001");
  });
});

describe("stoppingCondition", () => {
  it("uses the spec's max runtime, no wait time without spot", () => {
    expect(stoppingCondition(specWith((s) => (s.training.maxRuntimeSeconds = 7200)))).toEqual({
      MaxRuntimeInSeconds: 7200,
    });
  });

  it("adds MaxWaitTimeInSeconds for managed spot (given, or twice the runtime)", () => {
    expect(
      stoppingCondition(
        specWith((s) => {
          s.training.spot = true;
          s.training.maxRuntimeSeconds = 3600;
        }),
      ),
    ).toEqual({ MaxRuntimeInSeconds: 3600, MaxWaitTimeInSeconds: 7200 });
    expect(
      stoppingCondition(
        specWith((s) => {
          s.training.spot = true;
          s.training.maxWaitSeconds = 90000;
        }),
      ).MaxWaitTimeInSeconds,
    ).toBe(90000);
  });
});
