// The New experiment form's fields, in screen order, and how a field's value cycles and prints.
import {
  GRID_CHOICES,
  type Catalog,
  type ChoiceKey,
  type Choices,
  type GridChoiceKey,
  type GridExtras,
} from "../../program/app/contract.js";

export interface Field {
  key: ChoiceKey | "rehearse";
  label: string;
  /** Typed into (the name); the others cycle through the catalog's options with ←/→. */
  text?: boolean;
}

export const FIELDS: readonly Field[] = [
  { key: "preset", label: "preset" },
  { key: "name", label: "name", text: true },
  { key: "nodes", label: "nodes" },
  { key: "zero", label: "ZeRO stage" },
  { key: "trainInstance", label: "train instance" },
  { key: "serving", label: "serve" },
  { key: "backend", label: "LMI backend" },
  { key: "serveInstance", label: "serve instance" },
  { key: "tp", label: "tensor parallel" },
  { key: "epochs", label: "epochs" },
  { key: "learningRate", label: "learning rate" },
  { key: "ttlSeconds", label: "endpoint TTL" },
  { key: "rehearse", label: "rehearse locally" },
];

export function hours(seconds: number): string {
  return seconds < 3600 ? `${Math.round(seconds / 60)}m` : `${+(seconds / 3600).toFixed(1)}h`;
}

export function formatChoice(key: Field["key"], value: unknown): string {
  if (typeof value === "boolean") return value ? "yes" : "no";
  if (key === "ttlSeconds" && typeof value === "number") return value === 0 ? "off" : hours(value);
  if (key === "learningRate" && typeof value === "number") return value.toExponential(0);
  return String(value);
}

function cycleIn<T>(options: readonly T[], current: T, delta: number): T {
  if (options.length === 0) return current;
  const i = options.indexOf(current);
  const next = i < 0 ? 0 : (i + delta + options.length) % options.length;
  return options[next] as T;
}

/** The choices after cycling one field; a new preset brings all of that preset's defaults. */
export function cycleChoice(catalog: Catalog, choices: Choices, key: ChoiceKey, delta: number): Choices {
  switch (key) {
    case "preset": {
      const names = catalog.presets.map((p) => p.name);
      const name = cycleIn(names, choices.preset, delta);
      return catalog.presets.find((p) => p.name === name)?.defaults ?? choices;
    }
    case "name":
      return choices;
    case "serving":
      return { ...choices, serving: !choices.serving };
    default: {
      const options = catalog.options[key] as readonly (string | number)[];
      return { ...choices, [key]: cycleIn(options, choices[key], delta) };
    }
  }
}

/** Whether a field may take several values (an axis of a grid, as `up --zero 2,3`). */
export function isGridField(key: Field["key"]): key is GridChoiceKey {
  return (GRID_CHOICES as readonly string[]).includes(key);
}

/** Whether any axis takes several values: then the form plans, previews and creates a grid. */
export function hasGrid(extras: GridExtras): boolean {
  return GRID_CHOICES.some((k) => (extras[k]?.length ?? 0) > 0);
}

type Value = Choices[GridChoiceKey];

/** Every value of an axis: its choice's, then its extras. */
export function valuesOf(choices: Choices, extras: GridExtras, key: GridChoiceKey): Value[] {
  return [choices[key], ...(extras[key] ?? [])];
}

function withExtras(extras: GridExtras, key: GridChoiceKey, values: Value[]): GridExtras {
  const next: GridExtras = { ...extras };
  if (values.length === 0) delete next[key];
  else (next as Record<GridChoiceKey, Value[]>)[key] = values;
  return next;
}

/** `+`: the axis takes one more value, the next option not listed yet; undefined when all are. */
export function addValue(
  catalog: Catalog,
  choices: Choices,
  extras: GridExtras,
  key: GridChoiceKey,
): GridExtras | undefined {
  const options = catalog.options[key] as readonly Value[];
  const listed = valuesOf(choices, extras, key);
  const from = options.indexOf(listed[listed.length - 1]!);
  for (let step = 1; step <= options.length; step++) {
    const candidate = options[(from + step + options.length) % options.length]!;
    if (!listed.includes(candidate)) return withExtras(extras, key, [...(extras[key] ?? []), candidate]);
  }
  return undefined;
}

/** `-`: the axis's last added value goes. */
export function removeValue(extras: GridExtras, key: GridChoiceKey): GridExtras {
  return withExtras(extras, key, (extras[key] ?? []).slice(0, -1));
}

/** ←/→ on an axis with several values changes its last one, skipping the values listed before it. */
export function cycleLastValue(
  catalog: Catalog,
  choices: Choices,
  extras: GridExtras,
  key: GridChoiceKey,
  delta: number,
): GridExtras {
  const more = extras[key] ?? [];
  const options = catalog.options[key] as readonly Value[];
  const before = valuesOf(choices, extras, key).slice(0, -1);
  let i = options.indexOf(more[more.length - 1]!);
  for (let step = 0; step < options.length; step++) {
    i = (i + delta + options.length) % options.length;
    const candidate = options[i]!;
    if (!before.includes(candidate)) return withExtras(extras, key, [...more.slice(0, -1), candidate]);
  }
  return extras;
}
