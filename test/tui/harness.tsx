// Mounts the whole TUI on the fake backend at 80x24, with keys and a wait for the shared tick.
import { render } from "ink-testing-library";
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
  await settle();
  const press = async (...keys: string[]) => {
    for (const key of keys) {
      app.stdin.write(key);
      await settle(25);
    }
    await settle();
  };
  const frame = () => app.lastFrame() ?? "";
  return { ...app, calls, press, frame };
}

/** Every line of the frame fits the width, and the live area is shorter than the terminal. */
export function fits(frame: string, columns = 80, rows = 24): boolean {
  const lines = frame.split("\n");
  return lines.every((l) => [...l].length <= columns) && lines.length < rows;
}
