// SageMaker Model: immutable in SageMaker, so any input change replaces it. Names are
// deterministic and carry a content hash, so a replacement is created before the old one goes.
import {
  CreateModelCommand,
  DeleteModelCommand,
  DescribeModelCommand,
  ListTagsCommand,
  type DescribeModelCommandOutput,
} from "@aws-sdk/client-sagemaker";
import type * as pulumi from "@pulumi/pulumi";
import { ForeignObjectError, isNotFound, SPEC_HASH_TAG, tagValue, toTagList, waitUntilGone } from "./lifecycle.js";
import type { ProviderImpl } from "./provider-impl.js";
import { sagemaker } from "./sagemaker-client.js";

export interface ModelInputs {
  name: string;
  executionRoleArn: string;
  image: string;
  /** s3:// URI of the model's code tarball (serving.properties, model.py). */
  modelDataUrl?: string;
  environment: Record<string, string>;
  tags: Record<string, string>;
}

export interface ModelOutputs extends ModelInputs {
  arn: string;
}

async function describe(name: string): Promise<DescribeModelCommandOutput | undefined> {
  try {
    return await sagemaker().send(new DescribeModelCommand({ ModelName: name }));
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
}

async function adoptOrCreate(inputs: ModelInputs): Promise<string> {
  const existing = await describe(inputs.name);
  const wanted = inputs.tags[SPEC_HASH_TAG] ?? "";
  if (existing?.ModelArn) {
    const { Tags } = await sagemaker().send(new ListTagsCommand({ ResourceArn: existing.ModelArn }));
    const found = tagValue(Tags, SPEC_HASH_TAG);
    if (found !== wanted) throw new ForeignObjectError("model", inputs.name, found, wanted);
    return existing.ModelArn; // left by a run that was killed after CreateModel: adopt it
  }
  const created = await sagemaker().send(
    new CreateModelCommand({
      ModelName: inputs.name,
      ExecutionRoleArn: inputs.executionRoleArn,
      PrimaryContainer: {
        Image: inputs.image,
        ...(inputs.modelDataUrl ? { ModelDataUrl: inputs.modelDataUrl } : {}),
        Environment: inputs.environment,
      },
      Tags: toTagList(inputs.tags),
    }),
  );
  if (!created.ModelArn) throw new Error(`CreateModel ${inputs.name} returned no ModelArn`);
  return created.ModelArn;
}

export const provider: ProviderImpl<ModelInputs, ModelOutputs> = {
  async create(inputs) {
    const arn = await adoptOrCreate(inputs);
    return { id: inputs.name, outs: { ...inputs, arn } };
  },

  async read(id, props) {
    const found = await describe(id);
    // an empty id tells the engine the object is gone (e.g. deleted outside Pulumi)
    if (!found) return { id: "" } as pulumi.dynamic.ReadResult<ModelOutputs>;
    return { id, props: props ? { ...props, arn: found.ModelArn ?? props.arn } : undefined } as pulumi.dynamic.ReadResult<ModelOutputs>;
  },

  async diff(_id, olds, news) {
    const fields: (keyof ModelInputs)[] = ["name", "executionRoleArn", "image", "modelDataUrl", "environment", "tags"];
    const changed = fields.filter((f) => JSON.stringify(olds[f]) !== JSON.stringify(news[f]));
    return {
      changes: changed.length > 0,
      replaces: changed,
      // a new name lets the replacement exist beside the old one; the same name must go first
      deleteBeforeReplace: olds.name === news.name,
    };
  },

  async update() {
    throw new Error("a SageMaker model cannot be updated in place; the diff always replaces it");
  },

  async delete(id) {
    try {
      await sagemaker().send(new DeleteModelCommand({ ModelName: id }));
    } catch (error) {
      if (isNotFound(error)) return;
      throw error;
    }
    await waitUntilGone(`model ${id}`, () => sagemaker().send(new DescribeModelCommand({ ModelName: id })), 300);
  },
};
