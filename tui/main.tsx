// The TUI's entry: draws the first frame with nothing heavy loaded, then the backend (Pulumi,
// the AWS SDK) arrives through the loader the caller passes, after mount. Imports here stay light.
import { render } from "ink";
import type { Backend } from "../program/app/contract.js";
import { App } from "./components/App.js";
import { TICK_MS } from "./state/batch.js";

export interface TuiOptions {
  loadBackend: () => Promise<Backend>;
  sandbox: boolean;
}

/** Renders until the user quits; resolves with the exit code. */
export async function runTui({ loadBackend, sandbox }: TuiOptions): Promise<number> {
  const instance = render(<App loadBackend={loadBackend} sandbox={sandbox} />, {
    // the reducer is fed on a 100 ms tick; Ink never draws faster than that either
    maxFps: Math.round(1000 / TICK_MS),
    // Ctrl-C is an intent: the first one asks, the second interrupts the running operation
    exitOnCtrlC: false,
    // zerostack opens the TUI only on a terminal: draw live even where CI is set (Ink would
    // otherwise write only the last frame at exit)
    interactive: Boolean(process.stdout.isTTY),
  });
  await instance.waitUntilExit();
  return 0;
}
