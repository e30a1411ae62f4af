// Opens the terminal UI. The first frame is drawn with only Ink and React loaded; the backend
// (Pulumi's Automation API, the AWS SDK, the sandbox) is imported after it, by the TUI.
import { statSync } from "node:fs";
import { ExitCode } from "../errors.js";
import { sandboxMode } from "../sandbox-client/mode.js";

type TuiModule = typeof import("../../tui/main.js");

const mtime = (url: URL) => statSync(url, { throwIfNoEntry: false })?.mtimeMs ?? 0;

/** The bundled TUI (scripts/bundle-tui.mjs: one file, not Ink's hundreds) unless it is older than the build. */
async function loadTui(): Promise<TuiModule> {
  const bundle = new URL("../../tui-bundle/tui.js", import.meta.url);
  const built = new URL("../../tui/main.js", import.meta.url);
  if (mtime(bundle) >= mtime(built) && mtime(bundle) > 0) return (await import(bundle.href)) as TuiModule;
  return import("../../tui/main.js");
}

export async function openTui(): Promise<number> {
  const { runTui } = await loadTui();
  // cheap (environment and two file checks): the SANDBOX banner is in the first frame
  const sandbox = sandboxMode(undefined);
  await runTui({
    sandbox,
    loadBackend: async () => {
      const { createBackend } = await import("../app/backend.js");
      return createBackend({ sandbox });
    },
  });
  return ExitCode.ok;
}
