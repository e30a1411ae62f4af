import { describe, expect, it } from "vitest";
import { MetricCounter, parseMetricLine } from "../../program/watch/metrics.js";
import { metricDefinitions } from "../../program/spec/index.js";

// real lines: transformers 4.36 (the default training image) and 5.17 (seen on an H100, bench/gpu)
const v4 = "{'loss': 1.2345, 'learning_rate': 0.0001, 'epoch': 0.5}";
const v4eval =
  "{'eval_loss': 16.37989044189453, 'eval_runtime': 0.0121, 'eval_samples_per_second': 331.743, 'epoch': 0.8}";
const v5 = "{'loss': '34', 'grad_norm': '12.5', 'learning_rate': '0.001', 'epoch': '0.2'}";

describe("metrics from Trainer log lines", () => {
  it("reads numbers, quoted numbers and exponents; ignores untracked keys and other lines", () => {
    expect(parseMetricLine(v4)?.values).toEqual({ loss: 1.2345, learning_rate: 0.0001, epoch: 0.5 });
    expect(parseMetricLine(v4eval)?.values).toEqual({ eval_loss: 16.37989044189453, epoch: 0.8 });
    expect(parseMetricLine(v5)?.values).toEqual({ loss: 34, grad_norm: 12.5, learning_rate: 0.001, epoch: 0.2 });
    expect(parseMetricLine("{'loss': 1e-05}")?.values).toEqual({ loss: 0.00001 });
    expect(parseMetricLine("algo-1:91:91 [0] NCCL INFO Bootstrap")).toBeUndefined();
    expect(parseMetricLine("{'train_runtime': 0.3, 'train_samples_per_second': 111.7}")).toBeUndefined();
  });

  it("numbers steps by training-loss lines", () => {
    const counter = new MetricCounter();
    expect(counter.next(parseMetricLine(v4)!).step).toBe(1);
    expect(counter.next(parseMetricLine(v4eval)!).step).toBe(1);
    expect(counter.next(parseMetricLine(v5)!).step).toBe(2);
  });

  it("SageMaker's metric regexes match both forms with one capture group", () => {
    const loss = new RegExp(metricDefinitions().find((m) => m.Name === "loss")!.Regex);
    expect(loss.exec(v4)?.[1]).toBe("1.2345");
    expect(loss.exec(v5)?.[1]).toBe("34");
    expect(loss.exec(v4eval)).toBeNull(); // eval_loss is its own metric
  });
});
