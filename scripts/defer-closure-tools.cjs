// Preloaded into the dynamic-provider plugin (see scripts/bootstrap) and into the CLI's own process
// (bin/zerostack): both load all of @pulumi/pulumi's runtime, and with it the closure serializer's
// tools, which load at start whether used or not: @npmcli/arborist and normalize-package-data (the
// serializer's package walk, runtime/closure/codePaths.js) and typescript (its function parser,
// typescript-shim.js): ~0.2 s of CPU before anything else runs. The plugin deserializes providers
// and never serializes one; the CLI serializes a provider only when its text is not cached yet
// (program/stack/provider-text.ts). So a require of those three from inside @pulumi/pulumi gets a
// stand-in that loads the real module on first use (any property read, call or `new`); nothing
// else changes, and a serialization gives the same text (test/providers/plugin-start.test.ts).
"use strict";
const Module = require("node:module");
const { sep } = require("node:path");

const deferred = new Set(["@npmcli/arborist", "normalize-package-data", "typescript"]);
const pulumiSdk = `${sep}node_modules${sep}@pulumi${sep}pulumi${sep}`;

/** A stand-in for the module `load()` returns, loading it on first use. */
function lazy(load) {
  let real;
  const target = () => {
    real ??= load();
    return real;
  };
  // A function target so that a call or `new` on the stand-in reaches a module that is a function.
  return new Proxy(function deferredModule() {}, {
    get(_, key) {
      // TypeScript's interop helpers (`__importStar`, `__importDefault`) read `__esModule` at
      // require time: answered without loading, and `default` then maps to what they would give.
      if (key === "__esModule") return true;
      const mod = target();
      if (key === "default" && !mod?.__esModule) return mod;
      return Reflect.get(mod, key);
    },
    has: (_, key) => key === "__esModule" || Reflect.has(target(), key),
    // A Proxy must list its target's non-configurable `prototype`; the rest is the module's.
    ownKeys: () => [...new Set([...Reflect.ownKeys(target()), "prototype"])],
    getOwnPropertyDescriptor(stand, key) {
      if (key === "prototype") return Reflect.getOwnPropertyDescriptor(stand, key);
      const descriptor = Reflect.getOwnPropertyDescriptor(target(), key);
      return descriptor && { ...descriptor, configurable: true };
    },
    apply: (_, thisArg, args) => Reflect.apply(target(), thisArg, args),
    construct: (_, args) => Reflect.construct(target(), args),
  });
}

const load = Module._load;
Module._load = function (request, parent, isMain) {
  if (deferred.has(request) && parent?.filename?.includes(pulumiSdk)) {
    return lazy(() => load.call(this, request, parent, isMain));
  }
  return load.call(this, request, parent, isMain);
};
