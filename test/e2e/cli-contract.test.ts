// The CLI contract under faults (issue 6): kill -9 at many points, concurrent updates, a failed
// job, secrets, a second process attaching, `logs -f` resumed. Real engine, sandbox cloud.
import { DescribeTrainingJobCommand } from "@aws-sdk/client-sagemaker";
import { DescribeSecretCommand, GetSecretValueCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import type { ChildProcess } from "node:child_process";
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { jsonLines, jsonResult, runCli, spawnCli } from "../helpers/cli.js";
import { control, sagemakerFor, sandboxSuite, testCredentials, zerostackObjects } from "../helpers/sandbox.js";
import { seeded } from "../helpers/seeded.js";

function collect(child: ChildProcess): { out: () => string; exited: Promise<number> } {
  let out = "";
  child.stdout?.on("data", (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number>((resolve) => child.on("close", (code) => resolve(code ?? 137)));
  return { out: () => out, exited };
}

function allFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? allFiles(path) : [path];
  });
}

describe("CLI contract under faults", () => {
  const suite = sandboxSuite({ speed: 10 });
  const { home, env } = suite;
  let endpoint = "";
  beforeAll(() => {
    endpoint = suite.endpoint();
  });
  const upArgs = (name: string, ...more: string[]) => [
    "up",
    "--preset",
    "tiny",
    "--name",
    name,
    "--yes",
    "--json",
    ...more,
  ];

  it("converges after kill -9 of up at 10 seeded points, and destroys to zero objects each time", async () => {
    const seed = Number(process.env.ZEROSTACK_KILL_SEED ?? 1125);
    const random = seeded(seed);
    const points = Array.from({ length: 10 }, (_, i) => Math.round(300 + ((i + random()) / 10) * 6500));
    console.log(`kill -9 points (seed ${seed}): ${points.join(", ")} ms`);
    for (const [i, ms] of points.entries()) {
      const name = `kill-${i}`;
      const child = spawnCli(upArgs(name), env, { detached: true, stdio: "ignore" });
      await new Promise((r) => setTimeout(r, ms));
      try {
        process.kill(-child.pid!, "SIGKILL");
      } catch {
        // it finished before the kill point
      }
      const again = await runCli(upArgs(name), env);
      // with --json the error is the last line of stdout: show it, and stderr
      const last = again.stdout.trim().split("\n").at(-1);
      expect(again.code, `after a kill at ${ms} ms (seed ${seed}):\n${last}\n${again.stderr}`).toBe(0);
      expect(jsonLines(again.stdout).at(-1)).toMatchObject({ type: "done", action: "up" });
      const destroyed = await runCli(["destroy", "--stack", name, "--yes"], env);
      expect(destroyed.code, destroyed.stderr).toBe(0);
      expect(await zerostackObjects(endpoint), `objects left after a kill at ${ms} ms`).toEqual({
        models: 0,
        endpointConfigs: 0,
        endpoints: 0,
        runningJobs: 0,
      });
    }
  }, 900_000);

  it("converges after a kill that left the checkpoint's sidecar empty (fileblob's truncate-then-write)", async () => {
    // Pulumi's file backend writes `<checkpoint>.attrs` by os.Create then one write, before the new
    // checkpoint is renamed into place: a kill between the two leaves this state, and every Pulumi
    // command then failed with "failed to load checkpoint: EOF" (the kill test's exit 1, seed 1125)
    const child = spawnCli(upArgs("sidecar"), env, { detached: true, stdio: ["ignore", "pipe", "ignore"] });
    const run = collect(child);
    await expect
      .poll(() => jsonLines(run.out()).some((e) => e.type === "resource"), { timeout: 60_000, interval: 50 })
      .toBe(true);
    process.kill(-child.pid!, "SIGKILL");
    await run.exited;
    const sidecar = join(home, "sandbox", "state", ".pulumi", "stacks", "zerostack", "sidecar.json.attrs");
    expect(existsSync(sidecar)).toBe(true);
    writeFileSync(sidecar, "");
    const again = await runCli(upArgs("sidecar"), env);
    const last = again.stdout.trim().split("\n").at(-1);
    expect(again.code, `${last}\n${again.stderr}`).toBe(0);
    expect(
      jsonLines(again.stdout).some((e) => e.type === "diagnostic" && String(e.message).includes("sidecar.json.attrs")),
    ).toBe(true);
    expect((await runCli(["destroy", "--stack", "sidecar", "--yes"], env)).code).toBe(0);
    expect(await zerostackObjects(endpoint)).toEqual({ models: 0, endpointConfigs: 0, endpoints: 0, runningJobs: 0 });
  });

  it("cancels gracefully on Ctrl-C (exit 130), and the same up then converges", async () => {
    await control(endpoint, "scenario", { training: { training_s: 100 } });
    const child = spawnCli(upArgs("interrupted"), env, { stdio: ["ignore", "pipe", "pipe"] });
    const run = collect(child);
    await expect
      .poll(() => jsonLines(run.out()).some((e) => e.type === "training" && e.secondaryStatus === "Training"), {
        timeout: 60_000,
        interval: 100,
      })
      .toBe(true);
    child.kill("SIGINT");
    expect(await run.exited).toBe(130);
    await control(endpoint, "scenario", {});
    const last = jsonLines(run.out()).at(-1)!;
    expect(last).toMatchObject({ type: "error", exitCode: 130 });
    expect(String(last.nextStep)).toContain("zerostack up --stack interrupted");
    const again = await runCli(upArgs("interrupted"), env);
    expect(again.code, again.stderr).toBe(0);
    expect((await runCli(["destroy", "--stack", "interrupted", "--yes"], env)).code).toBe(0);
    expect(await zerostackObjects(endpoint)).toEqual({ models: 0, endpointConfigs: 0, endpoints: 0, runningJobs: 0 });
  });

  it("refuses a second up on the same stack with exit 3 while the first finishes", async () => {
    // a first up that surely runs long enough for the second to meet it
    await control(endpoint, "scenario", { training: { training_s: 200 } });
    const first = spawnCli(upArgs("busy"), env, { stdio: ["ignore", "pipe", "pipe"] });
    const one = collect(first);
    // wait until the first holds the stack (its engine is creating the training job)
    await expect
      .poll(() => jsonLines(one.out()).some((e) => e.type === "resource"), { timeout: 60_000, interval: 100 })
      .toBe(true);
    const second = await runCli(upArgs("busy"), env);
    expect(second.code).toBe(3);
    const error = jsonLines(second.stdout).at(-1)!;
    expect(error).toMatchObject({ type: "error", exitCode: 3 });
    expect(String(error.message)).toContain("locked");
    expect(String(error.nextStep)).toContain("zerostack cancel --stack busy");
    await control(endpoint, "scenario", {});
    expect(await one.exited).toBe(0);
    const again = await runCli(upArgs("busy"), env);
    expect(again.code, again.stderr).toBe(0);
    expect(jsonLines(again.stdout).filter((e) => e.type === "resource" && e.op !== "same")).toEqual([]);
    expect((await runCli(["destroy", "--stack", "busy", "--yes"], env)).code).toBe(0);
  });

  it("fails with exit 1 and prints the job's FailureReason, creating no endpoint", async () => {
    await control(endpoint, "scenario", {
      training: { fail_at: "Downloading", failure_reason: "ClientError: Data download failed: NoSuchKey" },
    });
    try {
      const r = await runCli(["up", "--preset", "tiny", "--name", "broken", "--yes"], env);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain("ClientError: Data download failed: NoSuchKey");
      expect((await zerostackObjects(endpoint)).endpoints).toBe(0);
    } finally {
      await control(endpoint, "scenario", {});
    }
    expect((await runCli(["destroy", "--stack", "broken", "--yes"], env)).code).toBe(0);
  });

  it("keeps the HF token out of the job's description, state files, output and logs; the job reads it from its secret", async () => {
    const token = "hf_zerostackTestToken0123456789";
    const r = await runCli(upArgs("secret", "--hf-token"), { ...env, HF_TOKEN: token });
    expect(r.code, r.stderr).toBe(0);
    const outputs = jsonLines(r.stdout).find((e) => e.type === "outputs")?.outputs as Record<string, string>;
    const job = await sagemakerFor(endpoint).send(
      new DescribeTrainingJobCommand({ TrainingJobName: outputs.trainingJobName }),
    );
    // DescribeTrainingJob shows the secret's ARN, never the token...
    expect(JSON.stringify(job)).not.toContain(token);
    const arn = job.Environment?.HF_TOKEN_SECRET_ARN ?? "";
    expect(arn).toMatch(/^arn:aws:secretsmanager:us-east-1:\d{12}:secret:zerostack\/secret\/hf-token-/);
    // ...and the secret behind it holds the token (what payload/train/hf_token.py reads)
    const secrets = new SecretsManagerClient({ region: "us-east-1", endpoint, credentials: testCredentials });
    expect((await secrets.send(new GetSecretValueCommand({ SecretId: arn }))).SecretString).toBe(token);
    expect(r.stdout + r.stderr).not.toContain(token); // nowhere else
    const logs = await runCli(["logs", "--stack", "secret", "--json"], env);
    expect(logs.stdout).not.toContain(token);
    const leaks = allFiles(home).filter(
      (f) => !f.includes(`${join("sandbox", "emulator")}`) && readFileSync(f).includes(token),
    );
    expect(leaks).toEqual([]);
    // a later up without HF_TOKEN uses the stack's secret
    const again = await runCli(upArgs("secret", "--hf-token"), env);
    expect(again.code, again.stderr).toBe(0);
    expect(jsonLines(again.stdout).filter((e) => e.type === "resource" && e.op !== "same")).toEqual([]);
    expect((await runCli(["destroy", "--stack", "secret", "--yes"], env)).code).toBe(0);
    // destroy deletes the secret at once
    await expect(secrets.send(new DescribeSecretCommand({ SecretId: arn }))).rejects.toMatchObject({
      name: "ResourceNotFoundException",
    });
  });

  it("lists a removed stack's objects, its HF token secret included, as orphans; --delete deletes them", async () => {
    const secrets = new SecretsManagerClient({ region: "us-east-1", endpoint, credentials: testCredentials });
    const r = await runCli(upArgs("orphaned", "--hf-token"), { ...env, HF_TOKEN: "hf_zerostackOrphanToken0123" });
    expect(r.code, r.stderr).toBe(0);
    const orphansNow = async () =>
      jsonResult<{ orphans: Array<{ kind: string; name: string; stack: string }>; deleted: boolean }>(
        (await runCli(["orphans", "--json"], env)).stdout,
      );
    // while its stack exists, nothing of it is an orphan
    expect((await orphansNow()).orphans.filter((o) => o.stack === "orphaned")).toEqual([]);
    // the stack's record goes, its objects stay: each is an orphan, found from its tags
    const removed = await runCli(["rm", "--stack", "orphaned", "--force", "--yes"], env);
    expect(removed.code, removed.stderr).toBe(0);
    const listed = (await orphansNow()).orphans.filter((o) => o.stack === "orphaned");
    expect(listed.map((o) => o.kind).sort()).toEqual([
      "endpoint",
      "endpoint-config",
      "model",
      "secret",
      "ttl-schedule",
    ]);
    expect(listed.find((o) => o.kind === "secret")?.name).toBe("zerostack/orphaned/hf-token");
    const deleted = await runCli(["orphans", "--delete", "--yes", "--json"], env);
    expect(deleted.code, deleted.stderr).toBe(0);
    expect(jsonResult<{ deleted: boolean }>(deleted.stdout).deleted).toBe(true);
    // the secret goes at once (no recovery window), as `destroy` deletes it
    await expect(
      secrets.send(new DescribeSecretCommand({ SecretId: "zerostack/orphaned/hf-token" })),
    ).rejects.toMatchObject({ name: "ResourceNotFoundException" });
    expect((await orphansNow()).orphans).toEqual([]);
    await expect
      .poll(() => zerostackObjects(endpoint), { timeout: 60_000, interval: 500 })
      .toEqual({ models: 0, endpointConfigs: 0, endpoints: 0, runningJobs: 0 });
  });

  it("streams the same training, log and metric events to a second process that attaches", async () => {
    await control(endpoint, "clock", { speed: 2 });
    const up = spawnCli(upArgs("watched"), env, { stdio: ["ignore", "pipe", "pipe"] });
    const upOut = collect(up);
    await expect
      .poll(() => jsonLines(upOut.out()).some((e) => e.type === "training"), { timeout: 60_000, interval: 100 })
      .toBe(true);
    // the whole history (by default an attach starts where the last up or attach stopped)
    const attached = await runCli(["attach", "--stack", "watched", "--from-start", "--json"], env, {
      timeoutMs: 90_000,
    });
    expect(attached.code, `attach: ${attached.stderr}\nup: ${upOut.out().slice(-1500)}`).toBe(0);
    expect(await upOut.exited).toBe(0);
    // per stream the order is the same; streams interleave as each process polled them
    const streams = (stdout: string) => {
      const by: Record<string, string[]> = {};
      for (const e of jsonLines(stdout)) {
        const stream =
          e.type === "log"
            ? `log ${e.host}`
            : e.type === "metric"
              ? `metric ${e.name}`
              : e.type === "training"
                ? "training"
                : undefined;
        if (!stream) continue;
        const lines = by[stream] ?? [];
        by[stream] = lines;
        lines.push(JSON.stringify([e.secondaryStatus ?? e.line ?? e.value, e.at, e.step]));
      }
      return by;
    };
    const seenByUp = streams(upOut.out());
    const seenByAttach = streams(attached.stdout);
    expect(Object.keys(seenByAttach).sort()).toEqual(
      expect.arrayContaining(["log algo-1", "log algo-2", "metric loss", "training"]),
    );
    expect(seenByAttach["log algo-1"]!.length).toBeGreaterThan(10);
    expect(seenByAttach).toEqual(seenByUp);
    await control(endpoint, "clock", { speed: 10 });
    expect((await runCli(["destroy", "--stack", "watched", "--yes"], env)).code).toBe(0);
  });

  it("resumes logs -f after a restart with no duplicate and no missing line", async () => {
    await control(endpoint, "clock", { speed: 1 });
    // long enough that the first follower is surely still following when it is stopped, even on a
    // loaded machine (each CLI start can take seconds there)
    await control(endpoint, "scenario", { training: { training_s: 45, log_interval_s: 0.4 } });
    const up = spawnCli(upArgs("tailed"), env, { stdio: "ignore" });
    const upDone = collect(up).exited;
    try {
      const lines = (stdout: string) =>
        jsonLines(stdout)
          .filter((e) => e.type === "log")
          .map((e) => `${e.host} ${e.at} ${e.line}`);
      await expect
        .poll(async () => (await runCli(["logs", "--stack", "tailed", "--json"], env)).stdout.includes("loss"), {
          timeout: 60_000,
          interval: 500,
        })
        .toBe(true);
      const first = spawnCli(["logs", "-f", "--stack", "tailed", "--json"], env, { stdio: ["ignore", "pipe", "pipe"] });
      const firstOut = collect(first);
      // stop it once it follows (its first lines are out), whatever the machine's load
      await expect.poll(() => lines(firstOut.out()).length, { timeout: 60_000, interval: 100 }).toBeGreaterThan(0);
      await new Promise((r) => setTimeout(r, 1000));
      first.kill("SIGINT"); // a restart: stop, then start again
      expect(await firstOut.exited).toBe(130);
      const second = await runCli(["logs", "-f", "--stack", "tailed", "--json"], env);
      expect(second.code, second.stderr).toBe(0);
      const whole = lines((await runCli(["logs", "--stack", "tailed", "--json"], env)).stdout);
      const resumed = [...lines(firstOut.out()), ...lines(second.stdout)];
      expect(lines(firstOut.out()).length).toBeGreaterThan(0);
      expect(lines(second.stdout).length).toBeGreaterThan(0);
      expect(resumed.sort()).toEqual([...whole].sort());
    } finally {
      await control(endpoint, "scenario", {});
      await control(endpoint, "clock", { speed: 10 });
      await upDone;
    }
    expect((await runCli(["destroy", "--stack", "tailed", "--yes"], env)).code).toBe(0);
  });
});
