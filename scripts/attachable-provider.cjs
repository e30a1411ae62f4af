// Preloaded into the dynamic-provider plugin (see scripts/bootstrap): the plugin acknowledges the
// engine's Attach call. An `up` of an experiment starts the plugin itself, before the engine, and
// lets the engine attach to it (program/driver/provider-plugin.ts); the engine then calls Attach
// with its address and fails the update unless it succeeds (pulumi v3.274.1
// sdk/go/common/resource/plugin/provider_plugin.go, NewProvider: `if plug.Bin == ""` then
// p.Attach). @pulumi/pulumi's dynamic provider answers Attach with UNIMPLEMENTED
// (cmd/dynamic-provider/index.js, ResourceProviderService.attach), yet it has no use for the
// address: it never calls the engine (main() only checks that an address argument was given).
// So Attach is answered with the empty reply it declares; every other call is the plugin's own.
"use strict";
const Module = require("node:module");
const { sep } = require("node:path");

const pulumiSdk = `${sep}node_modules${sep}@pulumi${sep}pulumi${sep}`;
const load = Module._load;
let patched = false;

Module._load = function (request, parent, isMain) {
  const loaded = load.call(this, request, parent, isMain);
  if (!patched && request === "@grpc/grpc-js" && parent?.filename?.includes(pulumiSdk)) {
    patched = true;
    const addService = loaded.Server.prototype.addService;
    loaded.Server.prototype.addService = function (service, implementation) {
      const attach = service.attach;
      if (!attach || typeof attach.responseType !== "function") return addService.call(this, service, implementation);
      implementation.attach = (_call, callback) => callback(null, new attach.responseType());
      return addService.call(this, service, implementation);
    };
  }
  return loaded;
};
