// The Compare screen: space marks experiments on the Stacks screen, `c` compares the marked ones
// (or the selected one when none is marked), `r` reads them again, Esc goes back.
import { withCommands } from "./initial.js";
import type { Intent, State } from "./types.js";

export function toggleMark(state: State, stack: string): State {
  const marked = state.marked.includes(stack) ? state.marked.filter((m) => m !== stack) : [...state.marked, stack];
  return { ...state, marked };
}

export function openCompare(state: State): State {
  const order = state.stacks.items.map((s) => s.name);
  const marked = order.filter((name) => state.marked.includes(name));
  const selected = state.stacks.items[state.stacks.selected]?.name;
  const stacks = marked.length > 0 ? marked : selected ? [selected] : [];
  if (stacks.length === 0) return { ...state, notice: "nothing to compare: mark experiments with space" };
  return withCommands(
    { ...state, screen: "compare", compare: { stacks, phase: "loading" } },
    { kind: "compare", stacks },
  );
}

export function compareIntent(state: State, intent: Intent): State {
  const c = state.compare;
  if (intent.type === "back" || !c) return withCommands({ ...state, screen: "stacks" }, { kind: "list" });
  if (intent.type === "refresh" && c.phase !== "loading")
    return withCommands(
      { ...state, compare: { stacks: c.stacks, phase: "loading" } },
      { kind: "compare", stacks: c.stacks },
    );
  return state;
}
