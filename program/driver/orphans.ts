// Orphans: zerostack-tagged SageMaker objects (and TTL schedules) whose stack no longer exists,
// found from the tags alone, so nothing keeps billing after its state is lost.
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
import { clientSettings } from "../aws/clients.js";
import { tagValue } from "../providers/lifecycle.js";
import { DELETE_ENDPOINT_TARGET } from "../providers/ttl-schedule.js";

import { stackStates } from "./inventory.js";
import type { DriverContext } from "./workspace.js";

export type OrphanKind = "training-job" | "model" | "endpoint-config" | "endpoint" | "ttl-schedule";

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
  return orphansOf(objects, stacks);
}

/** Deletes orphans, endpoints first (they bill), running jobs stopped (SageMaker keeps job records). */
export async function deleteOrphans(orphans: Orphan[]): Promise<void> {
  const settings = clientSettings();
  const sm = new SageMakerClient(settings);
  const scheduler = new SchedulerClient(settings);
  const order: OrphanKind[] = ["endpoint", "ttl-schedule", "endpoint-config", "model", "training-job"];
  for (const kind of order) {
    for (const o of orphans.filter((x) => x.kind === kind)) {
      if (kind === "endpoint") await sm.send(new DeleteEndpointCommand({ EndpointName: o.name }));
      if (kind === "ttl-schedule") await scheduler.send(new DeleteScheduleCommand({ Name: o.name }));
      if (kind === "endpoint-config") await sm.send(new DeleteEndpointConfigCommand({ EndpointConfigName: o.name }));
      if (kind === "model") await sm.send(new DeleteModelCommand({ ModelName: o.name }));
      if (kind === "training-job") await sm.send(new StopTrainingJobCommand({ TrainingJobName: o.name }));
    }
  }
}

/** Orphans of the stacks this context can see (every stack of the backend owns its objects). */
export async function orphansOfContext(ctx: DriverContext): Promise<Orphan[]> {
  const stacks = new Set((await stackStates(ctx)).map((s) => s.name));
  return findOrphans(stacks);
}
