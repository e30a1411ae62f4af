// The watermark: an up or attach resumes where the last one of the experiment stopped, logs and
// metric steps alike; a new training job starts from nothing; --from-start ignores it.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { fileWatermark } from "../../program/watch/watermark.js";

const loss = (value: number) => ({ values: { loss: value } });

describe("fileWatermark", () => {
  const path = join(mkdtempSync(join(tmpdir(), "zs-watermark-")), "watermarks", "exp.json");

  it("starts from nothing, then resumes the cursors and the metric step a stream saved", () => {
    const first = fileWatermark(path, "exp-abc-train");
    expect(first.cursors.load()).toEqual({});
    expect(first.metrics.next(loss(2)).step).toBe(1);
    expect(first.metrics.next(loss(1.5)).step).toBe(2);
    first.cursors.save({ "exp-abc-train/algo-1-1": "f/123" });

    const next = fileWatermark(path, "exp-abc-train");
    expect(next.cursors.load()).toEqual({ "exp-abc-train/algo-1-1": "f/123" });
    expect(next.metrics.next(loss(1.2)).step).toBe(3); // never step 1 again
  });

  it("forgets it for a new training job, and on --from-start", () => {
    expect(fileWatermark(path, "exp-def-train").cursors.load()).toEqual({});
    const fromStart = fileWatermark(path, "exp-abc-train", true);
    expect(fromStart.cursors.load()).toEqual({});
    expect(fromStart.metrics.next(loss(2)).step).toBe(1);
  });
});
