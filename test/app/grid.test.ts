import { describe, expect, it } from "vitest";
import {
  gridMembers,
  gridParallel,
  gridsEmptied,
  refuseFailedCells,
  runGrid,
  runPool,
  worstExitCode,
} from "../../program/app/grid.js";
import { CellsFailedError, OperationFailedError } from "../../program/errors.js";
import type { ProgressEvent } from "../../program/events.js";
import type { Plan } from "../../program/spec/index.js";

const planNamed = (stack: string) => ({ names: { stack } }) as Plan;

describe("running cells", () => {
  it("runs at most `parallel` at once and keeps the order of results", async () => {
    let running = 0;
    let most = 0;
    const results = await runPool([1, 2, 3, 4, 5], 2, async (n) => {
      running += 1;
      most = Math.max(most, running);
      await new Promise((r) => setTimeout(r, 5 * (6 - n)));
      running -= 1;
      return n * 10;
    });
    expect(most).toBe(2);
    expect(results).toEqual([10, 20, 30, 40, 50]);
  });

  it("lets the other cells run on when one fails; events carry their stack; the exit code is the worst", async () => {
    const events: ProgressEvent[] = [];
    const outcomes = await runGrid(
      "g",
      ["g-z2", "g-z3", "g-z4"].map(planNamed),
      4,
      (e) => events.push(e),
      async (plan, onEvent) => {
        onEvent({ type: "cost", usd: 1, at: "x" });
        if (plan.names.stack === "g-z3") throw new OperationFailedError("training job failed: OOM", "use --zero 3");
      },
    );
    expect(outcomes.map((o) => o.exitCode)).toEqual([0, 1, 0]);
    expect(events.filter((e) => e.type === "cost").map((e) => e.stack)).toEqual(["g-z2", "g-z3", "g-z4"]);
    expect(events.filter((e) => e.type === "cell")).toHaveLength(3);
    expect(worstExitCode(outcomes)).toBe(1);
    expect(() => refuseFailedCells("g", outcomes, "up")).toThrow(CellsFailedError);
    expect(() => refuseFailedCells("g", outcomes, "up")).toThrow(
      /1 of 3 cell\(s\) failed \(up\)\ng-z3: training job failed/,
    );
    expect(() => refuseFailedCells("g", outcomes.slice(0, 1), "up")).not.toThrow();
  });

  it("runs the cells of a rehearsal one after another on a machine short of cores, and says so", () => {
    expect(gridParallel(4, 4, { rehearse: false })).toEqual({ parallel: 4 });
    expect(gridParallel(4, 2, { rehearse: false })).toEqual({ parallel: 2 });
    expect(gridParallel(4, 4, { rehearse: true, cores: 2 })).toEqual({
      parallel: 1,
      note: "rehearsal on 2 core(s): cells run one after another",
    });
    expect(gridParallel(4, 4, { rehearse: true, cores: 16 })).toEqual({ parallel: 4 });
  });

  it("finds a grid's cells from its record and from the state that names it", () => {
    const record = { v: 1 as const, name: "g", createdAt: "x", axes: [], cells: [{ name: "g-z2", values: {} }] };
    const states = [
      { name: "g-z3", outputs: { grid: "g" } },
      { name: "other", outputs: {} },
    ];
    expect(gridMembers("g", record, states)).toEqual(["g-z2", "g-z3"]);
    expect(() => gridMembers("nope", undefined, states)).toThrow(/no grid named nope/);
  });

  it("forgets a grid only when its last cell is gone (cells destroyed one by one)", () => {
    const cells = [
      { name: "g-z2", values: {} },
      { name: "g-z3", values: {} },
    ];
    const g = { v: 1 as const, name: "g", createdAt: "x", axes: [], cells };
    const h = { ...g, name: "h", cells: [{ name: "h-n1", values: {} }] };
    expect(gridsEmptied([g, h], new Set(["g-z3", "h-n1"]))).toEqual([]);
    expect(gridsEmptied([g, h], new Set(["h-n1"]))).toEqual(["g"]);
    expect(gridsEmptied([g, h], new Set())).toEqual(["g", "h"]);
  });
});
