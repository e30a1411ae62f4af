// SageMaker EndpointConfig: immutable, named with a content hash, so a change creates the new
// config first; the endpoint moves to it (UpdateEndpoint) and only then is the old one deleted.
import type { DescribeEndpointConfigCommandOutput } from "@aws-sdk/client-sagemaker";
import { sageMakerSdk } from "./lazy-sdk.js";
import type * as pulumi from "@pulumi/pulumi";
import { adoptIfOurs, deleteAndWait, immutableDiff, orMissing, toTagList, updateTags } from "./lifecycle.js";
import type { ProviderImpl } from "./provider-impl.js";
import { listTags, sagemaker, tagging } from "./sagemaker-client.js";

export interface EndpointConfigInputs {
  name: string;
  modelName: string;
  instanceType: string;
  instanceCount: number;
  variantName: string;
  /** must cover weight download and load (20-25 min for a large model) */
  healthCheckTimeoutSeconds: number;
  modelDownloadTimeoutSeconds: number;
  tags: Record<string, string>;
}

export interface EndpointConfigOutputs extends EndpointConfigInputs {
  arn: string;
}

function describe(name: string): Promise<DescribeEndpointConfigCommandOutput | undefined> {
  return orMissing(() =>
    sagemaker().send(new sageMakerSdk.DescribeEndpointConfigCommand({ EndpointConfigName: name })),
  );
}

export const provider: ProviderImpl<EndpointConfigInputs, EndpointConfigOutputs> = {
  async create(inputs) {
    const existing = await describe(inputs.name);
    let arn = existing?.EndpointConfigArn;
    if (arn) {
      await adoptIfOurs("endpoint config", inputs.name, arn, inputs.tags, listTags);
    } else {
      const created = await sagemaker().send(
        new sageMakerSdk.CreateEndpointConfigCommand({
          EndpointConfigName: inputs.name,
          ProductionVariants: [
            {
              VariantName: inputs.variantName,
              ModelName: inputs.modelName,
              InstanceType: inputs.instanceType as never,
              InitialInstanceCount: inputs.instanceCount,
              ContainerStartupHealthCheckTimeoutInSeconds: inputs.healthCheckTimeoutSeconds,
              ModelDataDownloadTimeoutInSeconds: inputs.modelDownloadTimeoutSeconds,
            },
          ],
          Tags: toTagList(inputs.tags),
        }),
      );
      arn = created.EndpointConfigArn;
    }
    return { id: inputs.name, outs: { ...inputs, arn: arn ?? "" } };
  },

  async read(id, props) {
    const found = await describe(id);
    return (found ? { id, props } : { id: "" }) as pulumi.dynamic.ReadResult<EndpointConfigOutputs>;
  },

  async diff(_id, olds, news) {
    return immutableDiff(olds, news, [
      "name",
      "modelName",
      "instanceType",
      "instanceCount",
      "variantName",
      "healthCheckTimeoutSeconds",
      "modelDownloadTimeoutSeconds",
      "tags",
    ]);
  },

  async update(_id, olds, news) {
    await updateTags(olds.arn, olds.tags, news.tags, tagging);
    return { outs: { ...olds, tags: news.tags } };
  },

  async delete(id) {
    await deleteAndWait(
      `endpoint config ${id}`,
      () => sagemaker().send(new sageMakerSdk.DeleteEndpointConfigCommand({ EndpointConfigName: id })),
      () => sagemaker().send(new sageMakerSdk.DescribeEndpointConfigCommand({ EndpointConfigName: id })),
      300,
    );
  },
};
