// One experiment stack end to end: the real Pulumi engine and dynamic providers against the
// sandbox cloud, a temp ZEROSTACK_HOME. Issue 5's behaviours, each proven through the CLI.
import {
  DescribeEndpointCommand,
  DescribeTrainingJobCommand,
  ListTrainingJobsCommand,
} from "@aws-sdk/client-sagemaker";
import { appendFileSync, cpSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { fileCheckpointPath } from "../../program/driver/checkpoints.js";
import { jsonLines, jsonResult, ROOT, runCli, spawnCli } from "../helpers/cli.js";
import { control, sagemakerFor, sandboxSuite, zerostackObjects, type UploadStats } from "../helpers/sandbox.js";

const events = (stdout: string) => jsonLines(stdout);
/** Whether `up` answered from the checkpoint, the engine not started (program/driver/unchanged-up.ts). */
const notStarted = (stdout: string) =>
  events(stdout).some(
    (e) => e.type === "diagnostic" && typeof e.message === "string" && e.message.includes("the engine was not started"),
  );
const resourceOps = (stdout: string, name: string) =>
  events(stdout)
    .filter((e) => e.type === "resource" && e.name === name)
    .map((e) => e.op);

describe("experiment stack in the sandbox", () => {
  const payload = join(mkdtempSync(join(tmpdir(), "zs-payload-")), "payload");
  cpSync(join(ROOT, "payload"), payload, { recursive: true, filter: (src) => !src.includes("__pycache__") });
  const suite = sandboxSuite({ speed: 10, env: { ZEROSTACK_PAYLOAD_DIR: payload } });
  const runEnv = suite.env;
  let endpoint = "";
  beforeAll(() => {
    endpoint = suite.endpoint();
  });
  const up = (...args: string[]) => runCli(["up", "--preset", "tiny", "--yes", "--json", ...args], runEnv);

  it("records the seeded bucket and roles as the sandbox's own base stack, read like a real account's", async () => {
    const { checkpointOutputs } = await import("../../program/driver/inventory.js");
    const outputs = checkpointOutputs({ sandbox: true, env: runEnv }, "base");
    expect(outputs).toMatchObject({
      bucket: "zerostack-sandbox-123456789012",
      executionRoleArn: "arn:aws:iam::123456789012:role/zerostack-sagemaker-execution",
      region: "us-east-1",
    });
  });

  it("brings up training, model, config and an InService endpoint with a TTL", async () => {
    const r = await up("--name", "exp");
    expect(r.code, r.stderr).toBe(0);
    const outputs = events(r.stdout).find((e) => e.type === "outputs")?.outputs as Record<string, string>;
    expect(outputs).toMatchObject({
      trainingJobStatus: "Completed",
      endpointName: "exp-ep",
      endpointStatus: "InService",
    });
    expect(Date.parse(outputs.ttlExpiresAt!)).toBeGreaterThan(Date.now());
    const sm = sagemakerFor(endpoint);
    const job = await sm.send(new DescribeTrainingJobCommand({ TrainingJobName: outputs.trainingJobName }));
    expect(job.HyperParameters?.sagemaker_submit_directory).toBe(JSON.stringify(outputs.sourceS3Uri));
    expect(job.ResourceConfig?.InstanceCount).toBe(2);
    const ep = await sm.send(new DescribeEndpointCommand({ EndpointName: "exp-ep" }));
    expect(ep.EndpointStatus).toBe("InService");
    // the last status the stream gives is the one the engine left (the watcher's last look)
    expect(
      events(r.stdout)
        .filter((e) => e.type === "endpoint")
        .at(-1),
    ).toMatchObject({ status: "InService" });
  });

  it("re-runs with no change as a no-op that uploads 0 bytes", async () => {
    await control(endpoint, "stats/reset", {});
    const r = await up("--name", "exp");
    expect(r.code, r.stderr).toBe(0);
    const changed = events(r.stdout).filter((e) => e.type === "resource" && e.op !== "same");
    expect(changed).toEqual([]);
    // nothing replayed: the finished job's log lines and metrics were streamed by the first up
    expect(events(r.stdout).filter((e) => e.type === "log" || e.type === "metric")).toEqual([]);
    const stats = await control<UploadStats>(endpoint, "stats");
    expect(stats.s3).toMatchObject({ put_object_count: 0, uploaded_bytes: 0 });
  });

  it("answers a no-change up from the checkpoint without the engine, as the engine would", async () => {
    const checkpoint = fileCheckpointPath({ sandbox: true, env: runEnv }, "exp", "zerostack");
    if (checkpoint === "not-a-file-backend") throw new Error("the sandbox's state is a folder");
    const before = readFileSync(checkpoint, "utf8");
    const fast = await up("--name", "exp");
    expect(fast.code, fast.stderr).toBe(0);
    expect(notStarted(fast.stdout)).toBe(true);
    // the engine rewrites the checkpoint on every update (its time at least): untouched here
    expect(readFileSync(checkpoint, "utf8")).toBe(before);
    const engine = await runCli(["up", "--preset", "tiny", "--yes", "--json", "--name", "exp"], {
      ...runEnv,
      ZEROSTACK_UP_FAST_PATH: "0",
    });
    expect(engine.code, engine.stderr).toBe(0);
    expect(notStarted(engine.stdout)).toBe(false);
    expect(readFileSync(checkpoint, "utf8")).not.toBe(before);
    // the same answer: every resource the same, the same summary and outputs
    const answer = (stdout: string) => {
      const all = events(stdout);
      return {
        resources: all.filter((e) => e.type === "resource" && e.status === "done").map((e) => [e.name, e.op]),
        summary: all.find((e) => e.type === "summary"),
        outputs: all.find((e) => e.type === "outputs"),
      };
    };
    expect(answer(fast.stdout)).toEqual(answer(engine.stdout));
    expect(answer(fast.stdout).resources).toHaveLength(5);
    // the engine's update left a new checkpoint and a receipt for it: the next up needs no engine
    expect(notStarted((await up("--name", "exp")).stdout)).toBe(true);
  });

  it("previews an unchanged experiment as no change, with its stored TTL deadline, and one changes line", async () => {
    const r = await runCli(["preview", "--preset", "tiny", "--name", "exp", "--json"], runEnv);
    expect(r.code, r.stderr).toBe(0);
    const summaries = events(r.stdout).filter((e) => e.type === "summary");
    expect(summaries).toHaveLength(1);
    expect(Object.keys(summaries[0]!.changes as Record<string, number>).filter((op) => op !== "same")).toEqual([]);
    expect(events(r.stdout).filter((e) => e.type === "resource" && e.op !== "same")).toEqual([]);
    // the estimate is an estimate, not a cost so far
    expect(events(r.stdout).find((e) => e.type === "estimate")).toMatchObject({ stack: "exp" });
    expect(events(r.stdout).some((e) => e.type === "cost")).toBe(false);
    const human = await runCli(["preview", "--preset", "tiny", "--name", "exp"], runEnv);
    expect(human.stdout.match(/changes:/g)).toHaveLength(1);
    expect(human.stdout).toMatch(/estimate: ≈ \$[\d.]+ expected, at most \$[\d.]+ \(offline table/);
  });

  it("previews a new experiment without leaving a stack behind", async () => {
    const r = await runCli(["preview", "--preset", "tiny", "--name", "fresh", "--json"], runEnv);
    expect(r.code, r.stderr).toBe(0);
    expect(events(r.stdout).find((e) => e.type === "summary")?.changes).toMatchObject({ create: expect.any(Number) });
    const rows = jsonResult<Array<{ name: string }>>((await runCli(["ls", "--json"], runEnv)).stdout);
    expect(rows.map((row) => row.name)).not.toContain("fresh");
  });

  it("uploads a changed payload once: a new training job, the endpoint updated in place", async () => {
    appendFileSync(join(payload, "train", "start.py"), "\n# changed by the test\n");
    await control(endpoint, "stats/reset", {});
    const r = await up("--name", "exp");
    expect(r.code, r.stderr).toBe(0);
    const stats = await control<UploadStats>(endpoint, "stats");
    // the source bundle, and the model's serving code (its S3 prefix follows the training job)
    expect(stats.s3.put_object_count).toBeLessThanOrEqual(2);
    expect(stats.s3.put_object_count).toBeGreaterThanOrEqual(1);
    expect(notStarted(r.stdout)).toBe(false);
    expect(resourceOps(r.stdout, "training-job")).toContain("replace");
    expect(resourceOps(r.stdout, "endpoint")).toContain("update");
    expect(resourceOps(r.stdout, "endpoint")).not.toContain("replace");

    await control(endpoint, "stats/reset", {});
    const again = await up("--name", "exp");
    expect(again.code).toBe(0);
    expect(notStarted(again.stdout)).toBe(true);
    expect((await control<UploadStats>(endpoint, "stats")).s3.put_object_count).toBe(0);
  });

  it("updates the endpoint in place when the backend changes", async () => {
    const sm = sagemakerFor(endpoint);
    const before = await sm.send(new DescribeEndpointCommand({ EndpointName: "exp-ep" }));
    const r = await up("--name", "exp", "--backend", "deepspeed");
    expect(r.code, r.stderr).toBe(0);
    expect(notStarted(r.stdout)).toBe(false);
    expect(resourceOps(r.stdout, "endpoint")).toEqual(expect.arrayContaining(["update"]));
    expect(resourceOps(r.stdout, "endpoint")).not.toContain("replace");
    expect(resourceOps(r.stdout, "endpoint-config")).toContain("replace");
    const after = await sm.send(new DescribeEndpointCommand({ EndpointName: "exp-ep" }));
    expect(after.EndpointArn).toBe(before.EndpointArn);
    expect(after.EndpointConfigName).not.toBe(before.EndpointConfigName);
    expect(after.EndpointStatus).toBe("InService");
  });

  it("lets the TTL schedule delete the endpoint, and refresh then shows it gone", async () => {
    await control(endpoint, "clock", { advance: 3 * 3600 });
    const sm = sagemakerFor(endpoint);
    await expect
      .poll(
        async () =>
          (await sm.send(new DescribeEndpointCommand({ EndpointName: "exp-ep" })).catch(() => null))?.EndpointStatus ??
          "gone",
        { timeout: 30_000 },
      )
      .toBe("gone");
    // past the deadline on the sandbox's clock: expired, and its cost stopped at the deadline
    const rowOf = async () =>
      jsonResult<Array<{ name: string; status: string; costUsd: number; createdAt: string }>>(
        (await runCli(["ls", "--json"], runEnv)).stdout,
      ).find((row) => row.name === "exp")!;
    const expired = await rowOf();
    expect(expired.status).toBe("expired");
    await control(endpoint, "clock", { advance: 3600 });
    expect((await rowOf()).costUsd).toBeCloseTo(expired.costUsd, 6);
    const r = await runCli(["refresh", "--stack", "exp", "--json"], runEnv);
    expect(r.code, r.stderr).toBe(0);
    expect(resourceOps(r.stdout, "endpoint")).toContain("delete");
    // a refresh makes it no younger
    const refreshed = await rowOf();
    expect(refreshed.createdAt).toBe(expired.createdAt);
    expect(refreshed.costUsd).toBeCloseTo(expired.costUsd, 6);
    // the state changed under the last up's receipt: the next up is the engine's, and brings the endpoint back
    const back = await up("--name", "exp", "--backend", "deepspeed");
    expect(back.code, back.stderr).toBe(0);
    expect(notStarted(back.stdout)).toBe(false);
    expect(resourceOps(back.stdout, "endpoint")).toContain("create");
    expect((await sm.send(new DescribeEndpointCommand({ EndpointName: "exp-ep" }))).EndpointStatus).toBe("InService");
  });

  it("brings up a training-only experiment: no model, config or endpoint", async () => {
    const r = await up("--name", "trainonly", "--no-serving");
    expect(r.code, r.stderr).toBe(0);
    const types = events(r.stdout)
      .filter((e) => e.type === "resource")
      .map((e) => e.resourceType);
    expect(new Set(types)).toEqual(new Set(["TrainingJob"]));
    const outputs = events(r.stdout).find((e) => e.type === "outputs")?.outputs as Record<string, unknown>;
    expect(outputs.trainingJobStatus).toBe("Completed");
    expect(outputs.endpointName).toBeUndefined();
    expect((await runCli(["destroy", "--stack", "trainonly", "--yes"], runEnv)).code).toBe(0);
  });

  it("destroys to zero zerostack objects and removes the stack", async () => {
    const r = await runCli(["destroy", "--stack", "exp", "--yes", "--json"], runEnv);
    expect(r.code, r.stderr).toBe(0);
    expect(await zerostackObjects(endpoint)).toEqual({ models: 0, endpointConfigs: 0, endpoints: 0, runningJobs: 0 });
    const ls = await runCli(["ls", "--json"], runEnv);
    expect(jsonResult(ls.stdout)).toEqual([]);
  });

  it("fails up with the job's FailureReason and creates no endpoint", async () => {
    await control(endpoint, "scenario", {
      training: { fail_at: "Training", failure_reason: "AlgorithmError: CUDA out of memory" },
    });
    try {
      const r = await up("--name", "failing");
      expect(r.code).toBe(1);
      const last = events(r.stdout).at(-1)!;
      expect(last).toMatchObject({ type: "error", exitCode: 1 });
      expect(String(last.message)).toContain("CUDA out of memory");
      expect(resourceOps(r.stdout, "endpoint")).toEqual([]);
      expect((await zerostackObjects(endpoint)).endpoints).toBe(0);
    } finally {
      await control(endpoint, "scenario", {});
    }
    const destroyed = await runCli(["destroy", "--stack", "failing", "--yes"], runEnv);
    expect(destroyed.code, destroyed.stderr).toBe(0);
  });

  it("re-runs an up killed after CreateTrainingJob and adopts the job", async () => {
    await control(endpoint, "clock", { speed: 1 });
    const sm = sagemakerFor(endpoint);
    const child = spawnCli(["up", "--preset", "tiny", "--name", "killed", "--yes", "--json"], runEnv, {
      detached: true,
      stdio: "ignore",
    });
    await expect
      .poll(
        async () =>
          (await sm.send(new ListTrainingJobsCommand({ NameContains: "killed" }))).TrainingJobSummaries?.length ?? 0,
        { timeout: 60_000, interval: 100 },
      )
      .toBe(1);
    process.kill(-child.pid!, "SIGKILL"); // the CLI, the engine and the provider plugin together
    await control(endpoint, "clock", { speed: 10 });

    const r = await up("--name", "killed");
    expect(r.code, r.stderr).toBe(0);
    const jobs = await sm.send(new ListTrainingJobsCommand({ NameContains: "killed" }));
    expect(jobs.TrainingJobSummaries).toHaveLength(1); // adopted, not created twice
    expect((await runCli(["destroy", "--stack", "killed", "--yes"], runEnv)).code).toBe(0);
    expect(await zerostackObjects(endpoint)).toEqual({ models: 0, endpointConfigs: 0, endpoints: 0, runningJobs: 0 });
  });
});
