// Folding a tick's worth of reports into one action: runs of `events` for the same run are
// merged, so 10,000 events in a burst are one reducer pass and one render.
import type { ProgressEvent } from "../../program/events.js";
import type { Action } from "./types.js";

export function coalesce(actions: readonly Action[]): Action[] {
  const out: Action[] = [];
  // the merged event lists are ours to append to (never the callers' arrays)
  let merging: ProgressEvent[] | undefined;
  for (const action of actions) {
    const last = out[out.length - 1];
    if (action.type === "events" && last?.type === "events" && last.to === action.to && last.stack === action.stack) {
      if (!merging) {
        merging = [...last.events];
        out[out.length - 1] = { ...last, events: merging };
      }
      for (const e of action.events) merging.push(e);
    } else {
      out.push(action);
      merging = undefined;
    }
  }
  return out;
}

/** The shared tick: what the UI waits at most for a batch (10 renders a second). */
export const TICK_MS = 100;
