// The training-job provider against the SageMaker and S3 stand-ins, through the real SDK clients,
// on a fake clock: its wait surfaces FailureReason, adoption checks the spec-hash, tags update in place.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { ForeignObjectError, SPEC_HASH_TAG } from "../../program/providers/lifecycle.js";
import { bundle } from "../../program/providers/source-bundle.js";
import {
  provider,
  putSourceBundle,
  sourceBundleKey,
  type TrainingJobInputs,
} from "../../program/providers/training-job.js";
import { gaps, installStandIn, settle, useFakeClock } from "./aws-stand-in.js";

const aws = installStandIn();
afterAll(() => vi.unstubAllEnvs());

let inputs: TrainingJobInputs;
beforeAll(async () => {
  const sourceFiles = { "train.py": "print('train')\n", "ds_config.json": "{}\n" };
  inputs = {
    name: "zs-demo-train-ab12",
    roleArn: "arn:aws:iam::123456789012:role/zs-exec",
    image: "763104351884.dkr.ecr.us-east-1.amazonaws.com/pytorch-training:2.5-gpu-py311",
    instanceType: "ml.g6e.12xlarge",
    instanceCount: 2,
    volumeSizeGb: 200,
    sourceDir: "",
    sourceFiles,
    sourceSha256: (await bundle({ files: sourceFiles })).sha256,
    bucket: "zs-bucket",
    sourcePrefix: "sources",
    entryPoint: "train.py",
    channels: { train: "s3://zs-bucket/data/train/" },
    environment: { MODEL_S3_PATH: "s3://zs-bucket/runs/demo/model/" },
    hyperparameters: { epochs: "1" },
    maxRuntimeSeconds: 86400,
    metricDefinitions: [],
    outputS3Uri: "s3://zs-bucket/runs/demo/output/",
    tags: { [SPEC_HASH_TAG]: "t1", "zerostack:experiment": "demo" },
    waitTimeoutSeconds: 7200,
  };
});

beforeEach(() => {
  aws.reset();
  useFakeClock();
});
afterEach(() => vi.useRealTimers());

