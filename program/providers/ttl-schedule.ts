// The endpoint's time-to-live: an EventBridge Scheduler one-time schedule whose universal
// target deletes the endpoint, so nothing bills after the TTL even if no client runs.
// Extending the TTL is an update of the schedule's time.
import type { CreateScheduleCommandInput, SchedulerClient } from "@aws-sdk/client-scheduler";
import { schedulerSdk } from "./lazy-sdk.js";
import type * as pulumi from "@pulumi/pulumi";
import { clientSettings } from "../aws/clients.js";
import { changedFields, orMissing } from "./lifecycle.js";
import type { ProviderImpl } from "./provider-impl.js";

export const DELETE_ENDPOINT_TARGET = "arn:aws:scheduler:::aws-sdk:sagemaker:deleteEndpoint";

export interface TtlScheduleInputs {
  name: string;
  endpointName: string;
  /** ISO time (UTC) at which the endpoint is deleted */
  expiresAt: string;
  /** a role that may only call sagemaker:DeleteEndpoint on this endpoint */
  roleArn: string;
}

export type TtlScheduleOutputs = TtlScheduleInputs & { arn: string };

let client: SchedulerClient | undefined;
function scheduler(): SchedulerClient {
  client ??= new schedulerSdk.SchedulerClient(clientSettings());
  return client;
}

/** `at(yyyy-mm-ddThh:mm:ss)`, the one-time schedule expression (no zone suffix, no millis). */
export function atExpression(iso: string): string {
  return `at(${new Date(iso).toISOString().slice(0, 19)})`;
}

function scheduleInput(inputs: TtlScheduleInputs): CreateScheduleCommandInput {
  return {
    Name: inputs.name,
    ScheduleExpression: atExpression(inputs.expiresAt),
    ScheduleExpressionTimezone: "UTC",
    FlexibleTimeWindow: { Mode: "OFF" },
    ActionAfterCompletion: "DELETE",
    Description: `zerostack TTL: delete endpoint ${inputs.endpointName}`,
    Target: {
      Arn: DELETE_ENDPOINT_TARGET,
      RoleArn: inputs.roleArn,
      Input: JSON.stringify({ EndpointName: inputs.endpointName }),
    },
  };
}

async function exists(name: string): Promise<string | undefined> {
  const found = await orMissing(() => scheduler().send(new schedulerSdk.GetScheduleCommand({ Name: name })));
  return found ? (found.Arn ?? name) : undefined;
}

export const provider: ProviderImpl<TtlScheduleInputs, TtlScheduleOutputs> = {
  async create(inputs) {
    const found = await exists(inputs.name);
    const arn = found
      ? ((await scheduler().send(new schedulerSdk.UpdateScheduleCommand(scheduleInput(inputs)))).ScheduleArn ?? found)
      : ((await scheduler().send(new schedulerSdk.CreateScheduleCommand(scheduleInput(inputs)))).ScheduleArn ?? "");
    return { id: inputs.name, outs: { ...inputs, arn } };
  },

  async read(id, props) {
    // a schedule that fired deletes itself (ActionAfterCompletion: DELETE)
    return ((await exists(id)) ? { id, props } : { id: "" }) as pulumi.dynamic.ReadResult<TtlScheduleOutputs>;
  },

  async diff(_id, olds, news) {
    const replaces = changedFields(olds, news, ["name"]);
    const updates = changedFields(olds, news, ["endpointName", "expiresAt", "roleArn"]);
    return { changes: replaces.length + updates.length > 0, replaces, deleteBeforeReplace: true };
  },

  async update(_id, olds, news) {
    if (!(await exists(news.name))) {
      const created = await scheduler().send(new schedulerSdk.CreateScheduleCommand(scheduleInput(news)));
      return { outs: { ...news, arn: created.ScheduleArn ?? olds.arn } };
    }
    const updated = await scheduler().send(new schedulerSdk.UpdateScheduleCommand(scheduleInput(news)));
    return { outs: { ...news, arn: updated.ScheduleArn ?? olds.arn } };
  },

  async delete(id) {
    await orMissing(() => scheduler().send(new schedulerSdk.DeleteScheduleCommand({ Name: id }))); // a schedule that fired is gone already
  },
};
