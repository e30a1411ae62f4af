// The `__provider` input of every zerostack dynamic resource: the Node SDK's serialization of
// serializedProvider(kind) (program/providers/dynamic.ts), the text the engine's provider process
// loads. pulumi.dynamic.Resource makes it in every `up` with the closure serializer, which walks the
// functions through V8's inspector: about half a second of CPU in the program, before the engine can
// start the provider. The text depends only on the code of dynamic.js, the SDK's serializer and the
// kind, so it is made once per key and kept in ZEROSTACK_HOME/cache/providers/: the same bytes the
// SDK would make (test/stack/provider-text.test.ts), so the state sees no change.
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import * as pulumi from "@pulumi/pulumi";
import { version as sdkVersion } from "@pulumi/pulumi/version.js";
import { zerostackHome } from "../env/paths.js";
import { type ProviderKind, serializedProvider } from "../providers/dynamic.js";

const made = new Map<string, Promise<string>>();

/** What the text is made from: dynamic.js as built (or as vitest compiles it), the SDK's version, the kind. */
function cacheKey(kind: ProviderKind): string {
  const source = readFileSync(fileURLToPath(new URL(`../providers/dynamic${extensionHere()}`, import.meta.url)));
  return createHash("sha256")
    .update(source)
    .update(`\0${sdkVersion}\0${process.version}\0${kind}`)
    .digest("hex")
    .slice(0, 24);
}

/** .js in dist/, .ts where vitest runs the sources */
function extensionHere(): string {
  return import.meta.url.endsWith(".ts") ? ".ts" : ".js";
}

/** The serialized provider, as pulumi.dynamic.Resource makes it. */
export async function serializeProviderText(kind: ProviderKind): Promise<string> {
  const provider = serializedProvider(kind);
  const serialized = await pulumi.runtime.serializeFunction(() => provider, { allowSecrets: true });
  // the providers capture nothing but their kind (dynamic.ts): a secret here is a bug, never cached
  if (serialized.containsSecrets) throw new Error(`the ${kind} dynamic provider captured a secret`);
  return serialized.text;
}

/** The `__provider` text of `kind`: from the cache, else serialized now and kept there. */
export function providerText(kind: ProviderKind, home: string = zerostackHome()): Promise<string> {
  const key = cacheKey(kind);
  const file = join(home, "cache", "providers", `${kind}-${key}.js`);
  let text = made.get(file);
  if (!text) {
    text = readCached(file) ?? serializeProviderText(kind).then((fresh) => keep(file, fresh));
    made.set(file, text);
  }
  return text;
}

function readCached(file: string): Promise<string> | undefined {
  try {
    return Promise.resolve(readFileSync(file, "utf8"));
  } catch {
    return undefined;
  }
}

function keep(file: string, text: string): string {
  try {
    mkdirSync(join(file, ".."), { recursive: true });
    const temporary = `${file}.${process.pid}.tmp`; // parallel ups (a grid) each rename a whole file
    writeFileSync(temporary, text);
    renameSync(temporary, file);
  } catch {
    // a home that cannot be written: the next up serializes again
  }
  return text;
}
