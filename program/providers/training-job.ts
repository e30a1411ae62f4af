// SageMaker TrainingJob. SageMaker keeps job records forever and never reuses a name, so the
// name carries the spec hash and every input change replaces the job. Create uploads the
// payload bundle (content-addressed: never twice), starts the job and waits for a terminal
// status, so the graph is honest: the model depends on finished artifacts. Delete stops a
// running job and leaves a finished one as SageMaker keeps it.
import type { CreateTrainingJobCommand, DescribeTrainingJobCommandOutput } from "@aws-sdk/client-sagemaker";
import { sageMakerSdk } from "./lazy-sdk.js";
import type * as pulumi from "@pulumi/pulumi";
import { adoptIfOurs, immutableDiff, orMissing, toTagList, updateTags, waitUntil } from "./lifecycle.js";
import type { ProviderImpl } from "./provider-impl.js";
import { listTags, sagemaker, tagging } from "./sagemaker-client.js";
import { objectExists, putIfAbsent, putObject } from "./s3-client.js";
import { objectTagging } from "./object-tags.js";
import { bundleKey, uploadBundle } from "./source-bundle.js";

export interface TrainingJobInputs {
  name: string;
  roleArn: string;
  image: string;
  instanceType: string;
  instanceCount: number;
  volumeSizeGb: number;
  /** local folder bundled as sourcedir.tar.gz (payload/train), generated files added to it, and the bundle's hash */
  sourceDir: string;
  sourceFiles: Record<string, string>;
  sourceSha256: string;
  bucket: string;
  sourcePrefix: string;
  entryPoint: string;
  /** channel name -> s3:// prefix */
  channels: Record<string, string>;
  environment: Record<string, string>;
  hyperparameters: Record<string, string>;
  maxRuntimeSeconds: number;
  /** managed spot: MaxWaitTimeInSeconds and checkpoints */
  spot?: { maxWaitSeconds: number; checkpointS3Uri: string };
  metricDefinitions: { Name: string; Regex: string }[];
  outputS3Uri: string;
  tags: Record<string, string>;
  /**
   * The ARN of the Secrets Manager secret holding the HF token (program/providers/hf-token-secret.ts):
   * the job's Environment gets the ARN as HF_TOKEN_SECRET_ARN, never the token, which
   * DescribeTrainingJob would show in plaintext.
   */
  hfTokenSecretArn?: string;
  /** give up waiting after this long (the job keeps running; `up` again resumes waiting) */
  waitTimeoutSeconds: number;
}

export interface TrainingJobOutputs extends TrainingJobInputs {
  arn: string;
  status: string;
  secondaryStatus: string;
  billableSeconds: number;
  modelS3Uri: string;
  sourceS3Uri: string;
  uploadedBytes: number;
}

function describe(name: string): Promise<DescribeTrainingJobCommandOutput | undefined> {
  return orMissing(() => sagemaker().send(new sageMakerSdk.DescribeTrainingJobCommand({ TrainingJobName: name })));
}

/** Where a job's source bundle lives: content-addressed (bundleKey), so the key names the bytes. */
export function sourceBundleKey(inputs: Pick<TrainingJobInputs, "sourcePrefix" | "sourceSha256">): string {
  return bundleKey(inputs.sourcePrefix, "sourcedir", inputs.sourceSha256);
}

// source bundles are needed only when a job starts: the base bucket expires old ones (by this tag)
const SOURCE_OBJECT = { contentType: "application/gzip", tagging: objectTagging("source-bundle") };

/** Uploads a built source bundle unless its key exists; the bytes sent (0 when it was there). */
export function putSourceBundle(bucket: string, key: string, bytes: Buffer): Promise<number> {
  return putIfAbsent(bucket, key, bytes, SOURCE_OBJECT.contentType, SOURCE_OBJECT.tagging);
}

/**
 * The planned bundle in S3. `up` stages it while the engine starts (program/driver/experiment-stack.ts):
 * then its key, which names the planned bytes, exists and nothing is built again here.
 */
async function uploadSource(inputs: TrainingJobInputs): Promise<{ uri: string; bytes: number }> {
  const key = sourceBundleKey(inputs);
  if (await objectExists(inputs.bucket, key)) return { uri: `s3://${inputs.bucket}/${key}`, bytes: 0 };
  return uploadBundle(
    { dir: inputs.sourceDir, files: inputs.sourceFiles },
    inputs.sourceSha256,
    { bucket: inputs.bucket, prefix: inputs.sourcePrefix, name: "sourcedir" },
    (bucket, key, body) => putObject(bucket, key, body, SOURCE_OBJECT.contentType, SOURCE_OBJECT.tagging),
  );
}

function jobEnvironment(inputs: TrainingJobInputs): Record<string, string> {
  if (!inputs.hfTokenSecretArn) return inputs.environment;
  return { ...inputs.environment, HF_TOKEN_SECRET_ARN: inputs.hfTokenSecretArn };
}

