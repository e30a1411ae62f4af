// What a key means on each screen: pure state changes plus commands for the runner.
import { hasGrid } from "./fields.js";
import { busy, withCommands } from "./initial.js";
import { newRun, switchHost } from "./run.js";
import type { Intent, State } from "./types.js";
import { formIntent } from "./form-intents.js";
import { compareIntent, openCompare, toggleMark } from "./compare-intents.js";
import { invokeIntent } from "./invoke-intents.js";

const clamp = (i: number, n: number) => Math.max(0, Math.min(n - 1, i));

export function openForm(state: State): State {
  const first = state.catalog?.presets[0];
  const form = state.form.choices || !first ? state.form : { ...state.form, choices: first.defaults, focus: 0 };
  const next = { ...state, screen: "new" as const, form };
  if (!form.choices) return next;
  return withCommands(next, {
    kind: "plan",
    choices: form.choices,
    ...(hasGrid(form.extras) ? { extras: form.extras } : {}),
  });
}

function openRun(state: State, stack: string): State {
  const run = state.runs[stack];
  const next = { ...state, screen: "run" as const, current: stack };
  if (run && run.phase === "running" && run.action !== "attach") return next;
  // not running here: re-attach from scratch (the backend replays what it knows)
  return withCommands(
    { ...next, runs: { ...state.runs, [stack]: newRun(stack, "attach", state.now) } },
    { kind: "attach", stack },
  );
}

function leaveRun(state: State): State {
  const run = state.current ? state.runs[state.current] : undefined;
  const next = { ...state, screen: "stacks" as const };
  const detached =
    run && run.action === "attach" && run.phase === "running"
      ? withCommands(next, { kind: "detach", stack: run.stack })
      : next;
  return withCommands(detached, { kind: "list" });
}

function openTeardown(state: State, stacks: string[]): State {
  if (stacks.length === 0) return { ...state, notice: "nothing to destroy" };
  return { ...state, screen: "teardown", teardown: { stacks, phase: "confirm", removed: [] } };
}

function openInvoke(state: State, stack: string | undefined): State {
  if (!stack) return state;
  const keep = state.invoke?.stack === stack ? state.invoke : null;
  return {
    ...state,
    screen: "invoke",
    current: stack,
    invoke: keep ?? { stack, prompt: "", params: { maxNewTokens: 128, temperature: 0.7 }, focus: 0, phase: "idle" },
  };
}

function stacksIntent(state: State, intent: Intent): State {
  const items = state.stacks.items;
  const selected = items[state.stacks.selected]?.name;
  switch (intent.type) {
    case "move":
      return {
        ...state,
        stacks: { ...state.stacks, selected: clamp(state.stacks.selected + intent.delta, items.length) },
      };
    case "open":
    case "submit":
      return selected ? openRun(state, selected) : state;
    case "create":
      return openForm(state);
    case "destroy":
      return selected ? openTeardown(state, [selected]) : state;
    case "destroy-finished":
      return openTeardown(
        state,
        items.filter((s) => s.status !== "updating" && state.runs[s.name]?.phase !== "running").map((s) => s.name),
      );
    case "refresh":
      return withCommands({ ...state, stacks: { ...state.stacks, phase: "loading" } }, { kind: "list" });
    case "invoke":
      return openInvoke(state, selected);
    case "mark":
      return selected ? toggleMark(state, selected) : state;
    case "compare":
      return openCompare(state);
    default:
      return state;
  }
}

function runIntent(state: State, intent: Intent): State {
  const run = state.current ? state.runs[state.current] : undefined;
  switch (intent.type) {
    case "host":
      return run ? { ...state, runs: { ...state.runs, [run.stack]: switchHost(run, intent.delta) } } : state;
    case "back":
      return leaveRun(state);
    case "invoke":
      return openInvoke(state, state.current);
    case "destroy":
      return state.current ? openTeardown(state, [state.current]) : state;
    default:
      return state;
  }
}

function teardownIntent(state: State, intent: Intent): State {
  const t = state.teardown;
  if (!t) return { ...state, screen: "stacks" };
  if (intent.type === "confirm" && t.phase === "confirm") {
    return withCommands({ ...state, teardown: { ...t, phase: "running" } }, { kind: "destroy", stacks: t.stacks });
  }
  if (intent.type === "back")
    return withCommands({ ...state, screen: "stacks", teardown: t.phase === "running" ? t : null }, { kind: "list" });
  return state;
}

function quit(state: State): State {
  if (busy(state) && state.notice !== QUIT_NOTICE) return { ...state, notice: QUIT_NOTICE };
  return withCommands(state, { kind: "exit" });
}
export const QUIT_NOTICE = "An operation is running: press q again to interrupt it and quit.";

export function applyIntent(state: State, intent: Intent): State {
  if (intent.type === "help") return { ...state, help: !state.help };
  if (state.help && intent.type === "back") return { ...state, help: false };
  if (intent.type === "quit") return quit(state);
  const s = state.notice ? { ...state, notice: undefined } : state;
  switch (s.screen) {
    case "stacks":
      return stacksIntent(s, intent);
    case "new":
    case "plan":
      return formIntent(s, intent);
    case "run":
      return runIntent(s, intent);
    case "invoke":
      return invokeIntent(s, intent);
    case "teardown":
      return teardownIntent(s, intent);
    case "compare":
      return compareIntent(s, intent);
  }
}
