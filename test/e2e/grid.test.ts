// Grids end to end: `up` with list-valued axis flags creates one experiment per cell (each its own
// stack), one cell failing leaves the others running, `compare --grid` reads them all and
// `destroy --grid` leaves nothing behind. The real engine against the sandbox cloud.
import { beforeAll, describe, expect, it } from "vitest";
import { jsonLines, jsonResult, runCli } from "../helpers/cli.js";
import { control, sandboxSuite, zerostackObjects } from "../helpers/sandbox.js";

const GRID = ["--preset", "tiny", "--name", "g", "--zero", "2,3", "--nodes", "1,2"];
const CELLS = ["g-z2-n1", "g-z2-n2", "g-z3-n1", "g-z3-n2"];

describe("a grid in the sandbox", () => {
  const suite = sandboxSuite({ speed: 10 });
  const env = suite.env;
  let endpoint = "";
  beforeAll(() => {
    endpoint = suite.endpoint();
  });

  it("refuses a bad grid naming each bad cell and field; nothing is created", async () => {
    const r = await runCli(
      ["up", "--preset", "tiny", "--name", "bad", "--nodes", "1,3", "--zero", "2,3", "--yes"],
      env,
    );
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("bad-z2-n3: --nodes (training.nodes)");
    expect(r.stderr).toContain("bad-z3-n3: --nodes (training.nodes)");
    expect(r.stderr).not.toContain("bad-z2-n1");
    const ls = await runCli(["ls", "--json"], env);
    expect(jsonResult(ls.stdout)).toEqual([]);
    expect(await zerostackObjects(endpoint)).toEqual({ models: 0, endpointConfigs: 0, endpoints: 0, runningJobs: 0 });
  });

  it("previews a grid cell by cell with the total cost, names a bad cell, and creates nothing", async () => {
    const args = ["preview", "--preset", "tiny", "--name", "p", "--zero", "2,3"];
    const r = await runCli([...args, "--json"], env, { timeoutMs: 150_000 });
    expect(r.code, r.stderr).toBe(0);
    const events = jsonLines(r.stdout);
    const cells = ["p-z2", "p-z3"];
    // each cell's changes and estimate, carrying its stack
    const summaries = events.filter((e) => e.type === "summary");
    expect(summaries.map((e) => e.stack).sort()).toEqual(cells);
    for (const e of summaries) expect((e.changes as Record<string, number>).create).toBeGreaterThan(0);
    const estimates = events.filter((e) => e.type === "estimate");
    expect(estimates.map((e) => e.stack).sort()).toEqual(cells);
    expect(new Set(events.filter((e) => e.type === "resource").map((e) => e.stack))).toEqual(new Set(cells));
    // the grid's total: expected and ceiling, the sum of its cells'
    const grid = events.find((e) => e.type === "grid")!;
    expect(grid).toMatchObject({ grid: "p", cells });
    const sum = (key: string) => estimates.reduce((total, e) => total + (e[key] as number), 0);
    expect(grid.expectedUsd).toBeCloseTo(sum("expectedUsd"), 6);
    expect(grid.maxUsd).toBeCloseTo(sum("maxUsd"), 6);
    expect(events.at(-1)).toMatchObject({ type: "done", action: "preview", stack: "p" });

    const human = await runCli(args, env, { timeoutMs: 150_000 });
    expect(human.code, human.stderr).toBe(0);
    for (const cell of cells) {
      expect(human.stdout).toMatch(new RegExp(`^\\[${cell}\\] changes: create \\d`, "m"));
      expect(human.stdout).toMatch(new RegExp(`^\\[${cell}\\] estimate: ≈ \\$`, "m"));
    }
    expect(human.stdout).toMatch(/^grid p: 2 experiments, .*≈ \$\d+\.\d\d expected, at most \$\d+\.\d\d in all/m);

    const bad = await runCli(["preview", "--preset", "tiny", "--name", "pb", "--nodes", "1,3", "--json"], env);
    expect(bad.code).toBe(2);
    expect(bad.stdout + bad.stderr).toContain("pb-n3: --nodes (training.nodes)");
    expect(bad.stdout + bad.stderr).not.toContain("pb-n1:");

    // a preview of new experiments leaves no stack and no object behind
    const ls = await runCli(["ls", "--json"], env);
    expect(jsonResult(ls.stdout)).toEqual([]);
    expect(await zerostackObjects(endpoint)).toEqual({ models: 0, endpointConfigs: 0, endpoints: 0, runningJobs: 0 });
  }, 400_000);

  it("runs a 2 x 2 grid: one cell failing leaves the other three running, exit 1 naming it", async () => {
    // the failing cell's training job, named as `up` will name it
    const plan = await runCli(
      [
        "plan",
        "--preset",
        "tiny",
        "--name",
        "g-z3-n2",
        "--zero",
        "3",
        "--nodes",
        "2",
        "--bucket",
        "zerostack-sandbox-123456789012",
        "--region",
        "us-east-1",
        "--json",
      ],
      env,
    );
    const job = jsonResult<{ training: { jobName: string } }>(plan.stdout).training.jobName;
    await control(endpoint, "scenario", {
      training_jobs: { [job]: { fail_at: "Training", failure_reason: "AlgorithmError: CUDA out of memory" } },
    });
    try {
      const r = await runCli(["up", ...GRID, "--yes", "--json"], env, { timeoutMs: 200_000 });
      expect(r.code, r.stderr).toBe(1);
      const events = jsonLines(r.stdout);
      expect(events.find((e) => e.type === "grid")).toMatchObject({ grid: "g", cells: CELLS, parallel: 4 });
      const last = events.at(-1)!;
      expect(last).toMatchObject({ type: "error", exitCode: 1 });
      expect(String(last.message)).toMatch(/1 of 4 cell\(s\) failed[\s\S]*g-z3-n2: .*CUDA out of memory/);
      const cells = events.filter((e) => e.type === "cell");
      expect(cells.filter((e) => e.ok).map((e) => e.stack)).toEqual(
        expect.arrayContaining(["g-z2-n1", "g-z2-n2", "g-z3-n1"]),
      );
      expect(cells.filter((e) => !e.ok).map((e) => e.stack)).toEqual(["g-z3-n2"]);
      // every cell's events carry its stack
      const training = events.filter((e) => e.type === "training");
      expect(new Set(training.map((e) => e.stack))).toEqual(new Set(CELLS));
    } finally {
      await control(endpoint, "scenario", {});
    }
    const ls = await runCli(["ls", "--grid", "g", "--json"], env);
    const rows = jsonResult<Array<{ name: string; status: string }>>(ls.stdout);
    expect(rows.map((row) => row.name)).toEqual(CELLS);
    expect(rows.filter((row) => row.status === "ready").map((row) => row.name)).toEqual([
      "g-z2-n1",
      "g-z2-n2",
      "g-z3-n1",
    ]);
  }, 240_000);

  it("compares the grid: 4 rows and 4 loss series, with the axes that differ", async () => {
    const r = await runCli(["compare", "--grid", "g", "--json"], env);
    expect(r.code, r.stderr).toBe(0);
    const result = jsonResult<{
      differing: string[];
      rows: Array<{ stack: string; status: string; finalLoss?: number; loss: unknown[]; costUsd?: number }>;
      aligned: { steps: number[]; values: unknown[][] };
    }>(r.stdout);
    expect(result.differing).toEqual(["zero", "nodes"]);
    expect(result.rows.map((row) => row.stack)).toEqual(CELLS);
    expect(result.rows.find((row) => row.stack === "g-z3-n2")?.status).toBe("Failed");
    for (const row of result.rows.filter((row) => row.stack !== "g-z3-n2")) {
      expect(row.loss.length).toBeGreaterThan(1);
      expect(row.finalLoss).toBeGreaterThan(0);
    }
    expect(result.aligned.values).toHaveLength(4);

    const human = await runCli(["compare", "--grid", "g", "--no-invoke"], env);
    expect(human.code, human.stderr).toBe(0);
    for (const cell of CELLS) expect(human.stdout).toMatch(new RegExp(`^${cell}\\s`, "m"));
    expect(human.stdout).toContain("* g-z2-n1  o g-z2-n2  x g-z3-n1  + g-z3-n2");

    const csv = await runCli(["compare", "--grid", "g", "--csv", "--no-invoke"], env);
    expect(csv.stdout.trim().split("\n")).toHaveLength(5);
  });

  it("destroys one cell alone (the grid keeps the rest), then the whole grid with --yes: zero objects", async () => {
    const one = await runCli(["destroy", "--stack", "g-z2-n1", "--yes", "--json"], env, { timeoutMs: 120_000 });
    expect(one.code, one.stderr).toBe(0);
    const rest = await runCli(["ls", "--grid", "g", "--json"], env);
    expect(rest.code, rest.stderr).toBe(0);
    expect((jsonResult(rest.stdout) as Array<{ name: string }>).map((s) => s.name).sort()).toEqual(CELLS.slice(1));
    const r = await runCli(["destroy", "--grid", "g", "--yes", "--json"], env, { timeoutMs: 200_000 });
    expect(r.code, r.stderr).toBe(0);
    expect(jsonLines(r.stdout).at(-1)).toMatchObject({ type: "done", action: "destroy", stack: "g" });
    expect(await zerostackObjects(endpoint)).toEqual({ models: 0, endpointConfigs: 0, endpoints: 0, runningJobs: 0 });
    const ls = await runCli(["ls", "--json"], env);
    expect(jsonResult(ls.stdout)).toEqual([]);
    const gone = await runCli(["ls", "--grid", "g", "--json"], env);
    expect(gone.code).toBe(2);
    expect(gone.stdout + gone.stderr).toMatch(/no grid named g/);
  }, 360_000);
});
