// The only door into an ExperimentSpec: schema first, then the guards' errors, every problem
// collected so the user fixes them all in one go.
import type { z } from "zod";
import { BadInputError, type Problem } from "../errors.js";
import { checkSpec, errorsOf, findingToProblem } from "./guards.js";
import { knownModel } from "./models.js";
import { experimentSpecSchema, type ExperimentSpec } from "./schema.js";

const describe = (value: unknown): string => {
  if (value === undefined) return "nothing";
  if (typeof value === "string") return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
  if (typeof value === "number" || typeof value === "boolean" || value === null) return String(value);
  return Array.isArray(value) ? "an array" : "an object";
};

function allowedOf(issue: z.core.$ZodIssue): string | undefined {
  switch (issue.code) {
    case "invalid_value":
      return issue.values.map((v) => String(v)).join(", ");
    case "too_small": {
      const what = issue.origin === "string" ? " characters" : issue.origin === "array" ? " items" : "";
      return `${issue.inclusive === false ? ">" : ">="} ${String(issue.minimum)}${what}`;
    }
    case "too_big": {
      const what = issue.origin === "string" ? " characters" : issue.origin === "array" ? " items" : "";
      return `${issue.inclusive === false ? "<" : "<="} ${String(issue.maximum)}${what}`;
    }
    case "invalid_type":
      return issue.expected === "int" ? "an integer" : `a ${issue.expected}`;
    case "invalid_format":
      return issue.message;
    case "custom": {
      const allowed: unknown = issue.params?.allowed;
      return typeof allowed === "string" ? allowed : undefined;
    }
    default:
      return undefined;
  }
}

function messageOf(issue: z.core.$ZodIssue): string {
  if (issue.input === undefined && issue.code !== "custom") return "is missing";
  switch (issue.code) {
    case "invalid_type":
      return `expected ${issue.expected}, got ${describe(issue.input)}`;
    case "invalid_value":
    case "too_small":
    case "too_big":
    case "invalid_format":
      return `${describe(issue.input)} is not allowed`;
    default:
      return issue.message;
  }
}

export function issuesToProblems(issues: readonly z.core.$ZodIssue[], prefix = ""): Problem[] {
  return issues.flatMap((issue): Problem[] => {
    const path = [prefix, ...issue.path.map(String)].filter((p) => p !== "").join(".");
    if (issue.code === "unrecognized_keys") {
      return issue.keys.map((key) => ({
        field: path === "" ? key : `${path}.${key}`,
        message: "unknown field",
        allowed: "remove it (check the spelling)",
      }));
    }
    const allowed = allowedOf(issue);
    return [
      {
        field: path === "" ? "(spec)" : path,
        message: messageOf(issue),
        ...(allowed === undefined ? {} : { allowed }),
      },
    ];
  });
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** A spec file may leave out a catalog model's sizes; they are filled in so the stored spec is complete. */
function withCatalogSizes(input: unknown): unknown {
  if (
    !isRecord(input) ||
    !isRecord(input.model) ||
    input.model.sizes !== undefined ||
    typeof input.model.id !== "string"
  )
    return input;
  const known = knownModel(input.model.id);
  return known === undefined ? input : { ...input, model: { ...input.model, sizes: known.sizes } };
}

const NEXT_STEP =
  "fix the fields listed above and run `zerostack plan` again; `zerostack presets` shows valid starting points";

function getPath(value: unknown, path: readonly PropertyKey[]): { found: boolean; value: unknown } {
  let at: unknown = value;
  for (const key of path) {
    if (!isRecord(at) || !Object.hasOwn(at, key as string)) return { found: false, value: undefined };
    at = at[key as string];
  }
  return { found: true, value: at };
}

/** `input` with the value at each path taken from `fallback` (or removed when it has none). */
function withFallback(input: unknown, fallback: unknown, paths: ReadonlyArray<readonly PropertyKey[]>): unknown {
  const out: unknown = structuredClone(input);
  for (const path of paths) {
    if (path.length === 0) return fallback;
    let at: unknown = out;
    for (const key of path.slice(0, -1)) at = isRecord(at) ? at[key as string] : undefined;
    if (!isRecord(at)) continue;
    const last = path[path.length - 1] as string;
    const replacement = getPath(fallback, path);
    if (replacement.found) at[last] = structuredClone(replacement.value);
    else delete at[last];
  }
  return out;
}

/**
 * Validates anything (a parsed spec file, a stack's config, a preset with overrides).
 * With a `fallback` (the valid spec the input was built from) schema errors do not hide the
 * cross-field ones: the failing fields are set back to the fallback's values, the guards run on
 * that, and their errors on other fields are reported too.
 */
export function parseSpec(input: unknown, options: { fallback?: unknown } = {}): ExperimentSpec {
  const prepared = withCatalogSizes(input);
  const result = experimentSpecSchema.safeParse(prepared, { reportInput: true });
  if (!result.success) {
    const problems = issuesToProblems(result.error.issues);
    if (options.fallback !== undefined) {
      const repaired = experimentSpecSchema.safeParse(
        withFallback(
          prepared,
          withCatalogSizes(options.fallback),
          result.error.issues.map((i) => i.path),
        ),
      );
      if (repaired.success) {
        const reported = new Set(problems.map((p) => p.field));
        problems.push(
          ...errorsOf(checkSpec(repaired.data))
            .filter((f) => !reported.has(f.field))
            .map(findingToProblem),
        );
      }
    }
    throw new BadInputError(problems, NEXT_STEP);
  }
  const errors = errorsOf(checkSpec(result.data));
  if (errors.length > 0) throw new BadInputError(errors.map(findingToProblem), NEXT_STEP);
  return result.data;
}

/** The spec as the stack stores it; parseSpec(JSON.parse(specToJson(s))) gives s back. */
export function specToJson(spec: ExperimentSpec): string {
  return JSON.stringify(spec);
}