describe("training job create", () => {
  it("uploads the source once, starts the job and waits for Completed with backoff to a 30 s cap", async () => {
    aws.plan["training-job"] = [
      ...Array(5).fill({ SecondaryStatus: "Training" }),
      { TrainingJobStatus: "Completed", SecondaryStatus: "Completed" },
    ];
    const result = await settle(provider.create(inputs));
    expect(result).toMatchObject({
      ok: true,
      value: { id: inputs.name, outs: { status: "Completed", modelS3Uri: "s3://zs-bucket/runs/demo/model/" } },
    });
    expect(aws.actions().filter((a) => a.startsWith("S3."))).toEqual(["S3.HEAD", "S3.PUT"]);
    expect(aws.callsOf("CreateTrainingJob")).toHaveLength(1);
    expect(gaps(aws.callsOf("DescribeTrainingJob").slice(1))).toEqual([5000, 10000, 20000, 30000, 30000, 30000]);
  });

  it("finds a bundle staged ahead (as up does while the engine starts) and neither builds nor uploads it again", async () => {
    const staged = await bundle({ files: inputs.sourceFiles });
    const key = sourceBundleKey(inputs);
    expect(await putSourceBundle(inputs.bucket, key, staged.bytes)).toBe(staged.bytes.length);
    aws.plan["training-job"] = [{ TrainingJobStatus: "Completed", SecondaryStatus: "Completed" }];
    // a source folder that is not there: a provider that built the bundle would fail
    const result = await settle(provider.create({ ...inputs, sourceDir: "/nonexistent/payload/train" }));
    expect(result).toMatchObject({
      ok: true,
      value: { outs: { sourceS3Uri: `s3://zs-bucket/${key}`, uploadedBytes: 0 } },
    });
    expect(key).toBe(`sources/sourcedir-${staged.sha256.slice(0, 16)}.tar.gz`);
    expect(aws.actions().filter((a) => a.startsWith("S3."))).toEqual(["S3.HEAD", "S3.PUT", "S3.HEAD"]);
  });

  it("throws the job's FailureReason when it fails", async () => {
    aws.plan["training-job"] = [
      { SecondaryStatus: "Training" },
      {
        TrainingJobStatus: "Failed",
        SecondaryStatus: "Failed",
        FailureReason: "AlgorithmError: torch.OutOfMemoryError: CUDA out of memory",
      },
    ];
    const result = await settle(provider.create(inputs));
    expect(result.ok).toBe(false);
    expect((result as { error: Error }).error.message).toBe(
      `training job ${inputs.name} failed: AlgorithmError: torch.OutOfMemoryError: CUDA out of memory`,
    );
  });

  it("treats a stopped job as a failure that says why", async () => {
    aws.plan["training-job"] = [{ TrainingJobStatus: "Stopped", SecondaryStatus: "MaxRuntimeExceeded" }];
    const result = await settle(provider.create(inputs));
    expect((result as { error: Error }).error.message).toBe(
      `training job ${inputs.name} failed: stopped (MaxRuntimeExceeded)`,
    );
  });

  it("refuses a job of that name made from other inputs: no CreateTrainingJob, no wait", async () => {
    aws.seed(
      "training-job",
      inputs.name,
      { TrainingJobName: inputs.name, TrainingJobStatus: "InProgress", SecondaryStatus: "Training" },
      { [SPEC_HASH_TAG]: "other" },
    );
    const result = await settle(provider.create(inputs));
    expect(result.ok).toBe(false);
    expect((result as { error: Error }).error).toBeInstanceOf(ForeignObjectError);
    expect(aws.actions().filter((a) => !a.startsWith("S3."))).toEqual(["DescribeTrainingJob", "ListTags"]);
  });

  it("adopts its own running job and waits for it", async () => {
    aws.seed(
      "training-job",
      inputs.name,
      { TrainingJobName: inputs.name, TrainingJobStatus: "InProgress", SecondaryStatus: "Training" },
      inputs.tags,
      [{}, { TrainingJobStatus: "Completed" }],
    );
    const result = await settle(provider.create(inputs));
    expect(result).toMatchObject({ ok: true, value: { outs: { status: "Completed" } } });
    expect(aws.actions()).not.toContain("CreateTrainingJob");
  });
});

describe("training job diff, update and delete", () => {
  it("a tags-only change updates the tags in place; an input change replaces the job", async () => {
    const arn = aws.seed(
      "training-job",
      inputs.name,
      { TrainingJobName: inputs.name, TrainingJobStatus: "Completed" },
      inputs.tags,
    );
    const olds = {
      ...inputs,
      arn,
      status: "Completed",
      secondaryStatus: "Completed",
      billableSeconds: 10,
      modelS3Uri: "",
      sourceS3Uri: "",
      uploadedBytes: 0,
    };
    const news = { ...inputs, tags: { ...inputs.tags, owner: "ml-team" } };
    expect(await provider.diff(inputs.name, olds, news)).toEqual({
      changes: true,
      replaces: [],
      deleteBeforeReplace: true,
    });
    expect(await settle(provider.update(inputs.name, olds, news))).toMatchObject({
      ok: true,
      value: { outs: { tags: news.tags } },
    });
    expect(aws.actions()).toEqual(["AddTags"]);
    expect(await provider.diff(inputs.name, olds, { ...inputs, hyperparameters: { epochs: "2" } })).toMatchObject({
      replaces: ["hyperparameters"],
    });
  });

  it("delete stops a running job and waits until it has stopped; a finished job is left alone", async () => {
    aws.seed(
      "training-job",
      inputs.name,
      { TrainingJobName: inputs.name, TrainingJobStatus: "InProgress" },
      inputs.tags,
    );
    expect((await settle(provider.delete(inputs.name, {} as never))).ok).toBe(true);
    expect(aws.actions()).toEqual([
      "DescribeTrainingJob",
      "StopTrainingJob",
      "DescribeTrainingJob",
      "DescribeTrainingJob",
    ]);
    expect(aws.get("training-job", inputs.name)?.fields.TrainingJobStatus).toBe("Stopped");
    aws.calls = [];
    expect((await settle(provider.delete(inputs.name, {} as never))).ok).toBe(true);
    expect(aws.actions()).toEqual(["DescribeTrainingJob"]);
  });
});
