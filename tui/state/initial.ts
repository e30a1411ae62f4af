// The state before anything is known: the first frame renders this, with no backend loaded.
import type { Command, CommandInput, State } from "./types.js";

export function initialState(sandbox: boolean, now: number): State {
  return {
    screen: "stacks",
    help: false,
    sandbox,
    backend: "loading",
    catalog: null,
    now,
    stacks: { items: [], phase: "loading", selected: 0 },
    form: { choices: null, focus: 0, rehearse: false, plan: null, extras: {}, grid: null },
    preview: null,
    runs: {},
    invoke: null,
    teardown: null,
    marked: [],
    compare: null,
    commands: [],
    nextCommandId: 1,
  };
}

/** Commands kept for the runner to pick up; older ones have run long ago. */
const COMMANDS_KEPT = 32;

/** Queues commands for the runner (hooks/use-commands.ts); the reducer stays pure. */
export function withCommands(state: State, ...inputs: CommandInput[]): State {
  let id = state.nextCommandId;
  const added = inputs.map((c) => ({ ...c, id: id++ }) as Command);
  return { ...state, commands: [...state.commands, ...added].slice(-COMMANDS_KEPT), nextCommandId: id };
}

/** Anything running that quitting would interrupt. */
export function busy(state: State): boolean {
  return (
    Object.values(state.runs).some((r) => r.phase === "running" && r.action !== "attach") ||
    state.teardown?.phase === "running"
  );
}

/** Whether anything on screen animates (spinners, elapsed time): the tick then updates `now`. */
export function animating(state: State): boolean {
  return (
    state.backend === "loading" ||
    state.stacks.phase === "loading" ||
    state.preview?.phase === "running" ||
    state.invoke?.phase === "running" ||
    state.compare?.phase === "loading" ||
    Object.values(state.runs).some((r) => r.phase === "running")
  );
}
