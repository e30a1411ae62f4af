import { afterEach, describe, expect, it } from "vitest";
import { cleanup } from "ink-testing-library";
import { failedEndpoint, failedJob, longRun } from "./fixtures.js";
import { fits, KEYS, mount } from "./harness.js";

afterEach(() => cleanup());

describe("stacks screen", () => {
  it("lists every experiment with status, preset, cost and TTL, under a SANDBOX banner", async () => {
    const ui = await mount();
    const f = ui.frame();
    expect(f).toContain("SANDBOX");
    expect(f).toMatch(/seed-run\s+ready\s+seed\s+\S+\s+\$151\.20\s+2h00m/);
    expect(f).toMatch(/tiny\s+failed\s+tiny/);
    expect(f).toMatch(/busy\s+updating/);
    expect(f).toContain("n new");
    expect(fits(f)).toBe(true);
  });

  it("moves the selection and toggles help with ?; Esc closes it", async () => {
    const ui = await mount();
    await ui.press(KEYS.down);
    expect(ui.frame()).toMatch(/› tiny/);
    await ui.press("?");
    expect(ui.frame()).toContain("Keys on the stacks screen");
    expect(ui.frame()).toContain("destroy done");
    await ui.press(KEYS.esc);
    expect(ui.frame()).not.toContain("Keys on the stacks screen");
    expect(ui.frame()).toMatch(/› tiny/);
  });
});

describe("new experiment", () => {
  it("shows guards inline as a field changes, updates the cost, and blocks the plan on an error", async () => {
    const ui = await mount();
    await ui.press("n");
    expect(ui.frame()).toContain("‹ seed ›");
    expect(ui.frame()).toMatch(/cost ≈ \$150\.76/);
    expect(ui.frame()).toContain("list price, 2026-12-01"); // where the prices came from
    // ZeRO stage: 3 -> 2 with 2 nodes warns
    await ui.press(KEYS.down, KEYS.down, KEYS.down, KEYS.left);
    expect(ui.frame()).toContain("ZeRO-2 across 2 nodes can hang");
    // nodes 2 -> 1: the warning goes, the cost halves
    await ui.press(KEYS.up, KEYS.left);
    expect(ui.frame()).not.toContain("ZeRO-2 across");
    expect(ui.frame()).toMatch(/cost ≈ \$75\.38/);
    // serve instance g5.48xlarge -> g5.12xlarge with TP 8: an error that blocks
    for (let i = 0; i < 5; i++) await ui.press(KEYS.down);
    await ui.press(KEYS.left);
    expect(ui.frame()).toContain("✗ tensor parallel degree 8 must divide the 4 GPUs");
    await ui.press(KEYS.enter);
    expect(ui.frame()).toContain("fix the 1 error marked ✗ first");
    expect(ui.frame()).toContain("New experiment");
    expect(fits(ui.frame())).toBe(true);
  });

  it("types the name, previews, and passes the rehearse toggle to up", async () => {
    const ui = await mount();
    await ui.press("n", KEYS.down, KEYS.backspace, KEYS.backspace, KEYS.backspace, KEYS.backspace, "x", "2");
    expect(ui.frame()).toMatch(/name\s+x2/);
    await ui.press(KEYS.enter);
    expect(ui.frame()).toContain("Plan");
    expect(ui.frame()).toContain("preview: create 2");
    expect(ui.frame()).toContain("Create this experiment? y to confirm");
    await ui.press("t");
    expect(ui.frame()).toContain("rehearse: the real payload runs locally");
    await ui.press("y");
    expect(ui.calls.up).toEqual([{ rehearse: true, stack: "x2" }]);
    expect(ui.frame()).toContain("Run x2");
    expect(ui.frame()).toContain("up done");
  });

  it("asks to update, not create, an experiment that exists", async () => {
    const ui = await mount();
    await ui.press("n", KEYS.down, KEYS.backspace, KEYS.backspace, KEYS.backspace, KEYS.backspace);
    await ui.press(..."tiny".split(""));
    expect(ui.frame()).toMatch(/name\s+tiny/);
    await ui.press(KEYS.enter);
    expect(ui.frame()).toContain("Update this experiment? y to confirm");
    expect(ui.frame()).not.toContain("Create this experiment");
  });
});

