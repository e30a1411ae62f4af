// The walking skeleton end to end: the real Pulumi engine, the ESM dynamic provider, the
// sandbox cloud, a temp ZEROSTACK_HOME.
import { DescribeModelCommand, ListTagsCommand } from "@aws-sdk/client-sagemaker";
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { jsonLines, runCli, tempHome } from "../helpers/cli.js";
import { alive, sagemakerFor, serviceOf } from "../helpers/sandbox.js";

describe("skeleton: up and destroy a SageMaker model in the sandbox", () => {
  const { home, env, cleanup } = tempHome();
  let endpoint = "";

  beforeAll(async () => {
    const started = await runCli(["sandbox", "start", "--json"], env);
    expect(started.code, started.stderr).toBe(0);
    endpoint = serviceOf(home).endpoint;
  });

  afterAll(async () => {
    await runCli(["sandbox", "stop"], env);
    cleanup();
  });

  it("creates the model on up and prints the outputs", async () => {
    const up = await runCli(["up", "--yes", "--json", "--stack", "skel"], env);
    expect(up.code, up.stderr).toBe(0);
    const events = jsonLines(up.stdout);
    expect(events.at(-1)).toMatchObject({ v: 1, type: "done", action: "up", stack: "skel" });
    const outputs = events.find((e) => e.type === "outputs")?.outputs as Record<string, string>;
    expect(outputs.modelName).toMatch(/^skel-model-[0-9a-f]{8}$/);

    const sm = sagemakerFor(endpoint);
    const model = await sm.send(new DescribeModelCommand({ ModelName: outputs.modelName }));
    expect(model.ModelArn).toBe(outputs.modelArn);
    const { Tags } = await sm.send(new ListTagsCommand({ ResourceArn: model.ModelArn }));
    expect(Tags).toContainEqual({ Key: "zerostack:experiment", Value: "skel" });
  });

  it("prints SANDBOX in plain output and a no-change re-run keeps the same model", async () => {
    const again = await runCli(["up", "--yes", "--stack", "skel"], env);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain("SANDBOX");
    expect(again.stdout).not.toMatch(/create SageMakerModel/);
  });

  it("deletes the model on destroy and removes the stack from the backend", async () => {
    const ls = await runCli(["ls", "--json"], env);
    const before = JSON.parse(ls.stdout.trim().split("\n").at(-1)!) as Array<{ name: string }>;
    expect(before.map((s) => s.name)).toContain("skel");

    const destroyed = await runCli(["destroy", "--yes", "--json", "--stack", "skel"], env);
    expect(destroyed.code, destroyed.stderr).toBe(0);
    const sm = sagemakerFor(endpoint);
    await expect(sm.send(new DescribeModelCommand({ ModelName: "skel-model" }))).rejects.toThrow();
    const models = await sm.send(new (await import("@aws-sdk/client-sagemaker")).ListModelsCommand({}));
    expect(models.Models ?? []).toHaveLength(0);

    const stacksDir = join(home, "sandbox", "state", ".pulumi", "stacks", "zerostack");
    const files = existsSync(stacksDir) ? readdirSync(stacksDir).filter((f) => f.endsWith(".json")) : [];
    expect(files).toEqual([]);
    const after = await runCli(["ls", "--json"], env);
    expect(JSON.parse(after.stdout.trim().split("\n").at(-1)!)).toEqual([]);
  });

  it("destroy without --yes and without a TTY exits 2 with the fix", async () => {
    const r = await runCli(["destroy", "--stack", "skel"], env);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("--yes");
  });

  it("sandbox stop leaves no process behind", async () => {
    const { pid } = serviceOf(home);
    expect(alive(pid)).toBe(true);
    const stopped = await runCli(["sandbox", "stop", "--json"], env);
    expect(stopped.code).toBe(0);
    expect(alive(pid)).toBe(false);
  });
});
