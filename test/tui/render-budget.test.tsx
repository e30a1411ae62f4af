// However fast events come, the UI renders on the shared ~100 ms tick: frames are counted with
// ink-testing-library (its debug mode writes one frame per React commit, unthrottled).
import { cleanup } from "ink-testing-library";
import { afterEach, expect, it } from "vitest";
import type { ProgressEvent } from "../../program/events.js";
import { KEYS, mount, settle } from "./harness.js";

afterEach(() => cleanup());

const burst = (n: number): ProgressEvent[] =>
  Array.from(
    { length: n },
    (_, i): ProgressEvent =>
      i % 2 === 0
        ? { type: "log", host: `algo-${1 + (i % 4)}`, line: `line ${i}`, at: "2025-06-01T12:00:00Z" }
        : { type: "metric", name: "loss", value: 1 / (1 + i), step: i },
  );

it("10,000 events in one burst make a bounded number of frames", async () => {
  const ui = await mount({ attach: { "seed-run": burst(10_000) } });
  const before = ui.frames.length;
  await ui.press(KEYS.enter);
  await settle(300);
  const frames = ui.frames.length - before;
  // the key's own frame, the batch, and at most a few ticks after it
  expect(frames).toBeLessThanOrEqual(6);
  await ui.see(/loss 0\.\d+ · 5000 points/);
});

it("10,000 events spread over a second render about 10 times a second", async () => {
  const events = burst(10_000);
  let allSent: () => void = () => {};
  const sentAll = new Promise<void>((resolve) => (allSent = resolve));
  const ui = await mount({
    stream: (onEvent, signal) => {
      let sent = 0;
      const timer = setInterval(() => {
        for (const e of events.slice(sent, sent + 100)) onEvent(e);
        sent += 100;
        if (sent >= events.length) {
          clearInterval(timer);
          allSent();
        }
      }, 10);
      signal.addEventListener("abort", () => clearInterval(timer));
    },
  });
  await ui.press(KEYS.enter);
  const before = ui.frames.length;
  const started = Date.now();
  // on a busy machine the sender's 10 ms timer runs late: wait for the last event, then a tick
  await sentAll;
  await settle(300);
  const seconds = (Date.now() - started) / 1000;
  const frames = ui.frames.slice(before);
  const changed = frames.filter((f, i) => f !== (i === 0 ? ui.frames[before - 1] : frames[i - 1])).length;
  const ticks = Math.ceil(seconds * 10) + 2;
  // one new frame per tick at most; <Static> adds one commit after each batch that prints lines,
  // with the same output (its items move into the scrollback), so at most two commits per tick
  expect(changed).toBeLessThanOrEqual(ticks);
  expect(frames.length).toBeLessThanOrEqual(2 * ticks);
  await ui.see(/loss 0\.\d+ · 5000 points/);
});
