// The New experiment form's fields, in screen order, and how a field's value cycles and prints.
import type { Catalog, ChoiceKey, Choices } from "../../program/app/contract.js";

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
