// Process entry: no command on a terminal opens the TUI straight away (the command line's modules
// are not even loaded before its first frame); anything else runs the CLI and exits with its code.
const tui = process.argv.length <= 2 && process.stdout.isTTY && process.stdin.isTTY;
if (tui) {
  const { openTui } = await import("./open-tui.js");
  process.exitCode = await openTui();
} else {
  const { main } = await import("./main.js");
  process.exitCode = await main(process.argv);
}
