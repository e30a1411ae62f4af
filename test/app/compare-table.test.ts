import { describe, expect, it } from "vitest";
import {
  alignSeries,
  compareResult,
  formatCsv,
  legend,
  plotSeries,
  rowFromEvents,
  tableCells,
  throughputOf,
} from "../../program/app/compare-table.js";
import type { ProgressEvent } from "../../program/events.js";

const axes = (zero: string, nodes: string) => ({ zero, nodes, backend: "accelerate", lr: "0.001" });
const log = (line: string, host = "algo-1"): ProgressEvent => ({ type: "log", host, line, at: "2026-12-01T00:00:00Z" });

describe("compare rows from events", () => {
  it("reads status, losses, eval loss, throughput, billable seconds and cost", () => {
    const row = rowFromEvents(
      "g-z3-n2",
      [
        {
          type: "training",
          job: "j",
          status: "Completed",
          secondaryStatus: "Completed",
          at: "x",
          billableSeconds: 120,
        },
        { type: "metric", name: "loss", value: 2, step: 1 },
        { type: "metric", name: "loss", value: 1.5, step: 2 },
        { type: "metric", name: "loss", value: 1.6, step: 3 },
        { type: "metric", name: "eval_loss", value: 1.7, step: 3 },
        { type: "metric", name: "train_loss", value: 1.9, step: 3 },
        log("{'train_runtime': 10.0, 'train_samples_per_second': 80.0, 'train_loss': 1.7, 'epoch': 1.0}"),
        { type: "cost", usd: 1.25, at: "x" },
      ],
      { axes: axes("3", "2"), status: "ready", tokensPerSample: 96 },
    );
    expect(row).toMatchObject({
      stack: "g-z3-n2",
      status: "ready",
      finalLoss: 1.6,
      bestLoss: 1.5,
      evalLoss: 1.7,
      samplesPerSecond: 80,
      tokensPerSecond: 80 * 96,
      tokensEstimated: true,
      billableSeconds: 120,
      costUsd: 1.25,
    });
    expect(row.loss).toEqual([
      { step: 1, value: 2 },
      { step: 2, value: 1.5 },
      { step: 3, value: 1.6 },
    ]);
  });

  it("falls back to rank 0's log lines for the loss, and shows a job that did not complete", () => {
    const row = rowFromEvents(
      "g-z2-n2",
      [
        { type: "training", job: "j", status: "Failed", secondaryStatus: "Failed", at: "x", failureReason: "OOM" },
        log("{'loss': 2.5, 'learning_rate': 0.001, 'epoch': 0.1}"),
        log("{'loss': 9.9, 'epoch': 0.1}", "algo-2"),
        log("{'loss': '2.1', 'epoch': '0.2'}"),
      ],
      { axes: axes("2", "2"), status: "failed" },
    );
    expect(row).toMatchObject({ status: "Failed", finalLoss: 2.1, bestLoss: 2.1, failureReason: "OOM" });
    expect(row.loss.map((p) => p.step)).toEqual([1, 2]);
  });

  it("reads the payload's throughput line: samples/s and tokens/s of every GPU", () => {
    expect(
      throughputOf('INFO throughput {"world_size": 4, "samples_per_s": 12.5, "tokens_per_s_per_gpu": 100.0}'),
    ).toEqual({ samplesPerSecond: 12.5, tokensPerSecond: 400 });
    expect(throughputOf("nothing here")).toBeUndefined();
  });
});

describe("the compare table", () => {
  const rows = [
    rowFromEvents("g-z2-n1", [{ type: "metric", name: "loss", value: 1, step: 1 }], { axes: axes("2", "1") }),
    rowFromEvents("g-z3-n1", [], { axes: axes("3", "1"), costUsd: 0.5, latencyMs: 42 }),
  ];

  it("leads with only the axes that differ", () => {
    const result = compareResult(rows);
    expect(result.differing).toEqual(["zero"]);
    const cells = tableCells(result);
    expect(cells[0]!.slice(0, 3)).toEqual(["STACK", "ZERO", "STATUS"]);
    expect(cells).toHaveLength(3);
    expect(cells[2]).toEqual(["g-z3-n1", "3", "unknown", "-", "-", "-", "-", "-", "-", "$0.50", "42ms"]);
  });

  it("writes CSV with plain numbers and empty cells for what is unknown", () => {
    const csv = formatCsv(compareResult(rows)).split("\n");
    expect(csv[0]).toBe(
      "stack,zero,status,final_loss,best_loss,eval_loss,samples_per_s,tokens_per_s,billable,cost,latency",
    );
    expect(csv[2]).toBe("g-z3-n1,3,unknown,,,,,,,0.5000,42");
  });
});

describe("loss series", () => {
  it("aligns series on step, null where a series logged none", () => {
    const aligned = alignSeries([
      [
        { step: 1, value: 3 },
        { step: 3, value: 1 },
      ],
      [
        { step: 2, value: 2.5 },
        { step: 3, value: 2 },
      ],
    ]);
    expect(aligned).toEqual({
      steps: [1, 2, 3],
      values: [
        [3, null, 1],
        [null, 2.5, 2],
      ],
    });
  });

  it("plots every series with its own marker, on a step axis, within the size given", () => {
    const lines = plotSeries(
      [
        [
          { step: 0, value: 2 },
          { step: 10, value: 1 },
        ],
        [
          { step: 0, value: 1.5 },
          { step: 20, value: 0.5 },
        ],
      ],
      { width: 40, height: 8 },
    );
    expect(lines).toHaveLength(8);
    expect(lines.every((l) => l.length <= 40)).toBe(true);
    expect(lines[0]).toMatch(/2\.000\|\*/);
    expect(lines[6]).toMatch(/0\.500\|\s+o$/);
    expect(lines[7]).toMatch(/step 0\s+20$/);
    expect(lines.join("\n")).not.toContain("\u001b["); // NO_COLOR-safe: no escape sequences
    expect(legend(["a", "b"])).toBe("* a  o b");
    expect(plotSeries([[], []], { width: 40, height: 8 })).toEqual(["(no loss logged yet)"]);
  });
});
