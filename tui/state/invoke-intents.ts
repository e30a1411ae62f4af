// The Invoke screen: a prompt, two generation parameters, send.
import { withCommands } from "./initial.js";
import type { Intent, InvokeState, State } from "./types.js";

const round1 = (x: number) => Math.round(x * 10) / 10;

function adjust(invoke: InvokeState, delta: number): InvokeState {
  const p = invoke.params;
  if (invoke.focus === 1)
    return { ...invoke, params: { ...p, maxNewTokens: Math.max(1, Math.min(4096, p.maxNewTokens + 32 * delta)) } };
  if (invoke.focus === 2)
    return { ...invoke, params: { ...p, temperature: Math.max(0, Math.min(2, round1(p.temperature + 0.1 * delta))) } };
  return invoke;
}

export function invokeIntent(state: State, intent: Intent): State {
  const invoke = state.invoke;
  if (!invoke) return { ...state, screen: "stacks" };
  const set = (next: InvokeState) => ({ ...state, invoke: next });
  switch (intent.type) {
    case "move":
      return set({ ...invoke, focus: ((((invoke.focus + intent.delta) % 3) + 3) % 3) as InvokeState["focus"] });
    case "cycle":
      return set(adjust(invoke, intent.delta));
    case "text":
      return invoke.focus === 0 ? set({ ...invoke, prompt: invoke.prompt + intent.text }) : state;
    case "erase":
      return invoke.focus === 0 ? set({ ...invoke, prompt: invoke.prompt.slice(0, -1) }) : state;
    case "submit":
      if (invoke.phase === "running" || invoke.prompt.trim() === "") return state;
      return withCommands(set({ ...invoke, phase: "running", error: undefined }), {
        kind: "invoke",
        stack: invoke.stack,
        prompt: invoke.prompt,
        params: invoke.params,
      });
    case "back": {
      const run = state.runs[invoke.stack];
      return { ...state, screen: run ? "run" : "stacks" };
    }
    default:
      return state;
  }
}
