// Is a process alive? A zombie (exited, not yet reaped: common where PID 1 reaps slowly, as in
// containers) counts as dead.
import { readFileSync } from "node:fs";

export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const close = stat.lastIndexOf(")");
    return stat.slice(close + 2, close + 3) !== "Z";
  } catch {
    return true; // no /proc (macOS): trust kill(0)
  }
}
