// An in-memory stand-in for the SageMaker and S3 APIs, placed under the providers' real SDK clients
// as their request handler: the providers, the SDK's serializers, its error deserializers and its
// signing all run for real; only the HTTP round trip to AWS is replaced. It answers as AWS does for
// the calls the providers make: a Describe/Delete of a missing object is a 400 ValidationException
// "Could not find ..." (SageMaker's awsJson1_1 answer), a second Create is refused, UpdateEndpoint
// needs an InService endpoint and an existing config, HeadObject of a missing key is a bare 404.
//
// Statuses move one step per Describe: each object holds a queue of patches, and every Describe
// answers the current state, then applies the next patch. A test sets `plan.<kind>` to choose what
// the next Create (or UpdateEndpoint) leads to.
import type { HttpRequest, HttpResponse } from "@smithy/types";
import { vi } from "vitest";
import { s3 } from "../../program/providers/s3-client.js";
import { sagemaker } from "../../program/providers/sagemaker-client.js";

export const REGION = "us-east-1";
const ACCOUNT = "123456789012";

type Fields = Record<string, unknown>;
type Patch = Fields | "gone";
type Kind = "endpoint" | "endpoint-config" | "model" | "training-job";

interface Stored {
  kind: Kind;
  name: string;
  arn: string;
  fields: Fields;
  pending: Patch[];
}

export interface Call {
  action: string;
  input: Fields;
  /** Date.now() when the call arrived: the fake clock under vi.useFakeTimers() */
  at: number;
}

class AwsError {
  constructor(
    readonly status: number,
    readonly type: string,
    readonly message: string,
  ) {}
}

function arnOf(kind: Kind, name: string): string {
  // SageMaker lower-cases names in ARNs
  return `arn:aws:sagemaker:${REGION}:${ACCOUNT}:${kind}/${name.toLowerCase()}`;
}

const NOUN: Record<Kind, string> = {
  endpoint: "endpoint",
  "endpoint-config": "endpoint configuration",
  model: "model",
  "training-job": "training job",
};

export class AwsStandIn {
  calls: Call[] = [];
  objects = new Map<string, Stored>();
  tags = new Map<string, { Key: string; Value: string }[]>();
  s3Objects = new Map<string, Uint8Array>();
  /** what the next Create/Update of each kind goes through, one patch per Describe */
  plan: Partial<Record<Kind, Patch[]>> = {};

  reset(): void {
    this.calls = [];
    this.objects.clear();
    this.tags.clear();
    this.s3Objects.clear();
    this.plan = {};
  }

  actions(): string[] {
    return this.calls.map((c) => c.action);
  }

  callsOf(action: string): Call[] {
    return this.calls.filter((c) => c.action === action);
  }

  /** An object that exists already, as a killed run or another spec left it. */
  seed(kind: Kind, name: string, fields: Fields, tags: Record<string, string> = {}, pending: Patch[] = []): string {
    const arn = arnOf(kind, name);
    this.objects.set(`${kind}/${name}`, { kind, name, arn, fields, pending });
    this.tags.set(
      arn,
      Object.entries(tags).map(([Key, Value]) => ({ Key, Value })),
    );
    return arn;
  }

  get(kind: Kind, name: string): Stored | undefined {
    return this.objects.get(`${kind}/${name}`);
  }

  tagsOf(kind: Kind, name: string): Record<string, string> {
    const found = this.get(kind, name);
    return Object.fromEntries((found ? (this.tags.get(found.arn) ?? []) : []).map((t) => [t.Key, t.Value]));
  }

  // ---- the request handler the SDK clients call instead of their HTTP handler ----

  async handle(request: HttpRequest): Promise<{ response: HttpResponse }> {
    const target = request.headers["x-amz-target"];
    try {
      if (target?.startsWith("SageMaker.")) {
        const action = target.slice("SageMaker.".length);
        const input = JSON.parse(decode(request.body)) as Fields;
        this.calls.push({ action, input, at: Date.now() });
        return json(200, this.sagemaker(action, input));
      }
      return this.s3(request);
    } catch (error) {
      if (!(error instanceof AwsError)) throw error;
      return json(error.status, { __type: `com.amazon.coral.validate#${error.type}`, Message: error.message });
    }
  }

  private find(kind: Kind, name: string): Stored {
    const found = this.get(kind, name);
    if (!found) {
      throw kind === "training-job"
        ? new AwsError(400, "ValidationException", "Requested resource not found.")
        : new AwsError(400, "ValidationException", `Could not find ${NOUN[kind]} "${arnOf(kind, name)}".`);
    }
    return found;
  }

