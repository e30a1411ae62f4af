// One SageMaker client per provider process, configured from the environment.
import { SageMakerClient } from "@aws-sdk/client-sagemaker";
import { clientSettings } from "../aws/clients.js";

let client: SageMakerClient | undefined;

export function sagemaker(): SageMakerClient {
  client ??= new SageMakerClient(clientSettings());
  return client;
}
