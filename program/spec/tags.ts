// Tags on every AWS object: they let `orphans` find them without Pulumi state, and the spec
// hash lets a re-run tell "my object, adopt it" from "someone else's object with my name".
import type { Problem } from "../errors.js";
import { sha256Hex, canonicalJson } from "./canonical.js";
import type { ExperimentSpec } from "./schema.js";

export const TAG_PREFIX = "zerostack:";
export const TAG_KEYS = {
  experiment: "zerostack:experiment",
  stack: "zerostack:stack",
  preset: "zerostack:preset",
  specHash: "zerostack:spec-hash",
  /** only on the cells of a grid: `ls --grid`, `destroy --grid` and `orphans` find them by it */
  grid: "zerostack:grid",
} as const;

// AWS tagging rules (Tagging Best Practices / SageMaker AddTags): at most 50 tags, key 1-128 and
// value 0-256 Unicode characters of letters, digits, spaces and _ . : / = + - @; `aws:` is reserved.
export const MAX_TAGS = 50;
export const MAX_KEY_LENGTH = 128;
export const MAX_VALUE_LENGTH = 256;
const TAG_CHARS = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;

/**
 * Everything but the user's tags, the grid and the TTL: those change in place and must not look
 * like drift (a cell re-run alone adopts what its grid created).
 */
export function specHashInput(spec: ExperimentSpec): unknown {
  const { tags: _tags, grid: _grid, serving, ...rest } = spec;
  const { ttlSeconds: _ttl, ...servingRest } = serving;
  return { ...rest, serving: servingRest };
}

export function specHash(spec: ExperimentSpec): string {
  return sha256Hex(canonicalJson(specHashInput(spec))).slice(0, 16);
}

/** The user's tags first, then ours, so ours can never be overridden. */
export function resourceTags(spec: ExperimentSpec, stackName: string = spec.name): Record<string, string> {
  return {
    ...spec.tags,
    [TAG_KEYS.experiment]: spec.name,
    [TAG_KEYS.stack]: stackName,
    [TAG_KEYS.preset]: spec.preset,
    [TAG_KEYS.specHash]: specHash(spec),
    ...(spec.grid ? { [TAG_KEYS.grid]: spec.grid } : {}),
  };
}

/** The form the SageMaker and Scheduler APIs take. */
export function awsTagList(tags: Record<string, string>): Array<{ Key: string; Value: string }> {
  return Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));
}

export function userTagProblems(tags: Record<string, string>, field = "tags"): Problem[] {
  const problems: Problem[] = [];
  const reserved = Object.keys(TAG_KEYS).length;
  const count = Object.keys(tags).length;
  if (count + reserved > MAX_TAGS) {
    problems.push({
      field,
      message: `${count} tags plus zerostack's ${reserved} exceed AWS's ${MAX_TAGS} per resource`,
      allowed: `at most ${MAX_TAGS - reserved} tags`,
    });
  }
  for (const [key, value] of Object.entries(tags)) {
    const at = `${field}.${key}`;
    const keyChars = [...key].length;
    if (keyChars < 1 || keyChars > MAX_KEY_LENGTH)
      problems.push({
        field: at,
        message: `tag key is ${keyChars} characters long`,
        allowed: `1-${MAX_KEY_LENGTH} characters`,
      });
    if (!TAG_CHARS.test(key))
      problems.push({
        field: at,
        message: "tag key has characters AWS rejects",
        allowed: "letters, digits, spaces and _ . : / = + - @",
      });
    if (key.toLowerCase().startsWith("aws:"))
      problems.push({
        field: at,
        message: "tag keys starting with 'aws:' are reserved by AWS",
        allowed: "another key",
      });
    if (key.toLowerCase().startsWith(TAG_PREFIX))
      problems.push({
        field: at,
        message: `tag keys starting with '${TAG_PREFIX}' are set by zerostack`,
        allowed: "another key",
      });
    if ([...value].length > MAX_VALUE_LENGTH)
      problems.push({
        field: at,
        message: `tag value is ${[...value].length} characters long`,
        allowed: `0-${MAX_VALUE_LENGTH} characters`,
      });
    if (!TAG_CHARS.test(value))
      problems.push({
        field: at,
        message: "tag value has characters AWS rejects",
        allowed: "letters, digits, spaces and _ . : / = + - @",
      });
  }
  return problems;
}
