// Marks every process the test run starts (through the environment they inherit), and fails
// the run if any of them outlives it: no emulator, engine or provider may be left behind.
import { randomUUID } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";

const MARK = "ZEROSTACK_TEST_RUN";

export function setup(): void {
  process.env[MARK] = randomUUID();
}

export function markedProcesses(mark: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync("/proc")) {
    const pid = Number(entry);
    if (!Number.isInteger(pid) || pid === process.pid) continue;
    try {
      const environ = readFileSync(`/proc/${pid}/environ`, "utf8");
      if (!environ.split("\0").includes(`${MARK}=${mark}`)) continue;
      // vitest's own helpers (its watchdog, workers) carry the mark too
      if (readFileSync(`/proc/${pid}/cmdline`, "utf8").includes("vitest")) continue;
      pids.push(pid);
    } catch {
      // gone, or not ours to read
    }
  }
  return pids;
}

function commandOf(pid: number): string {
  return readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").join(" ").slice(0, 160);
}

/** A leaked process, with what says which test left it: its parent (alive or not), its
 * ZEROSTACK_HOME (each test's own), and how long it has run. */
function describe(pid: number): string {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const ppid = Number(fields[1]);
    const ticks = Number(fields[19]);
    const uptime = Number(readFileSync("/proc/uptime", "utf8").split(" ")[0]);
    const age = uptime - ticks / 100; // USER_HZ is 100 on Linux
    let parent = "gone";
    try {
      parent = commandOf(ppid).slice(0, 80);
    } catch {
      // gone
    }
    const home =
      readFileSync(`/proc/${pid}/environ`, "utf8")
        .split("\0")
        .find((v) => v.startsWith("ZEROSTACK_HOME=")) ?? "ZEROSTACK_HOME unset";
    return `${pid}: ${commandOf(pid)}\n  running ${age.toFixed(0)} s; parent ${ppid}: ${parent}; ${home}`;
  } catch {
    return String(pid);
  }
}

export async function teardown(): Promise<void> {
  const mark = process.env[MARK];
  if (!mark) return;
  // let processes that are exiting right now finish (a provider whose engine died exits on its
  // next check, every second; a loaded machine can take a few)
  let left = markedProcesses(mark);
  for (let i = 0; i < 150 && left.length > 0; i++) {
    await new Promise((r) => setTimeout(r, 100));
    left = markedProcesses(mark);
  }
  if (left.length === 0) return;
  const names = left.map(describe);
  for (const pid of left) {
    try {
      process.kill(pid, "SIGKILL");
    } catch {
      // already gone
    }
  }
  throw new Error(`processes outlived the test run (killed now):\n${names.join("\n")}`);
}
