// Process start to CreateTrainingJob, side by side: `zerostack up --preset tiny --no-serving` of a
// new experiment against the SageMaker Python SDK v3 (ModelTrainer, Torchrun, the same payload/train
// as source dir, train(wait=False), its imports included) on one sandbox. The moment is the
// sandbox's own: the arrival of CreateTrainingJob in its request log (GET /_zerostack/requests);
// the start is taken just before each process is spawned. Rounds alternate; median of N each.
// The SDK is installed by this benchmark in its own venv (~/.cache/zerostack/bench-sdk-<version>).
// Prints figures; never passes or fails.
// The SDK's client-side role validation (iam:SimulatePrincipalPolicy, which the sandbox does not
// serve) is off (SAGEMAKER_VALIDATE_ROLE=false): on AWS it is one more IAM round trip for the SDK.
// ZEROSTACK_BENCH_BEFORE=<another built checkout> adds its `up` as a third column (before/after).
//   node bench/submission.ts [rounds=5] [sdk-version=3.27.0]      (after scripts/bootstrap)
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { homedir, tmpdir } from "node:os";
import { join } from "node:path";

const root = join(import.meta.dirname, "..");
const rounds = Number(process.argv[2] ?? 5);
const sdkVersion = process.argv[3] ?? "3.27.0";
const home = mkdtempSync(join(tmpdir(), "zerostack-bench-submit-"));
const env: NodeJS.ProcessEnv = { ...process.env, ZEROSTACK_HOME: home, NO_COLOR: "1" };
for (const key of Object.keys(env)) if (key.startsWith("AWS_")) delete env[key];
const cli = join(root, "bin", "zerostack");
const before = process.env.ZEROSTACK_BENCH_BEFORE;
const up = (name: string) => ["up", "--preset", "tiny", "--name", name, "--no-serving", "--yes", "--json"];

function run(command: string, args: string[], extraEnv: NodeJS.ProcessEnv = {}) {
  const done = spawnSync(command, args, { env: { ...env, ...extraEnv }, encoding: "utf8" });
  if (done.status !== 0)
    throw new Error(`${command} ${args.join(" ")}: exit ${done.status}\n${done.stdout.slice(-2000)}${done.stderr}`);
  return done.stdout;
}

/** The SDK's own venv, made once per version (pip from PyPI). */
function sdkPython(): string {
  const venv = join(homedir(), ".cache", "zerostack", `bench-sdk-${sdkVersion}`);
  const python = join(venv, "bin", "python");
  if (existsSync(python) && spawnSync(python, ["-c", "import sagemaker.train"]).status === 0) return python;
  console.log(`installing sagemaker==${sdkVersion} into ${venv} (once)`);
  run("python3", ["-m", "venv", venv]);
  // wheels only: a plain install backtracks for minutes over aiobotocore source builds
  run(join(venv, "bin", "python"), ["-m", "pip", "install", "-q", "--upgrade", "pip"]);
  run(join(venv, "bin", "pip"), ["install", "-q", "--only-binary=:all:", `sagemaker==${sdkVersion}`]);
  return python;
}

interface Arrival {
  at: number;
  service: string;
  operation: string;
}

async function arrivals(endpoint: string, since: number): Promise<Arrival[]> {
  const response = await fetch(`${endpoint}/_zerostack/requests?since=${since / 1000}`);
  return ((await response.json()) as { requests: Arrival[] }).requests;
}