describe("run screen", () => {
  it("renders a long run: resources, timeline with durations, loss chart, host tabs; logs through Static", async () => {
    const ui = await mount({ attach: { "seed-run": longRun() } });
    await ui.press(KEYS.enter);
    const f = ui.frame();
    expect(f).toContain("training seed-run-train InProgress");
    expect(f).toMatch(/Downloading\s+3m00s/);
    expect(f).toMatch(/loss 0\.\d{4}/);
    expect(f).toContain("1500 points");
    expect(f).toContain("endpoint seed-run-ep Creating");
    expect(f).toContain("cost so far $42.50");
    expect(f).toMatch(/algo-1 \(400\).*algo-2 \(400\)/);
    // the Static part holds algo-1's lines; the live part stays within 24 rows
    expect(f).toContain("[algo-1] algo-1 step 399");
    const live = f.split("\n").slice(f.split("\n").findIndex((l) => l.startsWith("zerostack")));
    expect(fits(live.join("\n"))).toBe(true);
  });

  it("switches hosts with →, and re-attaches after Esc and reopening", async () => {
    const ui = await mount({ attach: { "seed-run": longRun(30, 10) } });
    await ui.press(KEYS.enter);
    await ui.press(KEYS.right);
    expect(ui.frame()).toContain("[algo-2] algo-2 step 29 nccl ok");
    await ui.press(KEYS.esc);
    expect(ui.calls.aborted).toEqual(["seed-run"]);
    expect(ui.frame()).toContain("Experiments");
    await ui.press(KEYS.enter);
    expect(ui.calls.attached).toEqual(["seed-run", "seed-run"]);
    expect(ui.frame()).toContain("training seed-run-train");
  });

  it("shows a failed job's FailureReason", async () => {
    const ui = await mount({ attach: { "seed-run": failedJob } });
    await ui.press(KEYS.enter);
    expect(ui.frame()).toContain("training tiny-train Failed");
    expect(ui.frame()).toContain("FailureReason: AlgorithmError: CUDA out of memory");
    expect(ui.frame()).toContain("training job failed: AlgorithmError");
  });

  it("shows a failed endpoint's FailureReason", async () => {
    const ui = await mount({ attach: { "seed-run": failedEndpoint } });
    await ui.press(KEYS.enter);
    expect(ui.frame()).toContain("endpoint tiny-ep Failed");
    expect(ui.frame()).toContain("FailureReason: The primary container for production variant");
  });
});

describe("invoke and teardown", () => {
  it("sends a prompt with generation parameters and shows the answer and latency", async () => {
    const ui = await mount();
    await ui.press("i", "h", "i", KEYS.tab, KEYS.right, KEYS.tab, KEYS.left, KEYS.enter);
    expect(ui.calls.invoked).toEqual([{ prompt: "hi", maxNewTokens: 160, temperature: 0.6 }]);
    expect(ui.frame()).toContain("echo: hi");
    expect(ui.frame()).toContain("in 42 ms");
    await ui.press(KEYS.esc);
    expect(ui.frame()).toContain("Experiments");
  });

  it("confirms, destroys and removes the stack", async () => {
    const ui = await mount();
    await ui.press("d");
    expect(ui.frame()).toContain("Destroy this experiment");
    await ui.press("y");
    expect(ui.calls.destroyed).toEqual(["seed-run"]);
    expect(ui.frame()).toContain("✓ seed-run destroyed and removed");
    await ui.press(KEYS.esc);
    expect(ui.frame()).not.toContain("seed-run");
  });

  it("destroys all finished experiments, not the one updating", async () => {
    const ui = await mount();
    await ui.press("D", "y");
    expect(ui.calls.destroyed).toEqual(["seed-run", "tiny"]);
    expect(ui.frame()).toContain("All gone");
  });
});
