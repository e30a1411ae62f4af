// Two users, two ZEROSTACK_HOMEs, one team: Pulumi state in an S3 bucket and secrets under a KMS
// key (the sandbox's S3 and KMS standing in for an AWS account, used as a real account is:
// --no-sandbox, AWS_ENDPOINT_URL). User B lists, attaches to, invokes, re-runs (with the HF token
// A gave) and destroys user A's experiment; two ups of one stack at once: the second exits 3
// naming the holder.
import { CreateAliasCommand, CreateKeyCommand, KMSClient } from "@aws-sdk/client-kms";
import { CreateBucketCommand, S3Client } from "@aws-sdk/client-s3";
import { beforeAll, describe, expect, it } from "vitest";
import { jsonLines, jsonResult, runCli, spawnCli, tempHome } from "../helpers/cli.js";
import { control, sandboxSuite, testCredentials, zerostackObjects } from "../helpers/sandbox.js";

describe("a team on one S3 state backend with KMS secrets", () => {
  const suite = sandboxSuite({ speed: 10 });
  const users: Record<"a" | "b", NodeJS.ProcessEnv> = { a: {}, b: {} };

  beforeAll(async () => {
    const endpoint = suite.endpoint();
    const aws = { region: "us-east-1", endpoint, credentials: testCredentials };
    await new S3Client({ ...aws, forcePathStyle: true }).send(new CreateBucketCommand({ Bucket: "team-state" }));
    const kms = new KMSClient(aws);
    const key = (await kms.send(new CreateKeyCommand({}))).KeyMetadata!.KeyId!;
    await kms.send(new CreateAliasCommand({ AliasName: "alias/zerostack-team", TargetKeyId: key }));
    for (const user of ["a", "b"] as const) {
      users[user] = {
        ...tempHome(`zs-team-${user}-`).env,
        AWS_ENDPOINT_URL: endpoint,
        AWS_ACCESS_KEY_ID: testCredentials.accessKeyId,
        AWS_SECRET_ACCESS_KEY: testCredentials.secretAccessKey,
        AWS_REGION: "us-east-1",
        PULUMI_BACKEND_URL: `s3://team-state?endpoint=${new URL(endpoint).host}&s3ForcePathStyle=true&disableSSL=true&region=us-east-1`,
        ZEROSTACK_SECRETS_PROVIDER: "awskms://alias/zerostack-team?region=us-east-1",
        // the account's bucket and roles, brought (the sandbox seeded them)
        ZEROSTACK_BUCKET: "zerostack-sandbox-123456789012",
        ZEROSTACK_EXECUTION_ROLE_ARN: "arn:aws:iam::123456789012:role/zerostack-sagemaker-execution",
        ZEROSTACK_SCHEDULER_ROLE_ARN: "arn:aws:iam::123456789012:role/zerostack-scheduler",
      };
    }
  });

  const as = (user: "a" | "b", ...args: string[]) => runCli([...args, "--no-sandbox"], users[user]);
  const up = (name: string) => ["up", "--preset", "tiny", "--name", name, "--hf-token", "--yes", "--json"];

  it("B lists, attaches to, invokes, re-runs and destroys A's experiment, HF token included", async () => {
    const created = await runCli([...up("shared"), "--no-sandbox"], { ...users.a, HF_TOKEN: "hf_teamToken0123456789" });
    expect(created.code, `${created.stdout.trim().split("\n").at(-1)}\n${created.stderr}`).toBe(0);

    const rows = jsonResult<Array<{ name: string; status: string }>>((await as("b", "ls", "--json")).stdout);
    expect(rows).toEqual([expect.objectContaining({ name: "shared", status: "ready" })]);
    const attached = await as("b", "attach", "--stack", "shared", "--json");
    expect(attached.code, attached.stderr).toBe(0);
    const invoked = await as("b", "invoke", "--stack", "shared", "--prompt", "Summarize: teams", "--json");
    expect(invoked.code, invoked.stderr).toBe(0);
    // B has no HF_TOKEN: the experiment's secret and the state's hash of it are enough
    const again = await as("b", ...up("shared"));
    expect(again.code, `${again.stdout.trim().split("\n").at(-1)}\n${again.stderr}`).toBe(0);
    expect(jsonLines(again.stdout).filter((e) => e.type === "resource" && e.op !== "same")).toEqual([]);

    const destroyed = await as("b", "destroy", "--stack", "shared", "--yes", "--json");
    expect(destroyed.code, destroyed.stderr).toBe(0);
    expect(jsonResult<unknown[]>((await as("a", "ls", "--json")).stdout)).toEqual([]);
  });

  it("refuses the second of two concurrent ups of one stack with exit 3, naming the holder", async () => {
    const endpoint = suite.endpoint();
    await control(endpoint, "scenario", { training: { training_s: 600 } });
    const first = spawnCli([...up("busy"), "--no-sandbox"], { ...users.a, HF_TOKEN: "hf_teamToken0123456789" });
    let out = "";
    first.stdout?.on("data", (d: Buffer) => (out += d.toString()));
    try {
      await expect
        .poll(() => jsonLines(out).some((e) => e.type === "training"), { timeout: 90_000, interval: 200 })
        .toBe(true);
      const second = await as("b", ...up("busy"));
      expect(second.code, second.stderr).toBe(3);
      const last = jsonLines(second.stdout).at(-1)!;
      expect(last).toMatchObject({ type: "error", exitCode: 3 });
      expect(`${last.message} ${last.nextStep}`).toMatch(/locked|lock/);
      expect(`${last.message} ${last.nextStep}`).toMatch(/pid|@/);
    } finally {
      await control(endpoint, "scenario", {});
      await control(endpoint, "clock", { advance: 3600 });
      await new Promise((resolve) => first.on("close", resolve));
    }
    expect((await as("b", "destroy", "--stack", "busy", "--yes")).code).toBe(0);
    expect(await zerostackObjects(endpoint)).toEqual({ models: 0, endpointConfigs: 0, endpoints: 0, runningJobs: 0 });
  });
});
