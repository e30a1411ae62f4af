// The New experiment form and its Plan step: edit choices (each change re-plans, so guards and
// cost update live), preview the diff, confirm to create. An axis with several values (`+`)
// makes the form a grid: one experiment per cell, previewed and created with one confirm.
import { addValue, cycleChoice, cycleLastValue, FIELDS, hasGrid, isGridField, removeValue } from "./fields.js";
import { withCommands } from "./initial.js";
import { newRun } from "./run.js";
import type { Choices, GridExtras } from "../../program/app/contract.js";
import type { FormState, Intent, State } from "./types.js";

const NAME_CHARS = /^[a-z0-9-]+$/;

function edit(state: State, changed: FormState): State {
  // a change after Enter cancels the waiting Enter: it was meant for the choices before it
  const { submitWhenPlanned: _cancelled, ...form } = changed;
  const next = { ...state, form };
  if (!form.choices) return next;
  return withCommands(next, {
    kind: "plan",
    choices: form.choices,
    ...(hasGrid(form.extras) ? { extras: form.extras } : {}),
  });
}

const sameExtras = (a: GridExtras, b: GridExtras | undefined) =>
  JSON.stringify(a) === JSON.stringify(b ?? {}) || (!hasGrid(a) && !hasGrid(b ?? {}));

/** The plan shown was made from the choices on screen (not from the ones before the last key). */
export function planIsCurrent(form: FormState): boolean {
  const { choices, plannedFrom } = form;
  if (!choices || !plannedFrom) return false;
  if (!sameExtras(form.extras, form.plannedExtras) || (hasGrid(form.extras) && !form.grid)) return false;
  return (Object.keys(choices) as (keyof Choices)[]).every((key) => choices[key] === plannedFrom[key]);
}

/** The grid the form plans, when an axis takes several values. */
export function gridOf(form: FormState) {
  return hasGrid(form.extras) ? form.grid : null;
}

const GRID_FIELDS_NOTE =
  "only ZeRO stage, nodes, train instance, LMI backend, epochs and learning rate take several values";

const PLANNING = "planning: the plan opens when it is ready";

function blocked(state: State): string | undefined {
  const plan = state.form.plan;
  // Enter right after a change must not preview (and so create) the plan of the choices before it
  if (!plan || !planIsCurrent(state.form)) return PLANNING;
  const grid = gridOf(state.form);
  if (grid) {
    const bad = new Set(grid.problems.map((p) => p.field.split(": ")[0]));
    return grid.problems.length > 0
      ? `fix the bad cell${bad.size === 1 ? "" : "s"} marked ✗ first (${[...bad].slice(0, 2).join(", ")}${bad.size > 2 ? ", …" : ""})`
      : undefined;
  }
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
      {
        const delta = intent.type === "cycle" ? intent.delta : 1;
        // an axis with several values: ←/→ change its last one
        if (isGridField(field.key) && (form.extras[field.key]?.length ?? 0) > 0)
          return edit(state, { ...form, extras: cycleLastValue(catalog, choices, form.extras, field.key, delta) });
        // a new preset brings its own defaults: one value per axis again
        const extras = field.key === "preset" ? {} : form.extras;
        return edit(state, { ...form, extras, choices: cycleChoice(catalog, choices, field.key, delta) });
      }
    case "add-value": {
      if (!isGridField(field.key)) return { ...state, notice: GRID_FIELDS_NOTE };
      const extras = addValue(catalog, choices, form.extras, field.key);
      return extras ? edit(state, { ...form, extras }) : { ...state, notice: `every ${field.label} is listed already` };
    }
    case "remove-value":
      if (!isGridField(field.key)) return { ...state, notice: GRID_FIELDS_NOTE };
      return edit(state, { ...form, extras: removeValue(form.extras, field.key) });
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
      const grid = gridOf(state.form);
      if (!why && grid && choices)
        return withCommands(
          { ...state, screen: "plan", preview: newRun(grid.name, "preview", state.now) },
          { kind: "preview-grid", grid: grid.name, request: { choices, extras: form.extras } },
        );
      if (why === PLANNING) return { ...state, form: { ...form, submitWhenPlanned: true }, notice: why };
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
      const grid = gridOf(state.form);
      const choices = state.form.choices;
      if (!why && grid && choices) {
        // asked once: every cell starts, each in its own stack; the list shows them all
        const cells = grid.cells.map((c) => c.stack);
        const runs = { ...state.runs };
        for (const stack of cells) runs[stack] = newRun(stack, "up", state.now);
        return withCommands(
          {
            ...state,
            screen: "stacks",
            runs,
            notice: `grid ${grid.name}: ${cells.length} experiments starting; r refreshes the list, ⏎ opens one`,
          },
          {
            kind: "up-grid",
            grid: grid.name,
            cells,
            request: { choices, extras: state.form.extras },
            rehearse: state.form.rehearse,
          },
          { kind: "list" },
        );
      }
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

/** A plan arrived: an Enter that waited for it (and was not cancelled by a change) goes on now. */
export function submitIfWaiting(state: State): State {
  const { form } = state;
  if (state.screen !== "new" || !form.submitWhenPlanned || !planIsCurrent(form)) return state;
  const { submitWhenPlanned: _done, ...rest } = form;
  return editIntent({ ...state, form: rest, notice: undefined }, { type: "submit" });
}

export function formIntent(state: State, intent: Intent): State {
  return state.screen === "plan" ? planIntent(state, intent) : editIntent(state, intent);
}
