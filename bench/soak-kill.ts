// The kill soak: `up` killed with SIGKILL at N points spread over a whole up (bundle upload,
// training, model, endpoint config, endpoint, TTL schedule), each followed by the same `up` again
// (it must converge: exit 0, last line `done`) and a `destroy` (nothing zerostack-tagged left).
// Prints every point and converged/total; never passes or fails. Run it beside the test suite to
// see it under load.
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

const root = join(import.meta.dirname, "..");
const points = Number(process.argv[2] ?? 50);
const seed = Number(process.argv[3] ?? Math.floor(Math.random() * 100_000));
const home = mkdtempSync(join(tmpdir(), "zerostack-soak-"));
const env: NodeJS.ProcessEnv = { ...process.env, ZEROSTACK_HOME: home, NO_COLOR: "1" };
for (const key of Object.keys(env)) if (key.startsWith("AWS_")) delete env[key];
const cli = join(root, "bin", "zerostack");

/** mulberry32, as the e2e kill test: a printed seed replays the same points */
function seeded(s: number): () => number {
  let a = s >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const run = (args: string[]) => spawnSync(cli, args, { env, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
const upArgs = (name: string) => ["up", "--preset", "tiny", "--name", name, "--yes", "--json"];
const lastLine = (stdout: string) => stdout.trim().split("\n").at(-1) ?? "";

/** The last engine step an up reached before it was killed: what the kill interrupted. */
function phaseOf(stdout: string): string {
  const steps = stdout
    .split("\n")
    .filter((l) => l.startsWith("{"))
    .map((l) => JSON.parse(l) as { type: string; resourceType?: string; status?: string; op?: string })
    .filter((e) => e.type === "resource" && e.resourceType !== "Stack");
  const last = steps.at(-1);
  return last ? `${last.resourceType} ${last.op} ${last.status}` : "before the engine";
}

async function zerostackObjects(endpoint: string): Promise<number> {
  const sm = new SageMakerClient({
    region: "us-east-1",
    endpoint,
    credentials: { accessKeyId: "zerostack-sandbox", secretAccessKey: "zerostack-sandbox" },
  });
  const [models, configs, endpoints, jobs] = await Promise.all([
    sm.send(new ListModelsCommand({})),
    sm.send(new ListEndpointConfigsCommand({})),
    sm.send(new ListEndpointsCommand({})),
    sm.send(new ListTrainingJobsCommand({ StatusEquals: "InProgress" })),
  ]);
  return (
    (models.Models?.length ?? 0) +
    (configs.EndpointConfigs?.length ?? 0) +
    (endpoints.Endpoints?.length ?? 0) +
    (jobs.TrainingJobSummaries?.length ?? 0)
  );
}

function killAfter(child: ChildProcess, ms: number): Promise<void> {
  return new Promise((resolve) => {
    setTimeout(() => {
      try {
        process.kill(-child.pid!, "SIGKILL");
      } catch {
        // it finished before the kill point
      }
      resolve();
    }, ms);
  });
}

try {
  if (run(["sandbox", "start"]).status !== 0) throw new Error("the sandbox did not start");
  const { endpoint } = JSON.parse(readFileSync(join(home, "sandbox", "service.json"), "utf8")) as { endpoint: string };
  await fetch(`${endpoint}/_zerostack/clock`, { method: "POST", body: JSON.stringify({ speed: 10 }) });

  // one whole up, timed: the kill points spread over it
  const started = performance.now();
  const whole = run(upArgs("soak-calibrate"));
  const wholeMs = performance.now() - started;
  if (whole.status !== 0) throw new Error(`the calibration up failed: ${lastLine(whole.stdout)}\n${whole.stderr}`);
  run(["destroy", "--stack", "soak-calibrate", "--yes"]);
  const random = seeded(seed);
  // a killed run starts cold and competes with the re-runs for the machine: spread the points over
  // twice the calibrated up, so the later phases (model, endpoint, TTL) are hit too
  const span = 2 * wholeMs;
  const at = Array.from({ length: points }, (_, i) => Math.round(((i + random()) / points) * span));
  console.log(
    `kill soak: ${points} points over ${(span / 1000).toFixed(1)} s (a whole up took ${(wholeMs / 1000).toFixed(1)} s), seed ${seed}`,
  );

  let converged = 0;
  let left = 0;
  for (const [i, ms] of at.entries()) {
    const name = `soak-${i}`;
    const child = spawn(cli, upArgs(name), { env, detached: true, stdio: ["ignore", "pipe", "ignore"] });
    let out = "";
    child.stdout?.on("data", (d: Buffer) => (out += d.toString()));
    await killAfter(child, ms);
    const again = run(upArgs(name));
    const ok = again.status === 0 && lastLine(again.stdout).includes('"type":"done"');
    const destroyed = run(["destroy", "--stack", name, "--yes"]);
    const objects = await zerostackObjects(endpoint);
    if (ok && destroyed.status === 0) converged += 1;
    left += objects;
    const verdict = ok ? "converged" : `FAILED (exit ${again.status}): ${lastLine(again.stdout)}`;
    console.log(
      `${String(i + 1).padStart(3)}  kill at ${String(ms).padStart(6)} ms  in ${phaseOf(out).padEnd(32)}  ${verdict}` +
        `${destroyed.status === 0 ? "" : `, destroy exit ${destroyed.status}`}, objects left ${objects}`,
    );
  }
  console.log(`converged ${converged}/${points}, objects left ${left} (seed ${seed})`);
} finally {
  run(["sandbox", "stop"]);
  rmSync(home, { recursive: true, force: true });
}
