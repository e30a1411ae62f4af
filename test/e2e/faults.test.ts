// An experiment under injected faults: 10% of SageMaker, S3 and CloudWatch Logs requests throttled
// (each service's own error shape, sandbox/zerostack_sandbox/faults.py). up -> invoke -> destroy
// converges on the AWS SDK's own retries: no duplicate object, nothing left, and the retried calls
// show as diagnostics, never as errors.
import { ListEndpointsCommand, ListModelsCommand, ListTrainingJobsCommand } from "@aws-sdk/client-sagemaker";
import { describe, expect, it } from "vitest";
import { jsonLines, runCli } from "../helpers/cli.js";
import { control, sagemakerFor, sandboxSuite, zerostackObjects } from "../helpers/sandbox.js";

describe("an experiment under throttling", () => {
  const suite = sandboxSuite({ speed: 10 });

  it("converges: up, invoke, destroy with 10% of SageMaker, S3 and Logs requests throttled", async () => {
    const endpoint = suite.endpoint();
    const rate = { throttle_rate: 0.1 };
    await control(endpoint, "faults", { seed: 11, services: { sagemaker: rate, s3: rate, logs: rate } });
    try {
      const up = await runCli(["up", "--preset", "tiny", "--name", "shaky", "--yes", "--json"], suite.env);
      const events = jsonLines(up.stdout);
      expect(up.code, `${up.stdout.trim().split("\n").at(-1)}\n${up.stderr}`).toBe(0);
      expect(events.at(-1)).toMatchObject({ type: "done", action: "up" });
      // retried calls are information, not errors
      const retried = events.filter(
        (e) => e.type === "diagnostic" && /answered after \d+ attempts/.test(String(e.message)),
      );
      expect(retried.every((e) => e.severity === "info")).toBe(true);
      expect(events.filter((e) => e.type === "error")).toEqual([]);

      const invoked = await runCli(
        ["invoke", "--stack", "shaky", "--prompt", "Summarize: faults", "--json"],
        suite.env,
      );
      expect(invoked.code, invoked.stderr).toBe(0);

      // one of each object: a throttled create created nothing, its retry created the one
      const sm = sagemakerFor(endpoint);
      expect((await sm.send(new ListTrainingJobsCommand({ NameContains: "shaky" }))).TrainingJobSummaries).toHaveLength(
        1,
      );
      expect((await sm.send(new ListModelsCommand({ NameContains: "shaky" }))).Models).toHaveLength(1);
      expect((await sm.send(new ListEndpointsCommand({ NameContains: "shaky" }))).Endpoints).toHaveLength(1);

      const destroyed = await runCli(["destroy", "--stack", "shaky", "--yes", "--json"], suite.env);
      expect(destroyed.code, destroyed.stderr).toBe(0);
      const injected = (await control<{ injected: Record<string, number> }>(endpoint, "faults")).injected;
      console.log(`faults injected: ${JSON.stringify(injected)}; retried calls reported: ${retried.length}`);
      expect(Object.values(injected).reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
    } finally {
      await control(endpoint, "faults", {});
    }
    expect(await zerostackObjects(suite.endpoint())).toEqual({
      models: 0,
      endpointConfigs: 0,
      endpoints: 0,
      runningJobs: 0,
    });
  });
});
