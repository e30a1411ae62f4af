// The sandbox cloud through the AWS SDK for JavaScript (the clients zerostack uses), waiters
// included, started and stopped as a user would: `zerostack sandbox start|status|stop` (issue 3).
import { CloudWatchLogsClient, DescribeLogStreamsCommand, GetLogEventsCommand } from "@aws-sdk/client-cloudwatch-logs";
import { ListObjectsV2Command, S3Client } from "@aws-sdk/client-s3";
import {
  CreateEndpointCommand,
  CreateEndpointConfigCommand,
  CreateModelCommand,
  CreateTrainingJobCommand,
  DescribeEndpointCommand,
  DescribeTrainingJobCommand,
  UpdateEndpointCommand,
  waitUntilEndpointDeleted,
  waitUntilEndpointInService,
  waitUntilTrainingJobCompletedOrStopped,
} from "@aws-sdk/client-sagemaker";
import { CreateScheduleCommand, SchedulerClient } from "@aws-sdk/client-scheduler";
import { beforeAll, describe, expect, it } from "vitest";
import { jsonResult, runCli } from "../helpers/cli.js";
import { alive, control, sagemakerFor, sandboxSuite, serviceOf, testCredentials } from "../helpers/sandbox.js";

const ROLE = "arn:aws:iam::123456789012:role/zerostack-sagemaker-execution";
const BUCKET = "zerostack-sandbox-123456789012";

