// The New experiment form's grid: choices with several values on an axis -> one plan per cell,
// named and checked as the CLI's `up --zero 2,3` names and checks its cells (program/spec/grid.ts).
// Pure: no AWS, no Pulumi; the one plan of a cell comes from `planOne` (the backend's planChoices).
import { cellName, GRID_AXES, type GridAxis, type GridAxisKey } from "../spec/grid.js";
import type { Choices, GridChoiceKey, GridPlanResult, GridRequest, PlanFinding, PlanResult } from "./contract.js";
import { DEFAULT_PARALLEL, gridParallel, type GridShape } from "./grid.js";

/** Each grid axis flag's choice on the form. */
const CHOICE_OF: Record<GridAxisKey, GridChoiceKey> = {
  zero: "zero",
  nodes: "nodes",
  backend: "backend",
  trainInstance: "trainInstance",
  lr: "learningRate",
  epochs: "epochs",
};

const LABEL: Record<GridChoiceKey, string> = {
  zero: "ZeRO",
  nodes: "nodes",
  backend: "backend",
  trainInstance: "train instance",
  learningRate: "lr",
  epochs: "epochs",
};

type Value = Choices[GridChoiceKey];

/** A choice's value as the CLI's flag spells it (`1e-4`, `3-offload`, `2`): cells are named alike. */
export function flagText(key: GridChoiceKey, value: Value): string {
  return key === "learningRate" && typeof value === "number" ? value.toExponential() : String(value);
}

interface Axis {
  key: GridChoiceKey;
  axis: GridAxis;
  raw: Value[];
}

function product(axes: readonly Axis[]): Array<Array<{ axis: Axis; index: number }>> {
  let rows: Array<Array<{ axis: Axis; index: number }>> = [[]];
  for (const axis of axes) rows = rows.flatMap((row) => axis.raw.map((_, index) => [...row, { axis, index }]));
  return rows;
}

/**
 * The grid of the form's choices: an axis takes its choice's value and its extras. Every cell is
 * planned; each error of a cell becomes a problem named `<cell>: <field>`, as the CLI names them.
 */
export function planGridChoices(
  request: GridRequest,
  planOne: (choices: Choices) => PlanResult,
  cores?: number,
): { result: GridPlanResult; grid: GridShape } {
  const { choices, extras } = request;
  const problems: PlanFinding[] = [];
  const axes: Axis[] = [];
  for (const a of GRID_AXES) {
    const key = CHOICE_OF[a.key];
    const more: readonly Value[] = extras[key] ?? [];
    if (more.length === 0) continue;
    const raw = [choices[key], ...more];
    const texts = raw.map((v) => flagText(key, v));
    for (const [i, t] of texts.entries())
      if (texts.indexOf(t) !== i)
        problems.push({
          severity: "error",
          field: LABEL[key],
          message: `${t} is listed twice`,
          fix: "each value once",
        });
    axes.push({ key, raw, axis: { key: a.key, flag: a.flag, values: texts } });
  }
  const cells = product(axes).map((row) => {
    const values: Partial<Record<GridAxisKey, string>> = {};
    let cellChoices: Choices = { ...choices };
    for (const { axis, index } of row) {
      values[axis.axis.key] = axis.axis.values[index]!;
      cellChoices = { ...cellChoices, [axis.key]: axis.raw[index] } as Choices;
    }
    const stack = cellName(choices.name, values);
    const plan = planOne({ ...cellChoices, name: stack });
    // the cell's spec names its grid: its objects carry the zerostack:grid tag, `ls --grid` finds it
    const spec = plan.spec ? { ...plan.spec, grid: choices.name } : null;
    for (const f of plan.findings.filter((f) => f.severity === "error"))
      problems.push({ ...f, field: `${stack}: ${f.field}` });
    return { stack, values: values as Record<string, string>, plan: { ...plan, spec } };
  });
  const named = new Map<string, number>();
  for (const c of cells) named.set(c.stack, (named.get(c.stack) ?? 0) + 1);
  for (const [stack, n] of named)
    if (n > 1)
      problems.push({
        severity: "error",
        field: "name",
        message: `${n} cells would be named ${stack}`,
        fix: "values that differ in letters or digits",
      });
  const costs = cells.map((c) => c.plan.cost);
  const priced = costs.every((c) => c !== null);
  const result: GridPlanResult = {
    name: choices.name,
    axes: axes.map((a) => ({ label: LABEL[a.key], values: a.axis.values })),
    cells,
    problems,
    expectedUsd: priced ? costs.reduce((sum, c) => sum + (c?.totalUsd ?? 0), 0) : null,
    maxUsd: priced ? costs.reduce((sum, c) => sum + (c?.maxTotalUsd ?? 0), 0) : null,
    parallel: Math.max(1, Math.min(DEFAULT_PARALLEL, cells.length)),
    rehearsal: gridParallel(DEFAULT_PARALLEL, cells.length, { rehearse: true, ...(cores ? { cores } : {}) }),
  };
  const grid: GridShape = {
    name: choices.name,
    axes: axes.map((a) => a.axis),
    cells: cells.map((c) => ({ name: c.stack, values: c.values })),
  };
  return { result, grid };
}
