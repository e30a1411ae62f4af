// The wiring, in one place: the reducer, the shared tick, the backend (loaded after the first
// frame), the command runner, and the keys. Components only get the state and nothing to call.
import { useApp, useInput } from "ink";
import { useEffect, useReducer, useRef } from "react";
import { problemOf, type Backend } from "../../program/app/contract.js";
import { keyToIntents } from "../keys.js";
import { carryOut } from "../runner.js";
import { initialState } from "../state/initial.js";
import { reducer } from "../state/reducer.js";
import type { State } from "../state/types.js";
import { useTicker } from "./use-ticker.js";

export interface AppWiring {
  loadBackend: () => Promise<Backend>;
  /** Known before any heavy import (program/sandbox-client/mode.ts): the banner is in the first frame. */
  sandbox: boolean;
  now?: () => number;
}

export function useAppState({ loadBackend, sandbox, now = Date.now }: AppWiring): State {
  const [state, dispatch] = useReducer(reducer, undefined, () => initialState(sandbox, now()));
  const stateRef = useRef(state);
  stateRef.current = state;
  const enqueue = useTicker(dispatch, stateRef, now);
  const backend = useRef<Backend | null>(null);
  const controllers = useRef(new Map<string, AbortController>());
  const ran = useRef(0);
  const { exit } = useApp();

  useEffect(() => {
    let cancelled = false;
    // after the first frame is on screen: the backend pulls in Pulumi and the AWS SDK
    const timer = setTimeout(() => {
      loadBackend().then(
        (b) => {
          if (cancelled) return;
          backend.current = b;
          enqueue({ type: "backend-ready", sandbox: b.sandbox, catalog: b.catalog() });
        },
        (error: unknown) => enqueue({ type: "backend-failed", problem: problemOf(error) }),
      );
    }, 0);
    return () => {
      cancelled = true;
      clearTimeout(timer);
      for (const controller of controllers.current.values()) controller.abort();
    };
  }, [loadBackend, enqueue]);

  useEffect(() => {
    for (const command of state.commands) {
      if (command.id <= ran.current) continue;
      ran.current = command.id;
      carryOut(command, {
        backend: backend.current,
        enqueue,
        controllers: controllers.current,
        exit: () => exit(),
        now,
      });
    }
  }, [state.commands, enqueue, exit, now]);

  useInput((input, key) => {
    const intents = keyToIntents(stateRef.current, input, key);
    if (intents.length === 1 && intents[0]) dispatch(intents[0]);
    else if (intents.length > 1) dispatch({ type: "batch", actions: intents });
  });

  return state;
}
