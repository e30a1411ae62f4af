// The serialized half of every zerostack dynamic provider.
//
// Pulumi serializes a dynamic provider's methods into the stack state and runs them later in
// `pulumi-resource-pulumi-nodejs` (also at delete time, from state). In an ESM program the closure
// serializer cannot capture module bindings, and anything captured is stored in plaintext, so these
// methods capture nothing but the provider's kind (a string): they load the implementation
// (program/providers/<kind>.ts, built to dist/) at call time from ZEROSTACK_ROOT, and the
// implementation reads credentials from process.env.
import type * as pulumi from "@pulumi/pulumi";
import type { ProviderImpl } from "./provider-impl.js";

export type ProviderKind =
  | "model"
  | "training-job"
  | "endpoint-config"
  | "endpoint"
  | "ttl-schedule"
  | "hf-token-secret";

export function serializedProvider(kind: ProviderKind): pulumi.dynamic.ResourceProvider {
  return {
    async create(inputs) {
      return (await loadImpl(kind)).create(inputs);
    },
    async read(id, props) {
      return (await loadImpl(kind)).read(id, props);
    },
    async diff(id, olds, news) {
      return (await loadImpl(kind)).diff(id, olds, news);
    },
    async update(id, olds, news) {
      return (await loadImpl(kind)).update(id, olds, news);
    },
    async delete(id, props) {
      return (await loadImpl(kind)).delete(id, props);
    },
  };
}

async function loadImpl(kind: string): Promise<ProviderImpl> {
  const root = process.env.ZEROSTACK_ROOT;
  if (!root)
    throw new Error("ZEROSTACK_ROOT is not set: run zerostack through `npx zerostack` (scripts/bootstrap sets it up)");
  const mod = (await import(`file://${root}/dist/program/providers/${kind}.js`)) as { provider: ProviderImpl };
  return mod.provider;
}
