// `presets` and `plan` through the real commander program (main.ts's buildProgram), with
// process.stdout/stderr captured: the command frame (program/cli/command-frame.ts) writes there and offers no stream hook.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { captureOutput, type Captured } from "../helpers/capture.js";
import { buildProgram } from "../../program/cli/main.js";

let out: Captured;

beforeEach(() => {
  out = captureOutput();
});

afterEach(() => {
  out.restore();
});

async function run(...args: string[]): Promise<number> {
  let code = -1;
  const program = buildProgram((c) => {
    code = c;
  });
  await program.parseAsync(["node", "zerostack", ...args]);
  return code;
}

describe("zerostack presets / plan", () => {
  it("presets --json lists the catalog and ends with done", async () => {
    expect(await run("presets", "--json")).toBe(0);
    const lines = out.stdout.trim().split("\n");
    const catalog = JSON.parse(lines[0] ?? "") as { presets: Array<{ name: string }> };
    expect(catalog.presets.map((p) => p.name)).toEqual(["seed", "flan-t5-xl", "llama-3.1-8b", "tiny"]);
    expect(JSON.parse(lines[lines.length - 1] ?? "")).toMatchObject({ type: "done", action: "presets" });
  });

  it("plan prints the derived sections for people", async () => {
    expect(await run("plan", "--preset", "seed")).toBe(0);
    for (const part of [
      "DeepSpeed config",
      "launcher env:",
      "FI_EFA_USE_DEVICE_RDMA=1",
      "serving.properties:",
      "option.tensor_parallel_degree=8",
      "cost:",
    ]) {
      expect(out.stdout).toContain(part);
    }
  });

  it("plan --json prints the plan object", async () => {
    expect(await run("plan", "--preset", "tiny", "--nodes", "1", "--json")).toBe(0);
    const plan = JSON.parse(out.stdout.split("\n")[0] ?? "") as {
      spec: { training: { nodes: number } };
      cost: { totalUsd: number };
    };
    expect(plan.spec.training.nodes).toBe(1);
    expect(plan.cost.totalUsd).toBeGreaterThan(0);
  });

  it("bad input exits 2 and lists every problem with its flag", async () => {
    expect(await run("plan", "--preset", "seed", "--nodes", "3", "--tp", "5", "--zero", "4")).toBe(2);
    expect(out.stderr).toContain("--nodes (training.nodes)");
    expect(out.stderr).toContain("--zero (training.zero)");
    expect(out.stderr).toContain("--tp (serving.tensorParallelDegree)");
    expect(out.stdout).toBe("");
  });

  it("bad input in JSON mode ends with an error event carrying exit code 2", async () => {
    expect(await run("plan", "--preset", "nope", "--json")).toBe(2);
    const last = JSON.parse(out.stdout.trim().split("\n").pop() ?? "") as {
      type: string;
      exitCode: number;
      message: string;
    };
    expect(last).toMatchObject({ type: "error", exitCode: 2 });
    expect(last.message).toContain("--preset");
  });
});
