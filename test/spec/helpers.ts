import { specFromPreset, type ExperimentSpec } from "../../program/spec/index.js";
import { BadInputError, type Problem } from "../../program/errors.js";

/** A valid preset spec, changed by `edit` without validation (guards are tested on the result). */
export function specWith(edit: (spec: ExperimentSpec) => void = () => {}, preset = "seed"): ExperimentSpec {
  const spec = structuredClone(specFromPreset(preset));
  edit(spec);
  return spec;
}

/** The problems of a BadInputError thrown by `fn`; fails the test when nothing (or something else) is thrown. */
export function problemsOf(fn: () => unknown): Problem[] {
  try {
    fn();
  } catch (error) {
    if (error instanceof BadInputError) return error.problems;
    throw error;
  }
  throw new Error("expected a BadInputError, nothing was thrown");
}
