// SageMaker Endpoint: created once under a deterministic name; a new model or config is an
// UpdateEndpoint in place (never delete + create), and every wait surfaces FailureReason.
import type { DescribeEndpointCommandOutput } from "@aws-sdk/client-sagemaker";
import { sageMakerSdk } from "./lazy-sdk.js";
import type * as pulumi from "@pulumi/pulumi";
import { adoptIfOurs, changedFields, deleteAndWait, orMissing, toTagList, updateTags, waitUntil } from "./lifecycle.js";
import type { ProviderImpl } from "./provider-impl.js";
import { listTags, sagemaker, tagging } from "./sagemaker-client.js";

export interface EndpointInputs {
  name: string;
  configName: string;
  tags: Record<string, string>;
  /** derived from the config's health-check timeout plus instance start-up */
  waitTimeoutSeconds: number;
}

export interface EndpointOutputs extends EndpointInputs {
  arn: string;
  status: string;
  /** ISO CreationTime from DescribeEndpoint ("" when SageMaker gave none) */
  createdAt: string;
}

function describe(name: string): Promise<DescribeEndpointCommandOutput | undefined> {
  return orMissing(() => sagemaker().send(new sageMakerSdk.DescribeEndpointCommand({ EndpointName: name })));
}

/** What the stack keeps of a described endpoint; CreationTime is on SageMaker's clock, as the TTL deadline is. */
function stateOf(found: DescribeEndpointCommandOutput): Pick<EndpointOutputs, "arn" | "status" | "createdAt"> {
  return {
    arn: found.EndpointArn ?? "",
    status: found.EndpointStatus ?? "",
    createdAt: found.CreationTime?.toISOString() ?? "",
  };
}

async function waitInService(inputs: EndpointInputs): Promise<DescribeEndpointCommandOutput> {
  return waitUntil({
    what: `endpoint ${inputs.name}`,
    describe: async () => {
      const found = await describe(inputs.name);
      if (!found) throw new Error(`endpoint ${inputs.name} disappeared while waiting for it`);
      return found;
    },
    done: (e) => e.EndpointStatus === "InService" && e.EndpointConfigName === inputs.configName,
    failed: (e) => (e.EndpointStatus === "Failed" ? (e.FailureReason ?? "no FailureReason given") : undefined),
    status: (e) => e.EndpointStatus,
    timeoutSeconds: inputs.waitTimeoutSeconds,
  });
}

function removeEndpoint(name: string): Promise<void> {
  // gone already is fine: e.g. the TTL schedule deleted it
  return deleteAndWait(
    `endpoint ${name}`,
    () => sagemaker().send(new sageMakerSdk.DeleteEndpointCommand({ EndpointName: name })),
    () => sagemaker().send(new sageMakerSdk.DescribeEndpointCommand({ EndpointName: name })),
    900,
  );
}

/** Waits for InService; an endpoint that went Failed is deleted first: a failed create leaves nothing behind. */
async function createdOrCleaned(inputs: EndpointInputs): Promise<DescribeEndpointCommandOutput> {
  try {
    return await waitInService(inputs);
  } catch (error) {
    if ((await describe(inputs.name))?.EndpointStatus === "Failed") await removeEndpoint(inputs.name);
    throw error;
  }
}

export const provider: ProviderImpl<EndpointInputs, EndpointOutputs> = {
  async create(inputs) {
    let existing = await describe(inputs.name);
    if (existing?.EndpointArn && existing.EndpointStatus === "Failed") {
      // a Failed endpoint of ours (a killed run left it) is not adopted: it is made again
      await adoptIfOurs("endpoint", inputs.name, existing.EndpointArn, inputs.tags, listTags);
      await removeEndpoint(inputs.name);
      existing = undefined;
    }
    if (existing?.EndpointArn) {
      await adoptIfOurs("endpoint", inputs.name, existing.EndpointArn, inputs.tags, listTags);
      if (existing.EndpointConfigName !== inputs.configName && existing.EndpointStatus === "InService") {
        await sagemaker().send(
          new sageMakerSdk.UpdateEndpointCommand({ EndpointName: inputs.name, EndpointConfigName: inputs.configName }),
        );
      }
    } else {
      await sagemaker().send(
        new sageMakerSdk.CreateEndpointCommand({
          EndpointName: inputs.name,
          EndpointConfigName: inputs.configName,
          Tags: toTagList(inputs.tags),
        }),
      );
    }
    const ready = await createdOrCleaned(inputs);
    return { id: inputs.name, outs: { ...inputs, ...stateOf(ready) } };
  },

  async read(id, props) {
    const found = await describe(id);
    if (!found || !props) return { id: found ? id : "" } as pulumi.dynamic.ReadResult<EndpointOutputs>;
    return {
      id,
      props: { ...props, status: found.EndpointStatus ?? "", configName: found.EndpointConfigName ?? props.configName },
    };
  },

  async diff(_id, olds, news) {
    const replaces = changedFields(olds, news, ["name"]);
    const updates = changedFields(olds, news, ["configName", "tags", "waitTimeoutSeconds"]);
    return { changes: replaces.length + updates.length > 0, replaces, deleteBeforeReplace: true };
  },

  async update(id, olds, news) {
    await updateTags(olds.arn, olds.tags, news.tags, tagging);
    if (olds.configName !== news.configName) {
      await sagemaker().send(
        new sageMakerSdk.UpdateEndpointCommand({ EndpointName: id, EndpointConfigName: news.configName }),
      );
    }
    const ready = await waitInService(news);
    return { outs: { ...news, ...stateOf(ready), arn: ready.EndpointArn ?? olds.arn } };
  },

  async delete(id) {
    await removeEndpoint(id);
  },
};