/** Spawns the command, waits until the sandbox logs its CreateTrainingJob; ms from spawn to it, and the calls before. */
async function timeToCreate(
  endpoint: string,
  command: string,
  args: string[],
  extraEnv: NodeJS.ProcessEnv = {},
): Promise<{ ms: number; before: string[]; finished: Promise<number> }> {
  const t0 = Date.now();
  const child = spawn(command, args, { env: { ...env, ...extraEnv }, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout.on("data", (d: Buffer) => (output += d.toString()));
  child.stderr.on("data", (d: Buffer) => (output += d.toString()));
  const finished = new Promise<number>((resolve) => child.on("close", (code) => resolve(code ?? 137)));
  let exited: number | undefined;
  void finished.then((code) => (exited = code));
  for (;;) {
    const seen = await arrivals(endpoint, t0);
    const index = seen.findIndex((a) => a.operation === "CreateTrainingJob");
    if (index >= 0) {
      const before = seen.slice(0, index).map((a) => `${a.service}:${a.operation}`);
      return { ms: seen[index]!.at * 1000 - t0, before, finished };
    }
    if (exited !== undefined) throw new Error(`${command} exited ${exited} before CreateTrainingJob:\n${output}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

// The SDK's path, as its docs show it: ModelTrainer with a Torchrun distributed config. The session
// is given what zerostack's base gives it (bucket, role), so the SDK asks no account for defaults.
const sdkScript = `
import sys
from sagemaker.core.helper.session_helper import Session
from sagemaker.train import ModelTrainer
from sagemaker.train.configs import Compute, SourceCode, StoppingCondition
from sagemaker.train.distributed import Torchrun

job = sys.argv[1]
image, role, instance, count, bucket, source = sys.argv[2:8]
session = Session(default_bucket=bucket)
trainer = ModelTrainer(
    sagemaker_session=session,
    training_image=image,
    role=role,
    base_job_name=job,
    source_code=SourceCode(source_dir=source, entry_script="start.py"),
    distributed=Torchrun(),
    compute=Compute(instance_type=instance, instance_count=int(count), volume_size_in_gb=30),
    stopping_condition=StoppingCondition(max_runtime_in_seconds=3600),
)
trainer.train(wait=False, logs=False)
`;

type Timed = Awaited<ReturnType<typeof timeToCreate>>;

/** "s3:PutObject x42 sts:GetCallerIdentity" in order of first appearance. */
function summarize(calls: string[]): string {
  const counts = new Map<string, number>();
  for (const call of calls) counts.set(call, (counts.get(call) ?? 0) + 1);
  return [...counts].map(([call, n]) => (n > 1 ? `${call} x${n}` : call)).join(" ") || "none";
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;

try {
  const python = sdkPython();
  const script = join(home, "sdk_submit.py");
  writeFileSync(script, sdkScript);
  // a whole up first: the sandbox, its base and the tiny dataset exist, the caches are warm
  run(cli, up("warm"));
  const { endpoint } = JSON.parse(readFileSync(join(home, "sandbox", "service.json"), "utf8")) as { endpoint: string };
  await fetch(`${endpoint}/_zerostack/clock`, { method: "POST", body: JSON.stringify({ speed: 60 }) });
  const sdkEnv = {
    AWS_ENDPOINT_URL: endpoint,
    AWS_ACCESS_KEY_ID: "zerostack-sandbox",
    AWS_SECRET_ACCESS_KEY: "zerostack-sandbox",
    AWS_DEFAULT_REGION: "us-east-1",
    AWS_REGION: "us-east-1",
    SAGEMAKER_VALIDATE_ROLE: "false",
  };
  // what zerostack's tiny preset asked SageMaker for: the SDK asks for the same image, role and compute
  const describeWarm = [
    "import boto3, json",
    "sm = boto3.client('sagemaker')",
    "name = sm.list_training_jobs()['TrainingJobSummaries'][0]['TrainingJobName']",
    "print(json.dumps(sm.describe_training_job(TrainingJobName=name), default=str))",
  ].join("\n");
  const described = JSON.parse(run(python, ["-c", describeWarm], sdkEnv)) as {
    AlgorithmSpecification: { TrainingImage: string };
    RoleArn: string;
    ResourceConfig: { InstanceType: string; InstanceCount: number };
    OutputDataConfig: { S3OutputPath: string };
  };
  const bucket = described.OutputDataConfig.S3OutputPath.replace(/^s3:\/\//, "").split("/")[0]!;
  const sdkArgs = (job: string) => [
    script,
    job,
    described.AlgorithmSpecification.TrainingImage,
    described.RoleArn,
    described.ResourceConfig.InstanceType,
    String(described.ResourceConfig.InstanceCount),
    bucket,
    join(root, "payload", "train"),
  ];
  // one SDK run to warm its bytecode caches, as the warm-up up did for zerostack
  await (await timeToCreate(endpoint, python, sdkArgs("sdk-warm"), sdkEnv)).finished;

  const contestants: { label: string; start: (i: number) => Promise<Timed> }[] = [
    ...(before
      ? [
          {
            label: `before (${before}): up`,
            start: (i: number) =>
              timeToCreate(endpoint, join(before, "bin", "zerostack"), up(`before-${i}`), { ZEROSTACK_ROOT: before }),
          },
        ]
      : []),
    {
      label: "zerostack up --preset tiny --no-serving (new stack)",
      start: (i) => timeToCreate(endpoint, cli, up(`submit-${i}`)),
    },
    {
      label: `SageMaker Python SDK ${sdkVersion} ModelTrainer+Torchrun`,
      start: (i) => timeToCreate(endpoint, python, sdkArgs(`sdk-${i}`), sdkEnv),
    },
  ];
  const times = contestants.map(() => [] as number[]);
  const calls = contestants.map(() => [] as string[]);
  for (let i = 0; i < rounds; i++) {
    for (const [c, contestant] of contestants.entries()) {
      const timed = await contestant.start(i);
      times[c]!.push(timed.ms);
      calls[c] = timed.before;
      const code = await timed.finished;
      if (code !== 0) throw new Error(`${contestant.label}, round ${i}: exit ${code}`);
    }
    // the experiments go again (their training jobs stay, as SageMaker keeps them)
    for (const name of [`submit-${i}`, ...(before ? [`before-${i}`] : [])])
      run(cli, ["destroy", "--stack", name, "--yes"]);
  }
  const row = (label: string, xs: number[]) =>
    console.log(`${label.padEnd(52)}${Math.round(median(xs))} ms   (runs: ${xs.map(Math.round).join(" ")})`);
  console.log(`process start to CreateTrainingJob at the sandbox, median of ${rounds} each, rounds alternating`);
  for (const [c, contestant] of contestants.entries()) row(contestant.label, times[c]!);
  const sdkMedian = median(times.at(-1)!);
  for (const [c, contestant] of contestants.slice(0, -1).entries())
    console.log(`ratio to the SDK, ${contestant.label}: ${(median(times[c]!) / sdkMedian).toFixed(2)}x`);
  for (const [c, contestant] of contestants.entries())
    console.log(`AWS calls before CreateTrainingJob, ${contestant.label}: ${summarize(calls[c]!)}`);
} finally {
  spawnSync(cli, ["sandbox", "stop"], { env, stdio: "ignore" });
  rmSync(home, { recursive: true, force: true });
}
