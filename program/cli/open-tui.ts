// Opens the terminal UI. The first frame is drawn with only Ink and React loaded; the backend
// (Pulumi's Automation API, the AWS SDK, the sandbox) is imported after it, by the TUI.
import { ExitCode } from "../errors.js";
import { sandboxMode } from "../sandbox-client/mode.js";

export async function openTui(): Promise<number> {
  const { runTui } = await import("../../tui/main.js");
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
