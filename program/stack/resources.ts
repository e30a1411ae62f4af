// Pulumi resource classes over the dynamic-provider family (program/providers/).
import * as pulumi from "@pulumi/pulumi";
import { serializedProvider } from "../providers/dynamic.js";
import type { ModelInputs } from "../providers/model.js";

type Inputs<T> = { [K in keyof T]: pulumi.Input<T[K]> };

export class SageMakerModel extends pulumi.dynamic.Resource {
  declare readonly arn: pulumi.Output<string>;
  declare readonly name: pulumi.Output<string>;
  constructor(name: string, args: Inputs<ModelInputs>, opts?: pulumi.CustomResourceOptions) {
    super(serializedProvider("model"), name, { ...args, arn: undefined }, opts, "zerostack", "SageMakerModel");
  }
}
