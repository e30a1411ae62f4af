// Opens the terminal UI. Until tui/ exists this explains what to run instead.
import { ExitCode } from "../errors.js";

export async function openTui(): Promise<number> {
  process.stdout.write("The terminal UI is not built yet. Try `npx zerostack --help`.\n");
  return ExitCode.ok;
}