  private create(kind: Kind, name: string, fields: Fields, tags: unknown, defaults: Patch[]): string {
    if (this.get(kind, name))
      throw new AwsError(
        400,
        "ValidationException",
        `Cannot create already existing ${NOUN[kind]} "${arnOf(kind, name)}".`,
      );
    const arn = this.seed(kind, name, fields, {}, this.plan[kind] ?? defaults);
    this.tags.set(arn, (tags as { Key: string; Value: string }[] | undefined) ?? []);
    delete this.plan[kind];
    return arn;
  }

  /** Answers the current state, then moves one step along the object's queue. */
  private describe(kind: Kind, name: string, arnField: string): Fields {
    const found = this.find(kind, name);
    const answer = { ...found.fields, [arnField]: found.arn };
    const next = found.pending.shift();
    if (next === "gone") this.objects.delete(`${kind}/${name}`);
    else if (next) Object.assign(found.fields, next);
    return answer;
  }

  private byArn(arn: unknown): string {
    for (const o of this.objects.values()) if (o.arn === arn) return o.arn;
    throw new AwsError(400, "ValidationException", `Could not find resource "${String(arn)}".`);
  }

  private sagemaker(action: string, i: Fields): Fields {
    const now = Math.floor(Date.now() / 1000);
    switch (action) {
      case "DescribeEndpoint":
        return this.describe("endpoint", i.EndpointName as string, "EndpointArn");
      case "CreateEndpoint": {
        this.find("endpoint-config", i.EndpointConfigName as string);
        const fields = {
          EndpointName: i.EndpointName,
          EndpointConfigName: i.EndpointConfigName,
          EndpointStatus: "Creating",
          CreationTime: now,
          LastModifiedTime: now,
        };
        return {
          EndpointArn: this.create("endpoint", i.EndpointName as string, fields, i.Tags, [
            { EndpointStatus: "InService" },
          ]),
        };
      }
      case "UpdateEndpoint": {
        const endpoint = this.find("endpoint", i.EndpointName as string);
        this.find("endpoint-config", i.EndpointConfigName as string);
        if (endpoint.fields.EndpointStatus !== "InService") {
          throw new AwsError(400, "ValidationException", `Cannot update in-progress endpoint "${endpoint.arn}".`);
        }
        endpoint.fields.EndpointStatus = "Updating";
        endpoint.pending = this.plan.endpoint ?? [
          { EndpointStatus: "InService", EndpointConfigName: i.EndpointConfigName },
        ];
        delete this.plan.endpoint;
        return { EndpointArn: endpoint.arn };
      }
      case "DeleteEndpoint": {
        const endpoint = this.find("endpoint", i.EndpointName as string);
        endpoint.fields.EndpointStatus = "Deleting";
        endpoint.pending = ["gone"];
        return {};
      }
      case "DescribeEndpointConfig":
        return this.describe("endpoint-config", i.EndpointConfigName as string, "EndpointConfigArn");
      case "CreateEndpointConfig": {
        for (const v of i.ProductionVariants as Fields[]) this.find("model", v.ModelName as string);
        const fields = {
          EndpointConfigName: i.EndpointConfigName,
          ProductionVariants: i.ProductionVariants,
          CreationTime: now,
        };
        return {
          EndpointConfigArn: this.create("endpoint-config", i.EndpointConfigName as string, fields, i.Tags, []),
        };
      }
      case "DeleteEndpointConfig":
        this.objects.delete(`endpoint-config/${this.find("endpoint-config", i.EndpointConfigName as string).name}`);
        return {};
      case "DescribeModel":
        return this.describe("model", i.ModelName as string, "ModelArn");
      case "CreateModel": {
        const fields = {
          ModelName: i.ModelName,
          ExecutionRoleArn: i.ExecutionRoleArn,
          PrimaryContainer: i.PrimaryContainer,
          CreationTime: now,
        };
        return { ModelArn: this.create("model", i.ModelName as string, fields, i.Tags, []) };
      }
      case "DeleteModel":
        this.objects.delete(`model/${this.find("model", i.ModelName as string).name}`);
        return {};
      case "DescribeTrainingJob":
        return this.describe("training-job", i.TrainingJobName as string, "TrainingJobArn");
      case "CreateTrainingJob": {
        const fields = {
          TrainingJobName: i.TrainingJobName,
          TrainingJobStatus: "InProgress",
          SecondaryStatus: "Starting",
          CreationTime: now,
        };
        return {
          TrainingJobArn: this.create("training-job", i.TrainingJobName as string, fields, i.Tags, [
            { TrainingJobStatus: "Completed", SecondaryStatus: "Completed" },
          ]),
        };
      }
      case "StopTrainingJob": {
        const job = this.find("training-job", i.TrainingJobName as string);
        if (job.fields.TrainingJobStatus !== "InProgress")
          throw new AwsError(
            400,
            "ValidationException",
            `The request was rejected because the training job is in status ${job.fields.TrainingJobStatus}.`,
          );
        job.fields.TrainingJobStatus = "Stopping";
        job.pending = [{ TrainingJobStatus: "Stopped", SecondaryStatus: "Stopped" }];
        return {};
      }
      case "ListTags":
        return { Tags: this.tags.get(this.byArn(i.ResourceArn)) ?? [] };
      case "AddTags": {
        const arn = this.byArn(i.ResourceArn);
        const added = i.Tags as { Key: string; Value: string }[];
        const kept = (this.tags.get(arn) ?? []).filter((t) => !added.some((a) => a.Key === t.Key));
        this.tags.set(arn, [...kept, ...added]);
        return { Tags: added };
      }
      case "DeleteTags": {
        const arn = this.byArn(i.ResourceArn);
        const keys = i.TagKeys as string[];
        this.tags.set(
          arn,
          (this.tags.get(arn) ?? []).filter((t) => !keys.includes(t.Key)),
        );
        return {};
      }
      default:
        throw new Error(`the stand-in does not implement SageMaker.${action}`);
    }
  }

