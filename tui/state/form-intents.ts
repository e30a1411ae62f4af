// The New experiment form and its Plan step: edit choices (each change re-plans, so guards and
// cost update live), preview the diff, confirm to create.
import { cycleChoice, FIELDS } from "./fields.js";
import { withCommands } from "./initial.js";
import { newRun } from "./run.js";
import type { Choices } from "../../program/app/contract.js";
import type { FormState, Intent, State } from "./types.js";

const NAME_CHARS = /^[a-z0-9-]+$/;

function edit(state: State, form: FormState): State {
  const next = { ...state, form };
  return form.choices ? withCommands(next, { kind: "plan", choices: form.choices }) : next;
}

/** The plan shown was made from the choices on screen (not from the ones before the last key). */
export function planIsCurrent(form: FormState): boolean {
  const { choices, plannedFrom } = form;
  if (!choices || !plannedFrom) return false;
  return (Object.keys(choices) as (keyof Choices)[]).every((key) => choices[key] === plannedFrom[key]);
}

function blocked(state: State): string | undefined {
  const plan = state.form.plan;
  // Enter right after a change must not preview (and so create) the plan of the choices before it
  if (!plan || !planIsCurrent(state.form)) return "the plan is not ready yet";
  const errors = plan.findings.filter((f) => f.severity === "error").length;
  if (errors > 0 || !plan.spec)
    return `fix the ${errors || ""} error${errors === 1 ? "" : "s"} marked ✗ first`.replace("  ", " ");
  return undefined;
}

function editIntent(state: State, intent: Intent): State {
  const { form, catalog } = state;
  const field = FIELDS[form.focus];
  const choices = form.choices;
  if (!catalog || !choices || !field) return intent.type === "back" ? { ...state, screen: "stacks" } : state;
  switch (intent.type) {
    case "move":
      return { ...state, form: { ...form, focus: (form.focus + intent.delta + FIELDS.length) % FIELDS.length } };
    case "cycle":
    case "toggle-rehearse":
      if (field.key === "rehearse" || intent.type === "toggle-rehearse")
        return { ...state, form: { ...form, rehearse: !form.rehearse } };
      return edit(state, {
        ...form,
        choices: cycleChoice(catalog, choices, field.key, intent.type === "cycle" ? intent.delta : 1),
      });
    case "text":
      if (field.key !== "name") return state;
      return NAME_CHARS.test(intent.text)
        ? edit(state, { ...form, choices: { ...choices, name: (choices.name + intent.text).slice(0, 63) } })
        : state;
    case "erase":
      return field.key === "name"
        ? edit(state, { ...form, choices: { ...choices, name: choices.name.slice(0, -1) } })
        : state;
    case "submit": {
      const why = blocked(state);
      const plan = state.form.plan;
      if (why || !plan?.spec) return { ...state, notice: why };
      return withCommands(
        { ...state, screen: "plan", preview: newRun(plan.stack, "preview", state.now) },
        { kind: "preview", stack: plan.stack, spec: plan.spec },
      );
    }
    case "back":
      return { ...state, screen: "stacks" };
    default:
      return state;
  }
}

function previewBlocks(state: State): string | undefined {
  const phase = state.preview?.phase;
  if (phase === "done") return undefined;
  return phase === "failed" ? "the preview failed: esc to edit, or fix what it says" : "wait for the preview to finish";
}

function planIntent(state: State, intent: Intent): State {
  const plan = state.form.plan;
  switch (intent.type) {
    case "confirm":
    case "submit": {
      const why = blocked(state) ?? previewBlocks(state);
      if (why || !plan?.spec) return { ...state, notice: why };
      const runs = { ...state.runs, [plan.stack]: newRun(plan.stack, "up", state.now) };
      return withCommands(
        { ...state, screen: "run", current: plan.stack, runs },
        { kind: "up", stack: plan.stack, spec: plan.spec, rehearse: state.form.rehearse },
      );
    }
    case "toggle-rehearse":
      return { ...state, form: { ...state.form, rehearse: !state.form.rehearse } };
    case "back":
      return { ...state, screen: "new" };
    default:
      return state;
  }
}

export function formIntent(state: State, intent: Intent): State {
  return state.screen === "plan" ? planIntent(state, intent) : editIntent(state, intent);
}
