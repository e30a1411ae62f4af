// Reach the sandbox cloud that the CLI started for a temp ZEROSTACK_HOME.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { SageMakerClient } from "@aws-sdk/client-sagemaker";
import { afterAll, beforeAll, expect } from "vitest";
import { killLeftovers, runCli, tempHome } from "./cli.js";

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

export { pidAlive as alive } from "../../program/env/process.js";

/** POST (with a body) or GET a route of the sandbox's control surface. */
export async function control<T = Record<string, unknown>>(
  endpoint: string,
  route: string,
  body?: unknown,
): Promise<T> {
  const res = await fetch(
    `${endpoint}/_zerostack/${route}`,
    body === undefined
      ? {}
      : { method: "POST", body: JSON.stringify(body), headers: { "content-type": "application/json" } },
  );
  if (!res.ok) throw new Error(`${route}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

export interface UploadStats {
  s3: { put_object_count: number; uploaded_bytes: number };
}

/** SageMaker objects that still exist and carry a zerostack tag, by kind. */
export async function zerostackObjects(
  endpoint: string,
): Promise<{ models: number; endpointConfigs: number; endpoints: number; runningJobs: number }> {
  const sm = sagemakerFor(endpoint);
  const { ListModelsCommand, ListEndpointConfigsCommand, ListEndpointsCommand, ListTrainingJobsCommand } = await import(
    "@aws-sdk/client-sagemaker"
  );
  const [models, configs, endpoints, jobs] = await Promise.all([
    sm.send(new ListModelsCommand({})),
    sm.send(new ListEndpointConfigsCommand({})),
    sm.send(new ListEndpointsCommand({})),
    sm.send(new ListTrainingJobsCommand({ StatusEquals: "InProgress" })),
  ]);
  return {
    models: models.Models?.length ?? 0,
    endpointConfigs: configs.EndpointConfigs?.length ?? 0,
    endpoints: endpoints.Endpoints?.length ?? 0,
    runningJobs: jobs.TrainingJobSummaries?.length ?? 0,
  };
}

/**
 * A describe block's own sandbox cloud: a temp ZEROSTACK_HOME, `sandbox start` before its tests,
 * `sandbox stop` and cleanup after them; optionally a faster sandbox clock.
 */
export function sandboxSuite(opts: { speed?: number; env?: NodeJS.ProcessEnv } = {}): {
  home: string;
  env: NodeJS.ProcessEnv;
  endpoint: () => string;
} {
  const { home, env: base, cleanup } = tempHome();
  const env = { ...base, ...opts.env };
  let endpoint = "";
  beforeAll(async () => {
    const started = await runCli(["sandbox", "start"], env);
    expect(started.code, started.stderr).toBe(0);
    expect(started.stdout).toContain("SANDBOX");
    endpoint = serviceOf(home).endpoint;
    if (opts.speed) await control(endpoint, "clock", { speed: opts.speed });
  });
  afterAll(async () => {
    killLeftovers();
    await runCli(["sandbox", "stop"], env);
    cleanup();
  });
  return { home, env, endpoint: () => endpoint };
}