describe("the sandbox cloud through the AWS SDK for JavaScript", () => {
  const suite = sandboxSuite({ speed: 4 });
  const { home, env } = suite;
  let endpoint = "";
  beforeAll(() => {
    endpoint = suite.endpoint();
  });
  const client = <T>(make: new (c: object) => T) =>
    new make({ region: "us-east-1", endpoint, credentials: testCredentials, forcePathStyle: true });
  const waiter = (sm: ReturnType<typeof sagemakerFor>) => ({ client: sm, maxWaitTime: 120, minDelay: 1, maxDelay: 2 });

  it("runs a 2-instance training job through every secondary status, with logs per host, metrics and model files", async () => {
    const sm = sagemakerFor(endpoint);
    const job = "sdk-job";
    const modelPath = `s3://${BUCKET}/sdk/${job}/model/`;
    await sm.send(
      new CreateTrainingJobCommand({
        TrainingJobName: job,
        RoleArn: ROLE,
        AlgorithmSpecification: {
          TrainingImage:
            "763104351884.dkr.ecr.us-east-1.amazonaws.com/huggingface-pytorch-training:2.1.0-transformers4.36.0-gpu-py310-cu121",
          TrainingInputMode: "File",
          MetricDefinitions: [{ Name: "loss", Regex: "'loss': ([0-9.]+)" }],
        },
        ResourceConfig: { InstanceType: "ml.p4d.24xlarge", InstanceCount: 2, VolumeSizeInGB: 100 },
        OutputDataConfig: { S3OutputPath: `s3://${BUCKET}/sdk/` },
        StoppingCondition: { MaxRuntimeInSeconds: 3600 },
        Environment: { MODEL_S3_PATH: modelPath, NODE_NUMBER: "2" },
      }),
    );
    expect((await sm.send(new DescribeTrainingJobCommand({ TrainingJobName: job }))).TrainingJobStatus).toBe(
      "InProgress",
    );
    const result = await waitUntilTrainingJobCompletedOrStopped(waiter(sm), { TrainingJobName: job });
    expect(result.state).toBe("SUCCESS");
    const done = await sm.send(new DescribeTrainingJobCommand({ TrainingJobName: job }));
    expect(done.TrainingJobStatus).toBe("Completed");
    expect(done.SecondaryStatusTransitions?.map((t) => t.Status)).toEqual([
      "Starting",
      "Downloading",
      "Training",
      "Uploading",
      "Completed",
    ]);
    expect(done.TrainingEndTime!.getTime()).toBeGreaterThan(done.TrainingStartTime!.getTime());
    expect(done.BillableTimeInSeconds).toBeGreaterThan(0);
    expect(done.FinalMetricDataList?.find((m) => m.MetricName === "loss")?.Value).toBeGreaterThan(0);

    const logs = client(CloudWatchLogsClient);
    const streams =
      (
        await logs.send(
          new DescribeLogStreamsCommand({
            logGroupName: "/aws/sagemaker/TrainingJobs",
            logStreamNamePrefix: `${job}/`,
          }),
        )
      ).logStreams ?? [];
    expect(streams.map((s) => s.logStreamName!.replace(/-\d+$/, "")).sort()).toEqual([
      `${job}/algo-1`,
      `${job}/algo-2`,
    ]);
    const lines =
      (
        await logs.send(
          new GetLogEventsCommand({
            logGroupName: "/aws/sagemaker/TrainingJobs",
            logStreamName: streams[0]!.logStreamName!,
            startFromHead: true,
          }),
        )
      ).events ?? [];
    expect(lines.some((e) => /NCCL INFO/.test(e.message ?? ""))).toBe(true);
    expect(
      lines.some((e) => /\{'loss': [0-9.]+, 'learning_rate': [0-9.e-]+, 'epoch': [0-9.]+\}/.test(e.message ?? "")),
    ).toBe(true);

    const objects = await client(S3Client).send(
      new ListObjectsV2Command({ Bucket: BUCKET, Prefix: `sdk/${job}/model/` }),
    );
    const keys = (objects.Contents ?? []).map((o) => o.Key!.split("/").at(-1));
    expect(keys).toEqual(expect.arrayContaining(["config.json", "model.safetensors"]));
    expect(keys.some((k) => k!.endsWith(".tar.gz"))).toBe(false); // uncompressed, never a tarball
  });

  it("takes time to bring an endpoint InService, updates it in place, and a due schedule deletes it", async () => {
    const sm = sagemakerFor(endpoint);
    for (const name of ["sdk-model-a", "sdk-model-b"]) {
      await sm.send(
        new CreateModelCommand({
          ModelName: name,
          ExecutionRoleArn: ROLE,
          PrimaryContainer: {
            Image: "763104351884.dkr.ecr.us-east-1.amazonaws.com/djl-inference:0.31.0-lmi13.0.0-cu124",
          },
        }),
      );
      await sm.send(
        new CreateEndpointConfigCommand({
          EndpointConfigName: `${name}-epc`,
          ProductionVariants: [
            {
              VariantName: "AllTraffic",
              ModelName: name,
              InstanceType: "ml.g5.48xlarge",
              InitialInstanceCount: 1,
              ContainerStartupHealthCheckTimeoutInSeconds: 2400,
            },
          ],
        }),
      );
    }
    await sm.send(new CreateEndpointCommand({ EndpointName: "sdk-ep", EndpointConfigName: "sdk-model-a-epc" }));
    expect((await sm.send(new DescribeEndpointCommand({ EndpointName: "sdk-ep" }))).EndpointStatus).toBe("Creating");
    expect((await waitUntilEndpointInService(waiter(sm), { EndpointName: "sdk-ep" })).state).toBe("SUCCESS");

    await sm.send(new UpdateEndpointCommand({ EndpointName: "sdk-ep", EndpointConfigName: "sdk-model-b-epc" }));
    expect((await sm.send(new DescribeEndpointCommand({ EndpointName: "sdk-ep" }))).EndpointStatus).toBe("Updating");
    expect((await waitUntilEndpointInService(waiter(sm), { EndpointName: "sdk-ep" })).state).toBe("SUCCESS");
    expect((await sm.send(new DescribeEndpointCommand({ EndpointName: "sdk-ep" }))).EndpointConfigName).toBe(
      "sdk-model-b-epc",
    );

    const clock = await control<{ now: string }>(endpoint, "clock");
    const due = new Date(Date.parse(clock.now) + 120_000).toISOString().slice(0, 19);
    await client(SchedulerClient).send(
      new CreateScheduleCommand({
        Name: "sdk-ttl",
        ScheduleExpression: `at(${due})`,
        ScheduleExpressionTimezone: "UTC",
        FlexibleTimeWindow: { Mode: "OFF" },
        ActionAfterCompletion: "DELETE",
        Target: {
          Arn: "arn:aws:scheduler:::aws-sdk:sagemaker:deleteEndpoint",
          RoleArn: "arn:aws:iam::123456789012:role/zerostack-scheduler",
          Input: JSON.stringify({ EndpointName: "sdk-ep" }),
        },
      }),
    );
    expect((await sm.send(new DescribeEndpointCommand({ EndpointName: "sdk-ep" }))).EndpointStatus).toBe("InService");
    await control(endpoint, "clock", { advance: 180 });
    expect((await waitUntilEndpointDeleted(waiter(sm), { EndpointName: "sdk-ep" })).state).toBe("SUCCESS");
  });

  it("says what it holds in `sandbox status`, and `sandbox stop` leaves nothing running", async () => {
    const status = await runCli(["sandbox", "status", "--json"], env);
    expect(status.code).toBe(0);
    const holds = jsonResult<{
      service: { endpoint: string };
      holds: { training_jobs: { by_status: Record<string, number> }; buckets: number };
    }>(status.stdout);
    expect(holds.service.endpoint).toBe(endpoint);
    expect(holds.holds.training_jobs.by_status.Completed).toBe(1);
    expect(holds.holds.buckets).toBeGreaterThanOrEqual(1);
    const { pid } = serviceOf(home);
    expect((await runCli(["sandbox", "stop"], env)).code).toBe(0);
    expect(alive(pid)).toBe(false);
    const after = await runCli(["sandbox", "status"], env);
    expect(after.stdout).toContain("not running");
  });
});
