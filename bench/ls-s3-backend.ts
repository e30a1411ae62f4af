// `zerostack ls` of N experiments on an S3 state backend (the sandbox's S3 standing in for AWS):
// the checkpoints read straight from the bucket in parallel, next to the Automation API path (a
// `pulumi stack export` per stack), in the same run on the same state. Never passes or fails.
//   node bench/ls-s3-backend.ts [stacks=100]      (after scripts/bootstrap)
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CreateBucketCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";

const root = join(import.meta.dirname, "..");
const count = Number(process.argv[2] ?? 100);
const home = mkdtempSync(join(tmpdir(), "zerostack-bench-ls-s3-"));
const sandboxEnv: NodeJS.ProcessEnv = { ...process.env, ZEROSTACK_HOME: home, NO_COLOR: "1" };
for (const key of Object.keys(sandboxEnv)) if (key.startsWith("AWS_")) delete sandboxEnv[key];
const cli = join(root, "bin", "zerostack");
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;

try {
  // one real experiment in the sandbox: its checkpoint is copied under N names into the bucket
  const up = spawnSync(cli, ["up", "--preset", "tiny", "--name", "proto", "--yes"], {
    env: sandboxEnv,
    encoding: "utf8",
  });
  if (up.status !== 0) throw new Error(up.stderr);
  const proto = readFileSync(join(home, "sandbox", "state", ".pulumi", "stacks", "zerostack", "proto.json"), "utf8");
  const { endpoint } = JSON.parse(readFileSync(join(home, "sandbox", "service.json"), "utf8")) as { endpoint: string };
  const credentials = { accessKeyId: "zerostack-sandbox", secretAccessKey: "zerostack-sandbox" };
  const s3 = new S3Client({ region: "us-east-1", endpoint, forcePathStyle: true, credentials });
  const bucket = "zerostack-team-state";
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  await s3.send(new PutObjectCommand({ Bucket: bucket, Key: ".pulumi/meta.yaml", Body: "version: 1\n" }));
  for (let i = 0; i < count; i++) {
    const name = `exp-${i}`;
    const body = proto
      .replaceAll("urn:pulumi:proto::", `urn:pulumi:${name}::`)
      .replaceAll("/zerostack/proto", `/zerostack/${name}`);
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: `.pulumi/stacks/zerostack/${name}.json`, Body: body }));
  }
  // a real account's session, its AWS and state on the sandbox
  const env: NodeJS.ProcessEnv = {
    ...sandboxEnv,
    AWS_ENDPOINT_URL: endpoint,
    AWS_ACCESS_KEY_ID: credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
    AWS_REGION: "us-east-1",
    PULUMI_BACKEND_URL: `s3://${bucket}?endpoint=${new URL(endpoint).host}&s3ForcePathStyle=true&disableSSL=true&region=us-east-1`,
    PULUMI_CONFIG_PASSPHRASE: "bench",
    ZEROSTACK_BUCKET: "zerostack-sandbox-123456789012",
    ZEROSTACK_EXECUTION_ROLE_ARN: "arn:aws:iam::123456789012:role/zerostack-sagemaker-execution",
    ZEROSTACK_SCHEDULER_ROLE_ARN: "arn:aws:iam::123456789012:role/zerostack-scheduler",
  };
  const direct: number[] = [];
  for (let i = 0; i < 3; i++) {
    const started = performance.now();
    const r = spawnSync(cli, ["ls", "--json", "--no-sandbox"], { env, encoding: "utf8" });
    direct.push(performance.now() - started);
    const rows = JSON.parse(r.stdout.trim().split("\n").at(-2) ?? "[]") as unknown[];
    if (r.status !== 0 || rows.length !== count)
      throw new Error(`ls: exit ${r.status}, ${rows.length} rows\n${r.stderr}`);
  }
  const viaEngineScript = `
    const { inventory } = await import(${JSON.stringify(join(root, "dist", "program", "driver", "inventory.js"))});
    const rows = await inventory({ sandbox: false }, Date.now(), { viaEngine: true });
    if (rows.length !== ${count}) throw new Error("listed " + rows.length);`;
  const node = join(root, ".toolchain", "bin", "node");
  const started = performance.now();
  const engine = spawnSync(node, ["--input-type=module", "-e", viaEngineScript], {
    env: { ...env, PATH: `${join(root, ".toolchain", "bin")}:${process.env.PATH}` },
    encoding: "utf8",
  });
  const viaEngine = performance.now() - started;
  if (engine.status !== 0) throw new Error(engine.stderr);
  console.log(`${count} stacks on an S3 state backend (the sandbox's S3), same state, same run`);
  console.log(
    `zerostack ls --json (checkpoints read from the bucket): ${(median(direct) / 1000).toFixed(2)} s, median of 3 (${direct.map((x) => (x / 1000).toFixed(2)).join(" ")})`,
  );
  console.log(`the Automation API path (pulumi stack export per stack): ${(viaEngine / 1000).toFixed(2)} s, 1 run`);
  console.log(`ratio ${(viaEngine / median(direct)).toFixed(1)}x`);
} finally {
  spawnSync(cli, ["sandbox", "stop"], { env: sandboxEnv, stdio: "ignore" });
  rmSync(home, { recursive: true, force: true });
}
