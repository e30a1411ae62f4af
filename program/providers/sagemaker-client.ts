// One SageMaker client per provider process, configured from the environment.
import {
  AddTagsCommand,
  DeleteTagsCommand,
  ListTagsCommand,
  SageMakerClient,
  type Tag,
} from "@aws-sdk/client-sagemaker";
import { clientSettings } from "../aws/clients.js";

let client: SageMakerClient | undefined;

export function sagemaker(): SageMakerClient {
  client ??= new SageMakerClient(clientSettings());
  return client;
}

export async function listTags(arn: string): Promise<Tag[] | undefined> {
  return (await sagemaker().send(new ListTagsCommand({ ResourceArn: arn }))).Tags;
}

/** AddTags/DeleteTags, for lifecycle.updateTags. */
export const tagging = {
  add: (arn: string, Tags: Tag[]) => sagemaker().send(new AddTagsCommand({ ResourceArn: arn, Tags })),
  remove: (arn: string, TagKeys: string[]) => sagemaker().send(new DeleteTagsCommand({ ResourceArn: arn, TagKeys })),
};