  private s3(request: HttpRequest): { response: HttpResponse } {
    const key = `${request.hostname}${request.path}`;
    this.calls.push({ action: `S3.${request.method}`, input: { key }, at: Date.now() });
    if (request.method === "HEAD") {
      return this.s3Objects.has(key) ? raw(200, new Uint8Array()) : raw(404, new Uint8Array());
    }
    if (request.method === "PUT") {
      this.s3Objects.set(key, new Uint8Array());
      return raw(200, new Uint8Array(), { etag: '"0"' });
    }
    throw new Error(`the stand-in does not implement S3 ${request.method}`);
  }
}

function decode(body: unknown): string {
  if (typeof body === "string") return body;
  if (body instanceof Uint8Array) return new TextDecoder().decode(body);
  throw new Error("the stand-in expects a buffered request body");
}

function json(statusCode: number, body: Fields): { response: HttpResponse } {
  return raw(statusCode, new TextEncoder().encode(JSON.stringify(body)), {
    "content-type": "application/x-amz-json-1.1",
  });
}

function raw(statusCode: number, body: Uint8Array, headers: Record<string, string> = {}): { response: HttpResponse } {
  return { response: { statusCode, headers: { "x-amzn-requestid": "stand-in", ...headers }, body } };
}

let installed: AwsStandIn | undefined;

/**
 * Points the providers' SDK clients at the stand-in. Call it before any provider call: the SDK
 * caches a command's handler (with its request handler) on first use.
 */
export function installStandIn(): AwsStandIn {
  if (installed) return installed;
  vi.stubEnv("AWS_ENDPOINT_URL", undefined);
  vi.stubEnv("ZEROSTACK_POLL_MS", undefined);
  vi.stubEnv("AWS_REGION", REGION);
  vi.stubEnv("AWS_ACCESS_KEY_ID", "AKIDSTANDIN");
  vi.stubEnv("AWS_SECRET_ACCESS_KEY", "stand-in");
  vi.stubEnv("AWS_SESSION_TOKEN", undefined);
  vi.stubEnv("AWS_PROFILE", undefined);
  const standIn = new AwsStandIn();
  const handler = { handle: (request: HttpRequest) => standIn.handle(request) };
  (sagemaker().config as { requestHandler: unknown }).requestHandler = handler;
  (s3().config as { requestHandler: unknown }).requestHandler = handler;
  installed = standIn;
  return standIn;
}

/** Fake timers for the providers' waits; setImmediate stays real so real I/O (tar, fs) can finish. */
export function useFakeClock(): void {
  vi.useFakeTimers({
    toFake: ["setTimeout", "clearTimeout", "setInterval", "clearInterval", "Date"],
    now: new Date("2026-03-01T00:00:00Z"),
  });
}

export type Settled<T> = { ok: true; value: T } | { ok: false; error: Error };

/** Runs a provider call to its end, moving the fake clock from timer to timer while it waits. */
export async function settle<T>(promise: Promise<T>): Promise<Settled<T>> {
  let result: Settled<T> | undefined;
  promise.then(
    (value) => (result = { ok: true, value }),
    (error: Error) => (result = { ok: false, error }),
  );
  for (let turns = 0; result === undefined; turns++) {
    if (turns > 100_000) throw new Error("settle: the call never finished");
    if (vi.isFakeTimers() && vi.getTimerCount() > 0) await vi.advanceTimersToNextTimerAsync();
    else await new Promise((r) => setImmediate(r));
  }
  return result;
}

/** The gaps between successive calls of one action, in fake-clock milliseconds. */
export function gaps(calls: Call[]): number[] {
  return calls.slice(1).map((c, i) => c.at - calls[i]!.at);
}
