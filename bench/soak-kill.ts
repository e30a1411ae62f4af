// The kill soak: `up` killed with SIGKILL at N points spread over every phase of a whole up
// (before the engine, the engine's start and the source bundle, HF token secret, training job,
// model, endpoint config, endpoint, TTL schedule, outputs), each followed by the same `up` again (it
// must converge: exit 0, last line `done`) and a `destroy` (nothing zerostack-owned left: SageMaker
// objects, running jobs, TTL schedules, HF token secrets). Prints every point, per-phase counts
// and converged/total; never passes or fails. Run it beside the test suite to see it under load.
//
// Kill points by phase: at the sandbox's speed 10 the model, endpoint config and TTL steps last a
// few hundred milliseconds of a 25 s up, so points spread over time alone rarely land in them. So
// each point targets a phase (round-robin over the phases, so every phase gets points): the soak
// waits for the --json event that starts it and kills after a seeded delay within the phase's
// length in a calibration up. The phase the kill really interrupted is the last event the killed
// up printed, and both are shown.
//   node bench/soak-kill.ts [points=50] [seed]      (after scripts/bootstrap)
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  ListEndpointConfigsCommand,
  ListEndpointsCommand,
  ListModelsCommand,
  ListTrainingJobsCommand,
  SageMakerClient,
} from "@aws-sdk/client-sagemaker";
import { ListSchedulesCommand, SchedulerClient } from "@aws-sdk/client-scheduler";
import { ListSecretsCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
// node runs this file by type stripping, which needs the .ts extension
import { seeded } from "../test/helpers/seeded.ts";

const root = join(import.meta.dirname, "..");
const points = Number(process.argv[2] ?? 50);
const seed = Number(process.argv[3] ?? Math.floor(Math.random() * 100_000));
if (!Number.isInteger(points) || points < 1 || !Number.isInteger(seed)) {
  console.error("usage: node bench/soak-kill.ts [POINTS (a whole number >= 1, default 50)] [SEED (a whole number)]");
  process.exit(2);
}
const home = mkdtempSync(join(tmpdir(), "zerostack-soak-"));
// the HF token secret is one of the objects an up creates, so the soak makes one
const env: NodeJS.ProcessEnv = {
  ...process.env,
  ZEROSTACK_HOME: home,
  NO_COLOR: "1",
  HF_TOKEN: "hf_zerostackSoakToken0123456789",
};
for (const key of Object.keys(env)) if (key.startsWith("AWS_")) delete env[key];
const cli = join(root, "bin", "zerostack");

interface UpEvent {
  type: string;
  resourceType?: string;
  status?: string;
  op?: string;
}

/** A phase of an up: it starts with the first event that `starts` matches (`spawn`: the process start). */
interface Phase {
  name: string;
  starts: ((e: UpEvent) => boolean) | "spawn";
}

const resourceStarts = (type: string) => (e: UpEvent) =>
  e.type === "resource" && e.resourceType === type && e.status === "running";
const PHASES: Phase[] = [
  { name: "before the engine", starts: "spawn" },
  { name: "engine start, bundle", starts: (e) => e.type === "stack" },
  { name: "HfTokenSecret", starts: resourceStarts("HfTokenSecret") },
  { name: "TrainingJob", starts: resourceStarts("TrainingJob") },
  { name: "SageMakerModel", starts: resourceStarts("SageMakerModel") },
  { name: "EndpointConfig", starts: resourceStarts("EndpointConfig") },
  { name: "Endpoint", starts: resourceStarts("Endpoint") },
  { name: "TtlSchedule", starts: resourceStarts("TtlSchedule") },
  { name: "outputs", starts: (e) => e.type === "summary" },
];

const run = (args: string[]) => spawnSync(cli, args, { env, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
const upArgs = (name: string) => ["up", "--preset", "tiny", "--name", name, "--hf-token", "--yes", "--json"];
const lastLine = (stdout: string) => stdout.trim().split("\n").at(-1) ?? "";

const eventsOf = (stdout: string): UpEvent[] =>
  stdout
    .split("\n")
    .filter((l) => l.startsWith("{"))
    .flatMap((l) => {
      try {
        return [JSON.parse(l) as UpEvent];
      } catch {
        return []; // the line the kill cut short
      }
    });

/** The phase an up was in when it was killed: the last phase whose starting event it printed. */
function phaseOf(stdout: string): string {
  let phase = PHASES[0]!.name;
  for (const e of eventsOf(stdout)) {
    const started = PHASES.find((p) => p.starts !== "spawn" && p.starts(e));
    if (started) phase = started.name;
    if (e.type === "done") phase = "finished";
  }
  return phase;
}

/** Milliseconds from each phase's start to the next phase's, in a timed run's events. */
function phaseLengths(timed: Array<{ ms: number; event: UpEvent }>, totalMs: number): Map<string, number> {
  const starts = PHASES.map((p) =>
    p.starts === "spawn" ? 0 : (timed.find((t) => (p.starts as (e: UpEvent) => boolean)(t.event))?.ms ?? Number.NaN),
  );
  return new Map(
    PHASES.map((p, i) => [p.name, (starts.slice(i + 1).find((s) => !Number.isNaN(s)) ?? totalMs) - starts[i]!]),
  );
}

/** The names of what is left in the sandbox cloud: SageMaker objects, running jobs, TTL schedules, HF token secrets. */
async function zerostackObjects(endpoint: string): Promise<string[]> {
  const settings = {
    region: "us-east-1",
    endpoint,
    credentials: { accessKeyId: "zerostack-sandbox", secretAccessKey: "zerostack-sandbox" },
  };
  const sm = new SageMakerClient(settings);
  const [models, configs, endpoints, jobs, schedules, secrets] = await Promise.all([
    sm.send(new ListModelsCommand({})),
    sm.send(new ListEndpointConfigsCommand({})),
    sm.send(new ListEndpointsCommand({})),
    sm.send(new ListTrainingJobsCommand({ StatusEquals: "InProgress" })),
    new SchedulerClient(settings).send(new ListSchedulesCommand({})),
    new SecretsManagerClient(settings).send(
      new ListSecretsCommand({ Filters: [{ Key: "name", Values: ["zerostack/"] }] }),
    ),
  ]);
  return [
    ...(models.Models ?? []).map((m) => m.ModelName ?? ""),
    ...(configs.EndpointConfigs ?? []).map((c) => c.EndpointConfigName ?? ""),
    ...(endpoints.Endpoints ?? []).map((e) => e.EndpointName ?? ""),
    ...(jobs.TrainingJobSummaries ?? []).map((j) => j.TrainingJobName ?? ""),
    ...(schedules.Schedules ?? []).map((x) => x.Name ?? ""),
    ...(secrets.SecretList ?? []).map((x) => x.Name ?? ""),
  ];
}

/** What an experiment left: its objects are named `<name>-...`, its secret `zerostack/<name>/hf-token`. */
const leftBy = (names: string[], name: string) =>
  names.filter((n) => n.startsWith(`${name}-`) || n.startsWith(`zerostack/${name}/`)).length;

/**
 * Starts an up and kills it (SIGKILL to its whole process group: the CLI, the engine, the provider
 * plugin) `delayMs` after its phase `phase` started. Resolves with what it printed; an up that ends
 * before the point (or never reaches the phase) is not killed.
 */
function upKilledIn(name: string, phase: Phase, delayMs: number): Promise<string> {
  return new Promise((resolve) => {
    const child: ChildProcess = spawn(cli, upArgs(name), { env, detached: true, stdio: ["ignore", "pipe", "ignore"] });
    let out = "";
    let armed = false;
    const arm = () => {
      if (armed) return;
      armed = true;
      setTimeout(() => {
        try {
          process.kill(-child.pid!, "SIGKILL");
        } catch {
          // it finished before the kill point
        }
      }, delayMs);
    };
    if (phase.starts === "spawn") arm();
    let partial = "";
    child.stdout?.on("data", (d: Buffer) => {
      out += d.toString();
      const lines = (partial + d.toString()).split("\n");
      partial = lines.pop() ?? "";
      if (phase.starts !== "spawn" && eventsOf(lines.join("\n")).some(phase.starts)) arm();
    });
    child.on("close", () => resolve(out));
  });
}

try {
  if (run(["sandbox", "start"]).status !== 0) throw new Error("the sandbox did not start");
  const { endpoint } = JSON.parse(readFileSync(join(home, "sandbox", "service.json"), "utf8")) as { endpoint: string };
  await fetch(`${endpoint}/_zerostack/clock`, { method: "POST", body: JSON.stringify({ speed: 10 }) });

  // one whole up, timed event by event: each phase's length bounds the delays of its points
  const started = performance.now();
  const timed: Array<{ ms: number; event: UpEvent }> = [];
  const whole = await new Promise<{ code: number | null; out: string }>((resolve) => {
    const child = spawn(cli, upArgs("soak-calibrate"), { env, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    child.stdout.on("data", (d: Buffer) => {
      out += d.toString();
      const ms = performance.now() - started;
      for (const event of eventsOf(d.toString())) timed.push({ ms, event });
    });
    child.on("close", (code) => resolve({ code, out }));
  });
  const wholeMs = performance.now() - started;
  if (whole.code !== 0) throw new Error(`the calibration up failed: ${lastLine(whole.out)}`);
  run(["destroy", "--stack", "soak-calibrate", "--yes"]);
  const lengths = phaseLengths(timed, wholeMs);
  const random = seeded(seed);
  const plan = Array.from({ length: points }, (_, i) => {
    const phase = PHASES[i % PHASES.length]!;
    return { phase, delayMs: Math.round(random() * (lengths.get(phase.name) ?? 0)) };
  });
  console.log(
    `kill soak: ${points} points over ${PHASES.length} phases (a whole up took ${(wholeMs / 1000).toFixed(1)} s), seed ${seed}`,
  );
  console.log(
    `phase lengths in the calibration up: ${PHASES.map((p) => `${p.name} ${Math.round(lengths.get(p.name) ?? 0)} ms`).join(", ")}`,
  );

  let converged = 0;
  const hit = new Map<string, { killed: number; converged: number }>();
  for (const [i, { phase, delayMs }] of plan.entries()) {
    const name = `soak-${i}`;
    const out = await upKilledIn(name, phase, delayMs);
    const interrupted = phaseOf(out);
    const again = run(upArgs(name));
    const ok = again.status === 0 && lastLine(again.stdout).includes('"type":"done"');
    const destroyed = run(["destroy", "--stack", name, "--yes"]);
    const objects = leftBy(await zerostackObjects(endpoint), name);
    const good = ok && destroyed.status === 0 && objects === 0;
    if (good) converged += 1;
    const tally = hit.get(interrupted) ?? { killed: 0, converged: 0 };
    hit.set(interrupted, { killed: tally.killed + 1, converged: tally.converged + (good ? 1 : 0) });
    const verdict = ok ? "converged" : `FAILED (exit ${again.status}): ${lastLine(again.stdout)}`;
    console.log(
      `${String(i + 1).padStart(3)}  ${`${phase.name} +${delayMs} ms`.padEnd(30)}  killed in ${interrupted.padEnd(20)}  ${verdict}` +
        `${destroyed.status === 0 ? "" : `, destroy exit ${destroyed.status}`}, objects left ${objects}`,
    );
  }
  console.log("kills by the phase they interrupted (converged/killed):");
  for (const p of [...PHASES.map((x) => x.name), "finished"]) {
    const t = hit.get(p);
    console.log(`  ${p.padEnd(22)} ${t ? `${t.converged}/${t.killed}` : "0"}`);
  }
  const left = await zerostackObjects(endpoint);
  console.log(
    `converged ${converged}/${points}, objects left ${left.length} (seed ${seed})${left.length ? `: ${left.join(", ")}` : ""}`,
  );
} finally {
  run(["sandbox", "stop"]);
  rmSync(home, { recursive: true, force: true });
}
