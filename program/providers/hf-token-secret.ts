// The experiment's Hugging Face token as an AWS Secrets Manager secret. A token in a training
// job's Environment is shown in plaintext by DescribeTrainingJob (and so to anyone with read
// access, and in CloudTrail): the job gets this secret's ARN instead, and the payload reads the
// value on each node's local rank 0 (payload/train/hf_token.py), with an execution role that may
// read zerostack's secrets alone (program/base/policies.ts).
//
// The value is never an input (inputs are stored in the state): the provider reads it from
// ZEROSTACK_HF_TOKEN, which the driver sets from the stack's Pulumi secret; `tokenHash` (a salted
// hash) is the input that tells a changed token from the same one. Delete removes the secret at
// once (no recovery window): `destroy` leaves nothing behind.
import { createHash } from "node:crypto";
import type { DescribeSecretCommandOutput, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { secretsManagerSdk } from "./lazy-sdk.js";
import type * as pulumi from "@pulumi/pulumi";
import { clientSettings } from "../aws/clients.js";
import { changedFields, ForeignObjectError, orMissing, SPEC_HASH_TAG } from "./lifecycle.js";
import type { ProviderImpl } from "./provider-impl.js";

export interface HfTokenSecretInputs {
  /** `zerostack/<stack>/hf-token` */
  name: string;
  /** sha256 of the secret's name and the token: a changed token is an update */
  tokenHash: string;
  tags: Record<string, string>;
}

export interface HfTokenSecretOutputs extends HfTokenSecretInputs {
  arn: string;
}

/** What the program passes as `tokenHash`: salted with the secret's name, so equal tokens hash apart. */
export function hfTokenHash(name: string, token: string): string {
  return createHash("sha256").update(`${name}\n${token}`).digest("hex");
}

let client: SecretsManagerClient | undefined;
const secrets = () => {
  client ??= new secretsManagerSdk.SecretsManagerClient(clientSettings());
  return client;
};

function token(): string {
  const value = process.env.ZEROSTACK_HF_TOKEN;
  if (!value) throw new Error("this experiment needs a Hugging Face token: set HF_TOKEN and run `zerostack up` again");
  return value;
}

const asTags = (tags: Record<string, string>) => Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));

function describe(name: string): Promise<DescribeSecretCommandOutput | undefined> {
  return orMissing(() => secrets().send(new secretsManagerSdk.DescribeSecretCommand({ SecretId: name })));
}

export const provider: ProviderImpl<HfTokenSecretInputs, HfTokenSecretOutputs> = {
  async create(inputs) {
    const existing = await describe(inputs.name);
    if (existing) {
      // a killed `up` made it: ours (same spec-hash) is adopted and given the token again
      const found = existing.Tags?.find((t) => t.Key === SPEC_HASH_TAG)?.Value;
      if (found !== inputs.tags[SPEC_HASH_TAG]) {
        throw new ForeignObjectError("secret", inputs.name, found, inputs.tags[SPEC_HASH_TAG] ?? "");
      }
      await secrets().send(
        new secretsManagerSdk.PutSecretValueCommand({ SecretId: inputs.name, SecretString: token() }),
      );
      return { id: inputs.name, outs: { ...inputs, arn: existing.ARN ?? "" } };
    }
    const created = await secrets().send(
      new secretsManagerSdk.CreateSecretCommand({
        Name: inputs.name,
        Description: "Hugging Face token of a zerostack experiment (read by its training job)",
        SecretString: token(),
        Tags: asTags(inputs.tags),
      }),
    );
    return { id: inputs.name, outs: { ...inputs, arn: created.ARN ?? "" } };
  },

  async read(id, props) {
    const found = await describe(id);
    if (!found || !props) return { id: found ? id : "" } as pulumi.dynamic.ReadResult<HfTokenSecretOutputs>;
    return { id, props: { ...props, arn: found.ARN ?? props.arn } };
  },

  async diff(_id, olds, news) {
    const replaces = changedFields(olds, news, ["name"]);
    const updates = changedFields(olds, news, ["tokenHash", "tags"]);
    return { changes: replaces.length + updates.length > 0, replaces, deleteBeforeReplace: true };
  },

  async update(id, olds, news) {
    if (olds.tokenHash !== news.tokenHash) {
      await secrets().send(new secretsManagerSdk.PutSecretValueCommand({ SecretId: id, SecretString: token() }));
    }
    const removed = Object.keys(olds.tags).filter((k) => !(k in news.tags));
    if (removed.length > 0)
      await secrets().send(new secretsManagerSdk.UntagResourceCommand({ SecretId: id, TagKeys: removed }));
    await secrets().send(new secretsManagerSdk.TagResourceCommand({ SecretId: id, Tags: asTags(news.tags) }));
    return { outs: { ...news, arn: olds.arn } };
  },

  async delete(id) {
    await orMissing(() =>
      secrets().send(new secretsManagerSdk.DeleteSecretCommand({ SecretId: id, ForceDeleteWithoutRecovery: true })),
    );
  },
};
