// A stack's plain config values read from its settings file (Pulumi.<stack>.yaml) in the
// workspace, the file `pulumi config` reads: no Pulumi process (~0.15 s, and a passphrase key
// derivation, for `pulumi config --show-secrets`). Only plain values: anything this reader cannot
// answer exactly as `pulumi config` would (a secret, a structured value, an ESC environment)
// returns undefined, and the caller asks the CLI.
import { readFileSync } from "node:fs";
import type { ConfigMap } from "@pulumi/pulumi/automation/index.js";
import { FAILSAFE_SCHEMA, load } from "js-yaml";

/**
 * The plain values of `keys` (those set; a missing key is absent), or undefined when the file is
 * missing, unreadable, or any of `keys` holds something other than a plain string.
 * FAILSAFE_SCHEMA reads every scalar as its text, as Pulumi's YAML decoder does for a string
 * value (an unquoted `1800` is "1800", `true` is "true").
 */
export function plainConfigOf(settingsFile: string, keys: readonly string[]): ConfigMap | undefined {
  let settings: unknown;
  try {
    settings = load(readFileSync(settingsFile, "utf8"), { schema: FAILSAFE_SCHEMA });
  } catch {
    return undefined;
  }
  if (!isRecord(settings) || "environment" in settings) return undefined; // ESC values merge in
  const config = settings.config ?? {};
  if (!isRecord(config)) return undefined;
  const plain: ConfigMap = {};
  for (const key of keys) {
    const value = config[key];
    // a key written without its namespace is the project's: `pulumi config` would read it as this one
    if (key.includes(":") && key.slice(key.indexOf(":") + 1) in config) return undefined;
    if (value === undefined) continue;
    if (typeof value !== "string") return undefined; // `secure:` or a structured value
    plain[key] = { value, secret: false };
  }
  return plain;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
