// Orphans: zerostack-tagged SageMaker objects, TTL schedules and HF token secrets whose stack no
// longer exists, found from the tags alone, so nothing keeps billing (or holding a token) after its
// state is lost: an `up` killed before its checkpoint recorded a create, or `rm --force`.
import {
  DeleteEndpointCommand,
  DeleteEndpointConfigCommand,
  DeleteModelCommand,
  ListEndpointConfigsCommand,
  ListEndpointsCommand,
  ListModelsCommand,
  ListTrainingJobsCommand,
  SageMakerClient,
  StopTrainingJobCommand,
} from "@aws-sdk/client-sagemaker";
import {
  DeleteScheduleCommand,
  GetScheduleCommand,
  ListSchedulesCommand,
  SchedulerClient,
} from "@aws-sdk/client-scheduler";
import { DeleteSecretCommand, ListSecretsCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { clientSettings } from "../aws/clients.js";
import { tagValue } from "../providers/lifecycle.js";
import { DELETE_ENDPOINT_TARGET } from "../providers/ttl-schedule.js";
import { HF_TOKEN_SECRET_PREFIX } from "../spec/names.js";
import { TAG_KEYS } from "../spec/tags.js";

import { stackStates } from "./inventory.js";
import type { DriverContext } from "./workspace.js";

export type OrphanKind = "training-job" | "model" | "endpoint-config" | "endpoint" | "ttl-schedule" | "secret";

export interface Orphan {
  kind: OrphanKind;
  name: string;
  stack: string;
}

interface Tagged {
  kind: OrphanKind;
  name: string;
  arn: string;
}

/** Pure: which tagged objects belong to no existing stack. */
export function orphansOf(
  objects: Array<{ kind: OrphanKind; name: string; stack: string | undefined }>,
  stacks: Set<string>,
): Orphan[] {
  return objects.filter((o): o is Orphan => o.stack !== undefined && !stacks.has(o.stack));
}

async function tagged(sm: SageMakerClient): Promise<Tagged[]> {
  const [models, configs, endpoints, jobs] = await Promise.all([
    sm.send(new ListModelsCommand({ MaxResults: 100 })),
    sm.send(new ListEndpointConfigsCommand({ MaxResults: 100 })),
    sm.send(new ListEndpointsCommand({ MaxResults: 100 })),
    sm.send(new ListTrainingJobsCommand({ MaxResults: 100, StatusEquals: "InProgress" })),
  ]);
  return [
    ...(models.Models ?? []).map((m) => ({ kind: "model" as const, name: m.ModelName ?? "", arn: m.ModelArn ?? "" })),
    ...(configs.EndpointConfigs ?? []).map((c) => ({
      kind: "endpoint-config" as const,
      name: c.EndpointConfigName ?? "",
      arn: c.EndpointConfigArn ?? "",
    })),
    ...(endpoints.Endpoints ?? []).map((e) => ({
      kind: "endpoint" as const,
      name: e.EndpointName ?? "",
      arn: e.EndpointArn ?? "",
    })),
    ...(jobs.TrainingJobSummaries ?? []).map((j) => ({
      kind: "training-job" as const,
      name: j.TrainingJobName ?? "",
      arn: j.TrainingJobArn ?? "",
    })),
  ];
}

/**
 * zerostack's secrets (the HF token: program/providers/hf-token-secret.ts), found by their name
 * prefix; ListSecrets returns their tags, so the owner needs no second call.
 */
export async function zerostackSecrets(
  client: SecretsManagerClient,
): Promise<Array<{ kind: "secret"; name: string; stack: string | undefined }>> {
  const found: Array<{ kind: "secret"; name: string; stack: string | undefined }> = [];
  let NextToken: string | undefined;
  do {
    const page = await client.send(
      new ListSecretsCommand({
        Filters: [{ Key: "name", Values: [HF_TOKEN_SECRET_PREFIX] }],
        MaxResults: 100,
        NextToken,
      }),
    );
    for (const s of page.SecretList ?? []) {
      // the name filter matches a prefix of any word: keep only names that start with ours
      if (!s.Name?.startsWith(HF_TOKEN_SECRET_PREFIX)) continue;
      found.push({ kind: "secret", name: s.Name, stack: s.Tags?.find((t) => t.Key === TAG_KEYS.stack)?.Value });
    }
    NextToken = page.NextToken;
  } while (NextToken);
  return found;
}

export async function findOrphans(stacks: Set<string>): Promise<Orphan[]> {
  const settings = clientSettings();
  const sm = new SageMakerClient(settings);
  const { listTags } = await import("../providers/sagemaker-client.js");
  const objects = await Promise.all(
    (await tagged(sm)).map(async (o) => ({
      kind: o.kind,
      name: o.name,
      stack: tagValue(await listTags(o.arn).catch(() => []), "zerostack:stack"),
    })),
  );
  // schedules carry no tags: ours target DeleteEndpoint of a zerostack endpoint
  const scheduler = new SchedulerClient(settings);
  const schedules = (await scheduler.send(new ListSchedulesCommand({ MaxResults: 100 }))).Schedules ?? [];
  for (const s of schedules) {
    if (s.Target?.Arn !== DELETE_ENDPOINT_TARGET) continue;
    const full = await scheduler.send(new GetScheduleCommand({ Name: s.Name }));
    const endpoint = (JSON.parse(full.Target?.Input ?? "{}") as { EndpointName?: string }).EndpointName;
    const owner =
      objects.find((o) => o.kind === "endpoint" && o.name === endpoint)?.stack ??
      (full.Description?.startsWith("zerostack TTL") ? endpoint?.replace(/-ep$/, "") : undefined);
    objects.push({ kind: "ttl-schedule", name: s.Name ?? "", stack: owner });
  }
  objects.push(...(await zerostackSecrets(new SecretsManagerClient(settings))));
  return orphansOf(objects, stacks);
}

/**
 * Deletes orphans, endpoints first (they bill), running jobs stopped (SageMaker keeps job records),
 * secrets last (a running job may still read its token) and at once, with no recovery window, as
 * `destroy` deletes them.
 */
export async function deleteOrphans(orphans: Orphan[]): Promise<void> {
  const settings = clientSettings();
  const sm = new SageMakerClient(settings);
  const scheduler = new SchedulerClient(settings);
  const secrets = new SecretsManagerClient(settings);
  const order: OrphanKind[] = ["endpoint", "ttl-schedule", "endpoint-config", "model", "training-job", "secret"];
  for (const kind of order) {
    for (const o of orphans.filter((x) => x.kind === kind)) {
      if (kind === "endpoint") await sm.send(new DeleteEndpointCommand({ EndpointName: o.name }));
      if (kind === "ttl-schedule") await scheduler.send(new DeleteScheduleCommand({ Name: o.name }));
      if (kind === "endpoint-config") await sm.send(new DeleteEndpointConfigCommand({ EndpointConfigName: o.name }));
      if (kind === "model") await sm.send(new DeleteModelCommand({ ModelName: o.name }));
      if (kind === "training-job") await sm.send(new StopTrainingJobCommand({ TrainingJobName: o.name }));
      if (kind === "secret") {
        await secrets.send(new DeleteSecretCommand({ SecretId: o.name, ForceDeleteWithoutRecovery: true }));
      }
    }
  }
}

/** Orphans of the stacks this context can see (every stack of the backend owns its objects). */
export async function orphansOfContext(ctx: DriverContext): Promise<Orphan[]> {
  const stacks = new Set((await stackStates(ctx)).map((s) => s.name));
  return findOrphans(stacks);
}
