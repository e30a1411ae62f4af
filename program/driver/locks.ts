// File-backend stack locks never expire (pulumi#9253): a killed `up` leaves its lock behind and
// every later update fails as "currently locked". A lock whose process is gone from this host is
// stale and safe to remove; a live one is a real concurrent update (exit 3).
import { readdirSync, readFileSync, rmSync } from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";
import type { EventSink } from "../events.js";
import { pidAlive } from "../env/process.js";
import { stateLayout } from "../env/paths.js";
import { repairStateSidecars } from "./state-sidecars.js";
import { PROJECT, type DriverContext } from "./workspace.js";

export interface StackLock {
  file: string;
  pid: number;
  hostname: string;
  username: string;
  timestamp: string;
}

/** The DIY backend keeps locks in .pulumi/locks/organization/<project>/<stack>/<id>.json. */
export function lockDir(ctx: DriverContext, stackName: string): string | undefined {
  const url = stateLayout(ctx.sandbox, ctx.env ?? process.env).backendUrl;
  if (!url.startsWith("file://")) return undefined;
  return join(url.slice("file://".length), ".pulumi", "locks", "organization", PROJECT, stackName);
}

export function readLocks(dir: string): StackLock[] {
  let files: string[];
  try {
    files = readdirSync(dir).filter((f) => f.endsWith(".json"));
  } catch {
    return [];
  }
  return files.flatMap((f) => {
    try {
      const lock = JSON.parse(readFileSync(join(dir, f), "utf8")) as Omit<StackLock, "file">;
      return [{ ...lock, file: join(dir, f) }];
    } catch {
      return [];
    }
  });
}

export function isStale(lock: StackLock, host = hostname(), alive: (pid: number) => boolean = pidAlive): boolean {
  return lock.hostname === host && !alive(lock.pid);
}

/** The lock and the attributes file the Go blob library writes beside it. */
function removeLock(lock: StackLock): void {
  rmSync(lock.file, { force: true });
  rmSync(`${lock.file}.attrs`, { force: true });
}

/**
 * Removes the locks of processes that died on this host, and the state sidecars a killed process
 * left unreadable (program/driver/state-sidecars.ts); returns the live locks left.
 */
export async function clearStaleLocks(ctx: DriverContext, stackName: string, onEvent: EventSink): Promise<StackLock[]> {
  for (const file of repairStateSidecars(ctx, PROJECT, stackName)) {
    onEvent({
      type: "diagnostic",
      severity: "warning",
      message: `removed ${file}: a killed process left it unreadable (Pulumi would fail with "failed to load checkpoint: EOF")`,
    });
  }
  const dir = lockDir(ctx, stackName);
  if (!dir) return [];
  const live: StackLock[] = [];
  for (const lock of readLocks(dir)) {
    if (isStale(lock)) {
      removeLock(lock);
      onEvent({
        type: "diagnostic",
        severity: "warning",
        message: `removed the lock of a process that died (pid ${lock.pid}, ${lock.timestamp})`,
      });
    } else live.push(lock);
  }
  return live;
}

/** Whether an update runs on the stack: a live lock on the file backend, else the engine's word. */
export async function isUpdating(ctx: DriverContext, stackName: string): Promise<boolean> {
  const dir = lockDir(ctx, stackName);
  if (dir) return readLocks(dir).some((lock) => !isStale(lock));
  const { listStacks } = await import("./operations.js");
  return (await listStacks(ctx)).some((s) => s.name === stackName && s.updateInProgress);
}

/** `zerostack cancel`: removes every lock of the stack (live ones only with force). */
export function removeLocks(
  ctx: DriverContext,
  stackName: string,
  force: boolean,
): { removed: StackLock[]; live: StackLock[] } {
  const dir = lockDir(ctx, stackName);
  if (!dir) return { removed: [], live: [] };
  const removed: StackLock[] = [];
  const live: StackLock[] = [];
  for (const lock of readLocks(dir)) {
    if (isStale(lock) || force) {
      removeLock(lock);
      removed.push(lock);
    } else live.push(lock);
  }
  return { removed, live };
}
