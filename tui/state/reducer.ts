// THE reducer: user intents, backend reports and the shared tick, all through one pure function.
import { withCommands } from "./initial.js";
import { submitIfWaiting } from "./form-intents.js";
import { applyIntent, openForm } from "./intents.js";
import { applyEvents, newRun } from "./run.js";
import type { Action, Report, RunState, State } from "./types.js";

function finish(run: RunState, at: number, problem: Report & { type: "run-finished" }): RunState {
  if (run.phase === "failed") return { ...run, finishedAt: run.finishedAt ?? at };
  return problem.problem
    ? { ...run, phase: "failed", finishedAt: at, error: problem.problem }
    : { ...run, phase: "done", finishedAt: at };
}

function withRun(state: State, to: "run" | "preview", stack: string, change: (run: RunState) => RunState): State {
  if (to === "preview") return state.preview?.stack === stack ? { ...state, preview: change(state.preview) } : state;
  const run = state.runs[stack];
  return run ? { ...state, runs: { ...state.runs, [stack]: change(run) } } : state;
}

function applyReport(state: State, report: Report): State {
  switch (report.type) {
    case "backend-ready": {
      const ready = withCommands(
        { ...state, backend: "ready" as const, sandbox: report.sandbox, catalog: report.catalog },
        { kind: "list" },
      );
      // `n` pressed before the backend came: fill the form now
      return ready.screen === "new" && !ready.form.choices ? openForm(ready) : ready;
    }
    case "backend-failed":
      return {
        ...state,
        backend: "failed",
        backendError: report.problem,
        stacks: { ...state.stacks, phase: "failed", error: report.problem },
      };
    case "stacks-loaded": {
      const selected = Math.max(0, Math.min(state.stacks.selected, report.items.length - 1));
      return { ...state, stacks: { items: report.items, phase: "ready", selected } };
    }
    case "stacks-failed":
      return { ...state, stacks: { ...state.stacks, phase: "failed", error: report.problem } };
    case "planned":
      return submitIfWaiting({
        ...state,
        form: {
          ...state.form,
          plan: report.result,
          plannedFrom: report.choices,
          grid: report.grid ?? null,
          plannedExtras: report.extras ?? {},
        },
      });
    case "events":
      return withRun(state, report.to, report.stack, (run) => applyEvents(run, report.events, state.now));
    case "run-started": {
      const run = newRun(report.stack, report.action, report.at);
      return report.to === "preview"
        ? { ...state, preview: run }
        : { ...state, runs: { ...state.runs, [report.stack]: run } };
    }
    case "run-finished":
      return withRun(state, report.to, report.stack, (run) => finish(run, report.at, report));
    case "invoked":
      return state.invoke
        ? { ...state, invoke: { ...state.invoke, phase: "done", answer: report.text, latencyMs: report.latencyMs } }
        : state;
    case "invoke-failed":
      return state.invoke ? { ...state, invoke: { ...state.invoke, phase: "failed", error: report.problem } } : state;
    case "removed": {
      const t = state.teardown;
      const items = state.stacks.items.filter((s) => s.name !== report.stack);
      const marked = state.marked.filter((m) => m !== report.stack);
      const selected = Math.max(0, Math.min(state.stacks.selected, items.length - 1));
      return {
        ...state,
        stacks: { ...state.stacks, items, selected },
        marked,
        teardown: t ? { ...t, removed: [...t.removed, report.stack] } : t,
      };
    }
    case "compared":
      return state.compare ? { ...state, compare: { ...state.compare, phase: "ready", result: report.result } } : state;
    case "compare-failed":
      return state.compare
        ? { ...state, compare: { ...state.compare, phase: "failed", error: report.problem } }
        : state;
    case "teardown-finished": {
      const t = state.teardown;
      const teardown = t
        ? {
            ...t,
            phase: report.problem ? ("failed" as const) : ("done" as const),
            ...(report.problem ? { error: report.problem } : {}),
          }
        : t;
      return withCommands({ ...state, teardown }, { kind: "list" });
    }
  }
}

export function reducer(state: State, action: Action): State {
  switch (action.type) {
    case "tick":
      return action.now === state.now ? state : { ...state, now: action.now };
    case "batch":
      return action.actions.reduce(reducer, state);
    case "backend-ready":
    case "backend-failed":
    case "stacks-loaded":
    case "stacks-failed":
    case "planned":
    case "events":
    case "run-started":
    case "run-finished":
    case "invoked":
    case "invoke-failed":
    case "removed":
    case "compared":
    case "compare-failed":
    case "teardown-finished":
      return applyReport(state, action);
    default:
      return applyIntent(state, action);
  }
}
