// The one shared timer: every ~100 ms it hands the queued reports to the reducer in one
// dispatch (and advances the clock when something on screen animates). Nothing else sets a timer.
import { useCallback, useEffect, useRef, type Dispatch, type RefObject } from "react";
import { coalesce, TICK_MS } from "../state/batch.js";
import { animating } from "../state/initial.js";
import type { Action, State } from "../state/types.js";

export type Enqueue = (action: Action) => void;

export function useTicker(dispatch: Dispatch<Action>, state: RefObject<State>, now: () => number = Date.now): Enqueue {
  const queue = useRef<Action[]>([]);
  useEffect(() => {
    const timer = setInterval(() => {
      const queued = queue.current;
      const animate = animating(state.current);
      if (queued.length === 0 && !animate) return;
      queue.current = [];
      dispatch({ type: "batch", actions: [{ type: "tick", now: now() }, ...coalesce(queued)] });
    }, TICK_MS);
    return () => clearInterval(timer);
  }, [dispatch, state, now]);
  return useCallback((action: Action) => {
    queue.current.push(action);
  }, []);
}
