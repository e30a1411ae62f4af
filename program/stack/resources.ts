// Pulumi resource classes over the dynamic-provider family (program/providers/).
import * as pulumi from "@pulumi/pulumi";
import type { ProviderKind } from "../providers/dynamic.js";
import { providerText } from "./provider-text.js";
import type { ModelInputs } from "../providers/model.js";
import type { TrainingJobInputs } from "../providers/training-job.js";
import type { EndpointConfigInputs } from "../providers/endpoint-config.js";
import type { EndpointInputs } from "../providers/endpoint.js";
import type { TtlScheduleInputs } from "../providers/ttl-schedule.js";
import type { HfTokenSecretInputs } from "../providers/hf-token-secret.js";

type Inputs<T> = { [K in keyof T]: pulumi.Input<T[K]> };

/**
 * What pulumi.dynamic.Resource registers (type `pulumi-nodejs:dynamic/zerostack:<Type>`, the
 * provider's text in `__provider`), with that text made once and kept (provider-text.ts) instead
 * of serialized again in every `up`.
 */
abstract class ZerostackResource extends pulumi.CustomResource {
  constructor(
    kind: ProviderKind,
    type: string,
    name: string,
    props: pulumi.Inputs,
    opts?: pulumi.CustomResourceOptions,
  ) {
    super(`pulumi-nodejs:dynamic/zerostack:${type}`, name, { ...props, __provider: providerText(kind) }, opts);
  }
}

export class TrainingJob extends ZerostackResource {
  declare readonly name: pulumi.Output<string>;
  declare readonly arn: pulumi.Output<string>;
  declare readonly status: pulumi.Output<string>;
  declare readonly secondaryStatus: pulumi.Output<string>;
  declare readonly billableSeconds: pulumi.Output<number>;
  declare readonly modelS3Uri: pulumi.Output<string>;
  declare readonly sourceS3Uri: pulumi.Output<string>;
  declare readonly uploadedBytes: pulumi.Output<number>;
  constructor(name: string, args: Inputs<TrainingJobInputs>, opts?: pulumi.CustomResourceOptions) {
    const outs = {
      arn: undefined,
      status: undefined,
      secondaryStatus: undefined,
      billableSeconds: undefined,
      modelS3Uri: undefined,
      sourceS3Uri: undefined,
      uploadedBytes: undefined,
    };
    super("training-job", "TrainingJob", name, { ...args, ...outs }, opts);
  }
}

export class SageMakerModel extends ZerostackResource {
  declare readonly name: pulumi.Output<string>;
  declare readonly arn: pulumi.Output<string>;
  declare readonly modelDataUrl: pulumi.Output<string>;
  constructor(name: string, args: Inputs<ModelInputs>, opts?: pulumi.CustomResourceOptions) {
    super("model", "SageMakerModel", name, { ...args, arn: undefined, modelDataUrl: undefined }, opts);
  }
}

export class EndpointConfig extends ZerostackResource {
  declare readonly name: pulumi.Output<string>;
  declare readonly arn: pulumi.Output<string>;
  constructor(name: string, args: Inputs<EndpointConfigInputs>, opts?: pulumi.CustomResourceOptions) {
    super("endpoint-config", "EndpointConfig", name, { ...args, arn: undefined }, opts);
  }
}

export class Endpoint extends ZerostackResource {
  declare readonly name: pulumi.Output<string>;
  declare readonly arn: pulumi.Output<string>;
  declare readonly status: pulumi.Output<string>;
  /** SageMaker's CreationTime: where its bill starts */
  declare readonly createdAt: pulumi.Output<string>;
  constructor(name: string, args: Inputs<EndpointInputs>, opts?: pulumi.CustomResourceOptions) {
    super("endpoint", "Endpoint", name, { ...args, arn: undefined, status: undefined, createdAt: undefined }, opts);
  }
}

export class TtlSchedule extends ZerostackResource {
  declare readonly name: pulumi.Output<string>;
  declare readonly expiresAt: pulumi.Output<string>;
  constructor(name: string, args: Inputs<TtlScheduleInputs>, opts?: pulumi.CustomResourceOptions) {
    super("ttl-schedule", "TtlSchedule", name, { ...args, arn: undefined }, opts);
  }
}

export class HfTokenSecret extends ZerostackResource {
  declare readonly name: pulumi.Output<string>;
  declare readonly arn: pulumi.Output<string>;
  constructor(name: string, args: Inputs<HfTokenSecretInputs>, opts?: pulumi.CustomResourceOptions) {
    super("hf-token-secret", "HfTokenSecret", name, { ...args, arn: undefined }, opts);
  }
}
