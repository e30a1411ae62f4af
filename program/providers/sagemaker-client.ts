// One SageMaker client per provider process, configured from the environment.
import type { SageMakerClient, Tag } from "@aws-sdk/client-sagemaker";
import { sageMakerSdk } from "./lazy-sdk.js";
import { clientSettings } from "../aws/clients.js";

let client: SageMakerClient | undefined;

export function sagemaker(): SageMakerClient {
  client ??= new sageMakerSdk.SageMakerClient(clientSettings());
  return client;
}

export async function listTags(arn: string): Promise<Tag[] | undefined> {
  return (await sagemaker().send(new sageMakerSdk.ListTagsCommand({ ResourceArn: arn }))).Tags;
}

/** AddTags/DeleteTags, for lifecycle.updateTags. */
export const tagging = {
  add: (arn: string, Tags: Tag[]) => sagemaker().send(new sageMakerSdk.AddTagsCommand({ ResourceArn: arn, Tags })),
  remove: (arn: string, TagKeys: string[]) =>
    sagemaker().send(new sageMakerSdk.DeleteTagsCommand({ ResourceArn: arn, TagKeys })),
};
