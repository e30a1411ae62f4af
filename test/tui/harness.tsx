// Mounts the whole TUI on the fake backend at 80x24, with keys and a wait for the shared tick.
import { render } from "ink-testing-library";
import { vi } from "vitest";
import { App } from "../../tui/components/App.js";
import { themeFor } from "../../tui/theme.js";
import { fakeBackend, T0, type FakeOptions } from "./fixtures.js";

export const KEYS = {
  up: "\u001B[A",
  down: "\u001B[B",
  left: "\u001B[D",
  right: "\u001B[C",
  enter: "\r",
  esc: "\u001B",
  tab: "\t",
  backspace: "\u007F",
  ctrlC: "\u0003",
} as const;

export const settle = (ms = 260) => new Promise((r) => setTimeout(r, ms));

export async function mount(options: FakeOptions & { columns?: number; rows?: number } = {}) {
  const { backend, calls } = fakeBackend(options);
  const app = render(
    <App
      loadBackend={async () => backend}
      sandbox={true}
      size={{ columns: options.columns ?? 80, rows: options.rows ?? 24 }}
      theme={themeFor({ NO_COLOR: "1" })}
      now={() => T0}
    />,
  );
  const frame = () => app.lastFrame() ?? "";
  const shows = (expected: string | RegExp) =>
    typeof expected === "string" ? frame().includes(expected) : expected.test(frame());
  /**
   * Waits until the frame shows `expected` (or, with `absent`, no longer does). The UI applies
   * results on its shared tick, after backend promises settle: on a loaded machine that takes
   * longer than any fixed sleep, so tests wait for what they expect instead of sleeping.
   */
  const see = (expected: string | RegExp, { absent = false, timeout = 15_000 } = {}) =>
    vi.waitFor(
      () => {
        if (shows(expected) === absent) {
          throw new Error(`the frame ${absent ? "still shows" : "does not show"} ${String(expected)}:\n${frame()}`);
        }
      },
      { timeout, interval: 20 },
    );
  // the first frame with the backend loaded and the experiments listed (or the failure to list them)
  await see(/starting…|loading experiments…/, { absent: true });
  await settle(50);
  const press = async (...keys: string[]) => {
    for (const key of keys) {
      app.stdin.write(key);
      await settle(25);
    }
    await settle();
  };
  return { ...app, calls, press, frame, see };
}

/** Every line of the frame fits the width, and the live area is shorter than the terminal. */
export function fits(frame: string, columns = 80, rows = 24): boolean {
  const lines = frame.split("\n");
  return lines.every((l) => [...l].length <= columns) && lines.length < rows;
}
