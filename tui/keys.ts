// Keys -> intents, per screen, and the key list the footer and the help show. Pure.
import type { Key } from "ink";
import { FIELDS } from "./state/fields.js";
import type { Intent, Screen, State } from "./state/types.js";

export type KeyHelp = readonly (readonly [key: string, what: string])[];

export const SCREEN_KEYS: Record<Screen, KeyHelp> = {
  stacks: [
    ["↑↓", "select"],
    ["⏎", "open"],
    ["n", "new"],
    ["space", "mark"],
    ["c", "compare"],
    ["i", "invoke"],
    ["d", "destroy"],
    ["D", "destroy done"],
    ["r", "refresh"],
    ["q", "quit"],
  ],
  new: [
    ["↑↓", "field"],
    ["←→", "change"],
    ["+-", "values"],
    ["type", "name"],
    ["enter", "plan"],
    ["esc", "back"],
  ],
  plan: [
    ["y", "create"],
    ["t", "rehearse"],
    ["esc", "edit"],
  ],
  run: [
    ["←→", "host"],
    ["i", "invoke"],
    ["d", "destroy"],
    ["esc", "back"],
  ],
  invoke: [
    ["tab", "field"],
    ["←→", "adjust"],
    ["enter", "send"],
    ["esc", "back"],
  ],
  teardown: [
    ["y", "destroy"],
    ["esc", "back"],
  ],
  compare: [
    ["r", "refresh"],
    ["esc", "back"],
  ],
};

/** Whether typed characters go into a text field (then letters are not shortcuts). */
export function typing(state: State): boolean {
  if (state.help) return false;
  if (state.screen === "new") return FIELDS[state.form.focus]?.text === true;
  return state.screen === "invoke" && state.invoke?.focus === 0;
}

function common(input: string, key: Key, state: State): Intent | undefined {
  if (key.ctrl && input === "c") return { type: "quit" };
  if (key.escape) return { type: "back" };
  if (input === "?" && !typing(state)) return { type: "help" };
  if (key.upArrow) return { type: "move", delta: -1 };
  if (key.downArrow) return { type: "move", delta: 1 };
  if (key.tab) return { type: "move", delta: key.shift ? -1 : 1 };
  if (key.return) return { type: "submit" };
  return undefined;
}

const LETTERS: Partial<Record<Screen, Record<string, Intent>>> = {
  stacks: {
    j: { type: "move", delta: 1 },
    k: { type: "move", delta: -1 },
    o: { type: "open" },
    " ": { type: "mark" },
    c: { type: "compare" },
    n: { type: "create" },
    i: { type: "invoke" },
    d: { type: "destroy" },
    D: { type: "destroy-finished" },
    r: { type: "refresh" },
    q: { type: "quit" },
  },
  new: { " ": { type: "cycle", delta: 1 }, "+": { type: "add-value" }, "-": { type: "remove-value" } },
  plan: { y: { type: "confirm" }, t: { type: "toggle-rehearse" }, n: { type: "back" }, q: { type: "quit" } },
  run: {
    h: { type: "host", delta: -1 },
    l: { type: "host", delta: 1 },
    i: { type: "invoke" },
    d: { type: "destroy" },
    q: { type: "quit" },
  },
  teardown: { y: { type: "confirm" }, n: { type: "back" }, q: { type: "quit" } },
  compare: { r: { type: "refresh" }, q: { type: "quit" } },
};

// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what a typed text must lose
const CONTROL_CHARACTERS = /[\x00-\x1f\x7f]/g;

/** Typed or pasted text: a newline in it submits, as Enter would (terminals deliver a paste at once). */
function typed(input: string): Intent[] {
  return input
    .split(/(\r\n|\r|\n)/)
    .flatMap((part): Intent[] =>
      /^[\r\n]+$/.test(part)
        ? [{ type: "submit" }]
        : part === ""
          ? []
          : [{ type: "text", text: part.replace(CONTROL_CHARACTERS, "") }],
    );
}

export function keyToIntents(state: State, input: string, key: Key): Intent[] {
  if (typing(state) && input.length > 1 && !key.ctrl && !key.meta) return typed(input);
  const intent = keyToIntent(state, input, key);
  return intent ? [intent] : [];
}

export function keyToIntent(state: State, input: string, key: Key): Intent | undefined {
  const shared = common(input, key, state);
  if (shared) return shared;
  if (state.help) return undefined;
  const { screen } = state;
  if (key.leftArrow || key.rightArrow) {
    const delta = key.leftArrow ? -1 : 1;
    return screen === "run" ? { type: "host", delta } : { type: "cycle", delta };
  }
  if (key.backspace || key.delete) return { type: "erase" };
  if (typing(state) && input !== "" && !key.ctrl && !key.meta) return { type: "text", text: input };
  return LETTERS[screen]?.[input];
}