function createCommand(inputs: TrainingJobInputs, sourceUri: string): CreateTrainingJobCommand {
  return new sageMakerSdk.CreateTrainingJobCommand({
    TrainingJobName: inputs.name,
    RoleArn: inputs.roleArn,
    AlgorithmSpecification: {
      TrainingImage: inputs.image,
      TrainingInputMode: "File",
      MetricDefinitions: inputs.metricDefinitions,
    },
    // how the SageMaker framework containers find the entry point and the source bundle
    HyperParameters: {
      ...inputs.hyperparameters,
      sagemaker_program: JSON.stringify(inputs.entryPoint),
      sagemaker_submit_directory: JSON.stringify(sourceUri),
    },
    InputDataConfig: Object.entries(inputs.channels).map(([ChannelName, uri]) => ({
      ChannelName,
      DataSource: { S3DataSource: { S3DataType: "S3Prefix", S3Uri: uri, S3DataDistributionType: "FullyReplicated" } },
    })),
    OutputDataConfig: { S3OutputPath: inputs.outputS3Uri },
    ResourceConfig: {
      InstanceType: inputs.instanceType as never,
      InstanceCount: inputs.instanceCount,
      VolumeSizeInGB: inputs.volumeSizeGb,
    },
    StoppingCondition: {
      MaxRuntimeInSeconds: inputs.maxRuntimeSeconds,
      ...(inputs.spot ? { MaxWaitTimeInSeconds: inputs.spot.maxWaitSeconds } : {}),
    },
    ...(inputs.spot
      ? { EnableManagedSpotTraining: true, CheckpointConfig: { S3Uri: inputs.spot.checkpointS3Uri } }
      : {}),
    Environment: jobEnvironment(inputs),
    Tags: toTagList(inputs.tags),
  });
}

function failureOf(job: DescribeTrainingJobCommandOutput): string | undefined {
  if (job.TrainingJobStatus === "Failed") return job.FailureReason ?? "no FailureReason given";
  if (job.TrainingJobStatus === "Stopped")
    return `stopped (${job.SecondaryStatus ?? "Stopped"})${job.FailureReason ? `: ${job.FailureReason}` : ""}`;
  return undefined;
}

async function waitForTerminal(inputs: TrainingJobInputs): Promise<DescribeTrainingJobCommandOutput> {
  return waitUntil({
    what: `training job ${inputs.name}`,
    describe: async () => (await describe(inputs.name))!,
    done: (job) => job.TrainingJobStatus === "Completed",
    failed: failureOf,
    status: (job) => `${job.TrainingJobStatus ?? "?"}/${job.SecondaryStatus ?? "?"}`,
    timeoutSeconds: inputs.waitTimeoutSeconds,
  });
}

function outputsOf(
  inputs: TrainingJobInputs,
  job: DescribeTrainingJobCommandOutput,
  sourceUri: string,
  uploadedBytes: number,
): TrainingJobOutputs {
  return {
    ...inputs,
    arn: job.TrainingJobArn ?? "",
    status: job.TrainingJobStatus ?? "Unknown",
    secondaryStatus: job.SecondaryStatus ?? "",
    billableSeconds: job.BillableTimeInSeconds ?? 0,
    modelS3Uri: inputs.environment.MODEL_S3_PATH ?? job.ModelArtifacts?.S3ModelArtifacts ?? "",
    sourceS3Uri: sourceUri,
    uploadedBytes,
  };
}

export const provider: ProviderImpl<TrainingJobInputs, TrainingJobOutputs> = {
  async create(inputs) {
    const { uri, bytes } = await uploadSource(inputs);
    const existing = await describe(inputs.name);
    if (existing?.TrainingJobArn) {
      // started by a run that was killed while waiting: adopt the job and wait again
      await adoptIfOurs("training job", inputs.name, existing.TrainingJobArn, inputs.tags, listTags);
    } else {
      await sagemaker().send(createCommand(inputs, uri));
    }
    const job = await waitForTerminal(inputs);
    return { id: inputs.name, outs: outputsOf(inputs, job, uri, bytes) };
  },

  async read(id, props) {
    const job = await describe(id);
    if (!job || !props) return { id: job ? id : "" } as pulumi.dynamic.ReadResult<TrainingJobOutputs>;
    return {
      id,
      props: {
        ...props,
        status: job.TrainingJobStatus ?? props.status,
        secondaryStatus: job.SecondaryStatus ?? "",
        billableSeconds: job.BillableTimeInSeconds ?? 0,
      },
    };
  },

  async diff(_id, olds, news) {
    return immutableDiff(olds, news, [
      "name",
      "roleArn",
      "image",
      "instanceType",
      "instanceCount",
      "volumeSizeGb",
      "sourceSha256",
      "sourceFiles",
      "bucket",
      "sourcePrefix",
      "entryPoint",
      "channels",
      "environment",
      "hyperparameters",
      "maxRuntimeSeconds",
      "spot",
      "metricDefinitions",
      "outputS3Uri",
      "hfTokenSecretArn",
      "tags",
    ]);
  },

  async update(_id, olds, news) {
    await updateTags(olds.arn, olds.tags, news.tags, tagging);
    return { outs: { ...olds, tags: news.tags } };
  },

  async delete(id) {
    const job = await describe(id);
    if (!job || !["InProgress", "Stopping"].includes(job.TrainingJobStatus ?? "")) return; // SageMaker keeps finished jobs
    if (job.TrainingJobStatus === "InProgress")
      await sagemaker().send(new sageMakerSdk.StopTrainingJobCommand({ TrainingJobName: id }));
    // a stop gives the job 120 s to save (SIGTERM, then SIGKILL)
    await waitUntil({
      what: `stopping training job ${id}`,
      describe: async () => (await describe(id))!,
      done: (j) => j.TrainingJobStatus !== "InProgress" && j.TrainingJobStatus !== "Stopping",
      status: (j) => j.TrainingJobStatus,
      timeoutSeconds: 600,
    });
  },
};
