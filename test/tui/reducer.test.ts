import { describe, expect, it } from "vitest";
import type { ProgressEvent } from "../../program/events.js";
import { coalesce } from "../../tui/state/batch.js";
import { initialState } from "../../tui/state/initial.js";
import { QUIT_NOTICE } from "../../tui/state/intents.js";
import { reducer } from "../../tui/state/reducer.js";
import { FEED_MAX, LOG_TAIL, LOSS_MAX } from "../../tui/state/run.js";
import type { Action, State } from "../../tui/state/types.js";
import { themeFor } from "../../tui/theme.js";
import { catalog, failedJob, fakePlan, longRun, stacks } from "./fixtures.js";

const deepFreeze = <T>(value: T): T => {
  if (value && typeof value === "object" && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
};
const run = (state: State, ...actions: Action[]) => actions.reduce((s, a) => reducer(deepFreeze(s), a), state);
const ready = () =>
  run(
    initialState(true, 0),
    { type: "backend-ready", sandbox: true, catalog },
    { type: "stacks-loaded", items: stacks },
  );
const attached = (events: ProgressEvent[]) =>
  run(ready(), { type: "open" }, { type: "events", to: "run", stack: "seed-run", events });

describe("reducer", () => {
  it("lists stacks once the backend is ready, and keeps the selection in range", () => {
    const s = ready();
    expect(s.commands.map((c) => c.kind)).toEqual(["list"]);
    const moved = run(s, { type: "move", delta: 10 });
    expect(moved.stacks.selected).toBe(2);
    expect(run(moved, { type: "stacks-loaded", items: stacks.slice(0, 1) }).stacks.selected).toBe(0);
  });

  it("opening a stack attaches; leaving detaches and refreshes the list", () => {
    const s = run(ready(), { type: "open" });
    expect(s.screen).toBe("run");
    expect(s.commands.at(-1)).toMatchObject({ kind: "attach", stack: "seed-run" });
    const back = run(s, { type: "back" });
    expect(back.commands.slice(-2).map((c) => c.kind)).toEqual(["detach", "list"]);
  });

  it("folds a long run into bounded state", () => {
    const s = attached(longRun(3000, 5000)).runs["seed-run"]!;
    expect(s.hosts).toEqual(["algo-1", "algo-2"]);
    expect(s.logs["algo-1"]).toHaveLength(LOG_TAIL);
    expect(s.logs["algo-1"]!.at(-1)).toContain("step 2999");
    expect(s.feed.items.length).toBeLessThanOrEqual(FEED_MAX);
    expect(s.feed.gen).toBe(1);
    expect(s.loss.length).toBeLessThan(LOSS_MAX);
    expect(s.lossPoints).toBe(5000);
    expect(s.loss.length * s.lossStride).toBeGreaterThanOrEqual(4096);
    expect(s.timeline.map((t) => t.secondaryStatus)).toEqual(["Starting", "Downloading", "Training"]);
    expect(s.costUsd).toBe(42.5);
    expect(s.endpoint).toEqual({ name: "seed-run-ep", status: "Creating" });
  });

  it("keeps a failed job's FailureReason and the failed resource", () => {
    const s = attached(failedJob).runs["seed-run"]!;
    expect(s.failureReason).toBe("AlgorithmError: CUDA out of memory (exit code 1)");
    expect(s.resources).toHaveLength(1);
    expect(s.resources[0]).toMatchObject({ status: "failed", message: "training job failed: AlgorithmError" });
  });

  it("switching hosts starts a new Static feed with the other host's recent lines", () => {
    const s = run(attached(longRun(50, 0)), { type: "host", delta: 1 }).runs["seed-run"]!;
    expect(s.selectedHost).toBe(1);
    expect(s.feed.gen).toBe(1);
    expect(s.feed.items.every((l) => l.host === "algo-2")).toBe(true);
    expect(s.feed.items.at(-1)?.line).toContain("step 49");
  });

  it("run-finished records the problem and its next step", () => {
    const s = run(
      ready(),
      { type: "open" },
      { type: "run-finished", to: "run", stack: "seed-run", at: 5, problem: { message: "boom", nextStep: "retry" } },
    );
    expect(s.runs["seed-run"]).toMatchObject({ phase: "failed", error: { message: "boom", nextStep: "retry" } });
  });

  it("a preset change brings the preset's defaults; each change re-plans", () => {
    const s = run(ready(), { type: "create" });
    expect(s.form.choices?.preset).toBe("seed");
    const next = run(s, { type: "cycle", delta: 1 });
    expect(next.form.choices).toEqual(catalog.presets[1]!.defaults);
    expect(next.commands.at(-1)).toMatchObject({ kind: "plan", choices: catalog.presets[1]!.defaults });
  });

  it("Enter right after a change waits for that change's plan, then opens it: a stale plan is never previewed", () => {
    const s = run(ready(), { type: "create" });
    const seedPlan = { type: "planned" as const, result: fakePlan(s.form.choices!), choices: s.form.choices! };
    // the preset changes (a re-plan is queued), and Enter comes before that plan arrives
    const early = run(s, seedPlan, { type: "cycle", delta: 1 }, { type: "submit" });
    expect(early.screen).toBe("new");
    expect(early.notice).toMatch(/planning: the plan opens when it is ready/);
    expect(early.commands.some((c) => c.kind === "preview")).toBe(false);
    // a late answer for the old choices does not open anything
    const late = run(early, seedPlan);
    expect(late.screen).toBe("new");
    expect(late.commands.some((c) => c.kind === "preview")).toBe(false);
    // the plan of the choices on screen arrives: the waiting Enter goes on, no second key needed
    const tiny = early.form.choices!;
    const opened = run(late, { type: "planned", result: fakePlan(tiny), choices: tiny });
    expect(opened.screen).toBe("plan");
    expect(opened.commands.at(-1)).toMatchObject({ kind: "preview", stack: tiny.name });
  });

  it("a change after a waiting Enter cancels it: the plan of the new choices does not open by itself", () => {
    const s = run(ready(), { type: "create" });
    const waiting = run(s, { type: "cycle", delta: 1 }, { type: "submit" });
    expect(waiting.form.submitWhenPlanned).toBe(true);
    const changed = run(waiting, { type: "cycle", delta: 1 });
    expect(changed.form.submitWhenPlanned).toBeUndefined();
    const choices = changed.form.choices!;
    const planned = run(changed, { type: "planned", result: fakePlan(choices), choices });
    expect(planned.screen).toBe("new");
    expect(planned.commands.some((c) => c.kind === "preview")).toBe(false);
  });

  it("a guard error blocks the plan; a clean plan previews, and up waits for the preview", () => {
    const s = run(ready(), { type: "create" });
    const bad = { ...s.form.choices!, serveInstance: "ml.g5.12xlarge" };
    // the backend's answer for the choices on screen: a guard error
    const blocked = run(s, { type: "planned", result: fakePlan(bad), choices: s.form.choices! }, { type: "submit" });
    expect(blocked.screen).toBe("new");
    expect(blocked.notice).toMatch(/fix the 1 error/);
    const planned = run(
      s,
      { type: "planned", result: fakePlan(s.form.choices!), choices: s.form.choices! },
      { type: "submit" },
    );
    expect(planned.screen).toBe("plan");
    expect(planned.commands.at(-1)).toMatchObject({ kind: "preview", stack: "seed" });
    const early = run(planned, { type: "confirm" });
    expect(early.screen).toBe("plan");
    const done = run(
      planned,
      { type: "toggle-rehearse" },
      { type: "run-finished", to: "preview", stack: "seed", at: 1 },
      { type: "confirm" },
    );
    expect(done.screen).toBe("run");
    expect(done.commands.at(-1)).toMatchObject({ kind: "up", stack: "seed", rehearse: true });
  });

  it("quitting while an operation runs asks first", () => {
    const s = run(ready(), { type: "run-started", to: "run", stack: "x", action: "up", at: 0 });
    const asked = run(s, { type: "quit" });
    expect(asked.notice).toBe(QUIT_NOTICE);
    expect(asked.commands.at(-1)?.kind).not.toBe("exit");
    expect(run(asked, { type: "quit" }).commands.at(-1)?.kind).toBe("exit");
    expect(run(ready(), { type: "quit" }).commands.at(-1)?.kind).toBe("exit");
  });

  it("teardown: confirm issues destroy; removals leave the list; the end refreshes it", () => {
    const s = run(ready(), { type: "destroy-finished" });
    expect(s.teardown?.stacks).toEqual(["seed-run", "tiny"]);
    const going = run(s, { type: "confirm" });
    expect(going.commands.at(-1)).toMatchObject({ kind: "destroy", stacks: ["seed-run", "tiny"] });
    const gone = run(
      going,
      { type: "removed", stack: "seed-run" },
      { type: "removed", stack: "tiny" },
      { type: "teardown-finished" },
    );
    expect(gone.stacks.items.map((i) => i.name)).toEqual(["busy"]);
    expect(gone.teardown?.phase).toBe("done");
    expect(gone.commands.at(-1)?.kind).toBe("list");
  });

  it("coalesces a burst of single-event reports into one", () => {
    const actions: Action[] = Array.from({ length: 10_000 }, (_, i) => ({
      type: "events",
      to: "run",
      stack: "a",
      events: [{ type: "metric", name: "loss", value: i, step: i }],
    }));
    const merged = coalesce([...actions, { type: "tick", now: 1 }, ...actions.slice(0, 2)]);
    expect(merged).toHaveLength(3);
    expect(merged[0]).toMatchObject({ type: "events" });
    expect((merged[0] as { events: unknown[] }).events).toHaveLength(10_000);
    expect(actions[0]).toMatchObject({ events: [{ value: 0 }] });
  });

  it("drops every colour under NO_COLOR", () => {
    expect(Object.values(themeFor({ NO_COLOR: "1" })).every((c) => c === undefined)).toBe(true);
    expect(themeFor({}).error).toBe("red");
  });
});
