import { afterEach, describe, expect, it, vi } from "vitest";
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
    await ui.see(/› tiny/);
    await ui.press("?");
    await ui.see("Keys on the stacks screen");
    await ui.see("destroy done");
    await ui.press(KEYS.esc);
    await ui.see("Keys on the stacks screen", { absent: true });
    await ui.see(/› tiny/);
  });
});

describe("new experiment", () => {
  it("shows guards inline as a field changes, updates the cost, and blocks the plan on an error", async () => {
    const ui = await mount();
    await ui.press("n");
    await ui.see("‹ seed ›");
    await ui.see(/cost ≈ \$150\.76 expected, at most \$\d/);
    await ui.see("list price, 2026-12-01"); // where the prices came from
    // ZeRO stage: 3 -> 2 with 2 nodes warns
    await ui.press(KEYS.down, KEYS.down, KEYS.down, KEYS.left);
    await ui.see("ZeRO-2 across 2 nodes can hang");
    // nodes 2 -> 1: the warning goes, the cost halves
    await ui.press(KEYS.up, KEYS.left);
    await ui.see("ZeRO-2 across", { absent: true });
    await ui.see(/cost ≈ \$75\.38/);
    // serve instance g5.48xlarge -> g5.12xlarge with TP 8: an error that blocks
    for (let i = 0; i < 5; i++) await ui.press(KEYS.down);
    await ui.press(KEYS.left);
    await ui.see("✗ tensor parallel degree 8 must divide the 4 GPUs");
    await ui.press(KEYS.enter);
    await ui.see("fix the 1 error marked ✗ first");
    await ui.see("New experiment");
    expect(fits(ui.frame())).toBe(true);
  });

  it("types the name, previews, and passes the rehearse toggle to up", async () => {
    const ui = await mount();
    await ui.press("n", KEYS.down, KEYS.backspace, KEYS.backspace, KEYS.backspace, KEYS.backspace, "x", "2");
    await ui.see(/name\s+x2/);
    await ui.press(KEYS.enter);
    await ui.see("Plan");
    await ui.see("preview: create 2");
    await ui.see("Create this experiment? y to confirm");
    await ui.press("t");
    await ui.see("rehearse: the real payload runs locally");
    await ui.press("y");
    await vi.waitFor(() => expect(ui.calls.up).toEqual([{ rehearse: true, stack: "x2" }]));
    await ui.see("Run x2");
    await ui.see("up done");
  });

  it("asks to update, not create, an experiment that exists", async () => {
    const ui = await mount();
    await ui.press("n", KEYS.down, KEYS.backspace, KEYS.backspace, KEYS.backspace, KEYS.backspace);
    await ui.press(..."tiny".split(""));
    await ui.see(/name\s+tiny/);
    await ui.press(KEYS.enter);
    await ui.see("Update this experiment? y to confirm");
    await ui.see("Create this experiment", { absent: true });
  });
});

describe("run screen", () => {
  it("renders a long run: resources, timeline with durations, loss chart, host tabs; logs through Static", async () => {
    const ui = await mount({ attach: { "seed-run": longRun() } });
    await ui.press(KEYS.enter);
    await ui.see("endpoint seed-run-ep Creating");
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
    await ui.see("[algo-2] algo-2 step 29 nccl ok");
    await ui.press(KEYS.esc);
    await vi.waitFor(() => expect(ui.calls.aborted).toEqual(["seed-run"]));
    await ui.see("Experiments");
    await ui.press(KEYS.enter);
    await vi.waitFor(() => expect(ui.calls.attached).toEqual(["seed-run", "seed-run"]));
    await ui.see("training seed-run-train");
  });

  it("shows a failed job's FailureReason", async () => {
    const ui = await mount({ attach: { "seed-run": failedJob } });
    await ui.press(KEYS.enter);
    await ui.see("training tiny-train Failed");
    await ui.see("FailureReason: AlgorithmError: CUDA out of memory");
    await ui.see("training job failed: AlgorithmError");
  });

  it("shows a failed endpoint's FailureReason", async () => {
    const ui = await mount({ attach: { "seed-run": failedEndpoint } });
    await ui.press(KEYS.enter);
    await ui.see("endpoint tiny-ep Failed");
    await ui.see("FailureReason: The primary container for production variant");
  });
});

describe("invoke and teardown", () => {
  it("sends a prompt with generation parameters and shows the answer and latency", async () => {
    const ui = await mount();
    await ui.press("i", "h", "i", KEYS.tab, KEYS.right, KEYS.tab, KEYS.left, KEYS.enter);
    await vi.waitFor(() => expect(ui.calls.invoked).toEqual([{ prompt: "hi", maxNewTokens: 160, temperature: 0.6 }]));
    await ui.see("echo: hi");
    await ui.see("in 42 ms");
    await ui.press(KEYS.esc);
    await ui.see("Experiments");
  });

  it("confirms, destroys and removes the stack", async () => {
    const ui = await mount();
    await ui.press("d");
    await ui.see("Destroy this experiment");
    await ui.press("y");
    await vi.waitFor(() => expect(ui.calls.destroyed).toEqual(["seed-run"]));
    await ui.see("✓ seed-run destroyed and removed");
    await ui.press(KEYS.esc);
    await ui.see("seed-run", { absent: true });
  });

  it("destroys all finished experiments, not the one updating", async () => {
    const ui = await mount();
    await ui.press("D", "y");
    await vi.waitFor(() => expect(ui.calls.destroyed).toEqual(["seed-run", "tiny"]));
    await ui.see("All gone");
  });
});
