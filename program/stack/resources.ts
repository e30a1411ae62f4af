// Pulumi resource classes over the dynamic-provider family (program/providers/).
import * as pulumi from "@pulumi/pulumi";
import { serializedProvider } from "../providers/dynamic.js";
import type { ModelInputs } from "../providers/model.js";
import type { TrainingJobInputs } from "../providers/training-job.js";
import type { EndpointConfigInputs } from "../providers/endpoint-config.js";
import type { EndpointInputs } from "../providers/endpoint.js";
import type { TtlScheduleInputs } from "../providers/ttl-schedule.js";
import type { HfTokenSecretInputs } from "../providers/hf-token-secret.js";

type Inputs<T> = { [K in keyof T]: pulumi.Input<T[K]> };

export class TrainingJob extends pulumi.dynamic.Resource {
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
    super(serializedProvider("training-job"), name, { ...args, ...outs }, opts, "zerostack", "TrainingJob");
  }
}

export class SageMakerModel extends pulumi.dynamic.Resource {
  declare readonly name: pulumi.Output<string>;
  declare readonly arn: pulumi.Output<string>;
  declare readonly modelDataUrl: pulumi.Output<string>;
  constructor(name: string, args: Inputs<ModelInputs>, opts?: pulumi.CustomResourceOptions) {
    super(
      serializedProvider("model"),
      name,
      { ...args, arn: undefined, modelDataUrl: undefined },
      opts,
      "zerostack",
      "SageMakerModel",
    );
  }
}

export class EndpointConfig extends pulumi.dynamic.Resource {
  declare readonly name: pulumi.Output<string>;
  declare readonly arn: pulumi.Output<string>;
  constructor(name: string, args: Inputs<EndpointConfigInputs>, opts?: pulumi.CustomResourceOptions) {
    super(
      serializedProvider("endpoint-config"),
      name,
      { ...args, arn: undefined },
      opts,
      "zerostack",
      "EndpointConfig",
    );
  }
}

export class Endpoint extends pulumi.dynamic.Resource {
  declare readonly name: pulumi.Output<string>;
  declare readonly arn: pulumi.Output<string>;
  declare readonly status: pulumi.Output<string>;
  /** SageMaker's CreationTime: where its bill starts */
  declare readonly createdAt: pulumi.Output<string>;
  constructor(name: string, args: Inputs<EndpointInputs>, opts?: pulumi.CustomResourceOptions) {
    super(
      serializedProvider("endpoint"),
      name,
      { ...args, arn: undefined, status: undefined, createdAt: undefined },
      opts,
      "zerostack",
      "Endpoint",
    );
  }
}

export class TtlSchedule extends pulumi.dynamic.Resource {
  declare readonly name: pulumi.Output<string>;
  declare readonly expiresAt: pulumi.Output<string>;
  constructor(name: string, args: Inputs<TtlScheduleInputs>, opts?: pulumi.CustomResourceOptions) {
    super(serializedProvider("ttl-schedule"), name, { ...args, arn: undefined }, opts, "zerostack", "TtlSchedule");
  }
}

export class HfTokenSecret extends pulumi.dynamic.Resource {
  declare readonly name: pulumi.Output<string>;
  declare readonly arn: pulumi.Output<string>;
  constructor(name: string, args: Inputs<HfTokenSecretInputs>, opts?: pulumi.CustomResourceOptions) {
    super(serializedProvider("hf-token-secret"), name, { ...args, arn: undefined }, opts, "zerostack", "HfTokenSecret");
  }
}
