// SageMaker Model: immutable in SageMaker, so any input change replaces it. Names are
// deterministic and carry a content hash, so a replacement is created before the old one goes.
import type { DescribeModelCommandOutput } from "@aws-sdk/client-sagemaker";
import { sageMakerSdk } from "./lazy-sdk.js";
import type * as pulumi from "@pulumi/pulumi";
import { adoptIfOurs, deleteAndWait, immutableDiff, orMissing, toTagList, updateTags } from "./lifecycle.js";
import type { ProviderImpl } from "./provider-impl.js";
import { listTags, sagemaker, tagging } from "./sagemaker-client.js";
import { putIfAbsent } from "./s3-client.js";
import { uploadBundle } from "./source-bundle.js";

export interface ModelInputs {
  name: string;
  executionRoleArn: string;
  image: string;
  /** the serving code (serving.properties, model.py) bundled as the model's ModelDataUrl */
  code?: { files: Record<string, string>; sha256: string; bucket: string; prefix: string };
  environment: Record<string, string>;
  tags: Record<string, string>;
}

export interface ModelOutputs extends ModelInputs {
  arn: string;
  modelDataUrl: string;
}

function describe(name: string): Promise<DescribeModelCommandOutput | undefined> {
  return orMissing(() => sagemaker().send(new sageMakerSdk.DescribeModelCommand({ ModelName: name })));
}

async function uploadCode(inputs: ModelInputs): Promise<string> {
  if (!inputs.code) return "";
  const { uri } = await uploadBundle(
    { files: inputs.code.files },
    inputs.code.sha256,
    { bucket: inputs.code.bucket, prefix: inputs.code.prefix, name: "code" },
    (bucket, key, body) => putIfAbsent(bucket, key, body, "application/gzip"),
  );
  return uri;
}

async function adoptOrCreate(inputs: ModelInputs, modelDataUrl: string): Promise<string> {
  const existing = await describe(inputs.name);
  if (existing?.ModelArn) {
    // left by a run that was killed after CreateModel
    await adoptIfOurs("model", inputs.name, existing.ModelArn, inputs.tags, listTags);
    return existing.ModelArn;
  }
  const created = await sagemaker().send(
    new sageMakerSdk.CreateModelCommand({
      ModelName: inputs.name,
      ExecutionRoleArn: inputs.executionRoleArn,
      PrimaryContainer: {
        Image: inputs.image,
        ...(modelDataUrl ? { ModelDataUrl: modelDataUrl } : {}),
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
    const modelDataUrl = await uploadCode(inputs);
    const arn = await adoptOrCreate(inputs, modelDataUrl);
    return { id: inputs.name, outs: { ...inputs, arn, modelDataUrl } };
  },

  async read(id, props) {
    const found = await describe(id);
    // an empty id tells the engine the object is gone (e.g. deleted outside Pulumi)
    if (!found) return { id: "" } as pulumi.dynamic.ReadResult<ModelOutputs>;
    return {
      id,
      props: props ? { ...props, arn: found.ModelArn ?? props.arn } : undefined,
    } as pulumi.dynamic.ReadResult<ModelOutputs>;
  },

  async diff(_id, olds, news) {
    // a new name lets the replacement exist beside the old one; the same name must go first
    return immutableDiff(olds, news, ["name", "executionRoleArn", "image", "code", "environment", "tags"]);
  },

  async update(_id, olds, news) {
    await updateTags(olds.arn, olds.tags, news.tags, tagging);
    return { outs: { ...olds, tags: news.tags } };
  },

  async delete(id) {
    await deleteAndWait(
      `model ${id}`,
      () => sagemaker().send(new sageMakerSdk.DeleteModelCommand({ ModelName: id })),
      () => sagemaker().send(new sageMakerSdk.DescribeModelCommand({ ModelName: id })),
      300,
    );
  },
};
