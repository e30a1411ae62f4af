// The shape every provider implementation exports as `provider` (see dynamic.ts).
import type * as pulumi from "@pulumi/pulumi";

export interface ProviderImpl<I = Record<string, unknown>, O = Record<string, unknown>> {
  create(inputs: I): Promise<pulumi.dynamic.CreateResult<O>>;
  read(id: string, props?: O): Promise<pulumi.dynamic.ReadResult<O>>;
  diff(id: string, olds: O, news: I): Promise<pulumi.dynamic.DiffResult>;
  update(id: string, olds: O, news: I): Promise<pulumi.dynamic.UpdateResult<O>>;
  delete(id: string, props: O): Promise<void>;
}
