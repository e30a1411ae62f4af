// Reach the sandbox cloud that the CLI started for a temp ZEROSTACK_HOME.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { SageMakerClient } from "@aws-sdk/client-sagemaker";

export interface ServiceInfo {
  pid: number;
  endpoint: string;
}

export function serviceOf(home: string): ServiceInfo {
  return JSON.parse(readFileSync(join(home, "sandbox", "service.json"), "utf8")) as ServiceInfo;
}

export const testCredentials = { accessKeyId: "zerostack-sandbox", secretAccessKey: "zerostack-sandbox" };

export function sagemakerFor(endpoint: string): SageMakerClient {
  return new SageMakerClient({ region: "us-east-1", endpoint, credentials: testCredentials });
}

export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
