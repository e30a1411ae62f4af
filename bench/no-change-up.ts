// A no-change `up` of a finished experiment next to the engine's floor, side by side in one run,
// median of N each, rounds alternating:
//   1. zerostack `up --preset tiny` of an in-service experiment, no change (bin/zerostack): the
//      same program on the checkpoint its last `up` left, answered from it without the engine
//      (program/driver/unchanged-up.ts);
//   2. the floor: `up` of an empty inline stack through zerostack's own driver, the same Pulumi CLI,
//      file backend and Node, started as bin/zerostack starts the CLI (its compile cache, its
//      preload of scripts/defer-closure-tools.cjs) (bench/floor-up.mjs);
//   3. the floor as the issue measured it: the plain Automation API (`pulumi version`, `stack
//      select`, `stack.up` and its read-back), same Node and compile cache, no preload;
//   4. row 1 with ZEROSTACK_UP_FAST_PATH=0: the engine runs the update (five dynamic resources, each a
//      Check and a Diff in the dynamic-provider plugin that `up` started first);
//   5. row 4 with ZEROSTACK_PROVIDER_PRESTART=0 too: the engine starts the plugin itself when the
//      program registers its first resource (program/driver/provider-plugin.ts).
// Prints figures; never passes or fails.
//   node bench/no-change-up.ts [runs=5]      (after scripts/bootstrap)
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const root = join(import.meta.dirname, "..");
const runs = Number(process.argv[2] ?? 5);
const home = mkdtempSync(join(tmpdir(), "zerostack-bench-up-"));
const env: NodeJS.ProcessEnv = { ...process.env, ZEROSTACK_HOME: home, NO_COLOR: "1" };
for (const key of Object.keys(env)) if (key.startsWith("AWS_")) delete env[key];
const cli = join(root, "bin", "zerostack");

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;
function timed(command: string, args: string[], extraEnv: NodeJS.ProcessEnv = {}): number {
  const started = performance.now();
  const run = spawnSync(command, args, { env: { ...env, ...extraEnv }, encoding: "utf8" });
  if (run.status !== 0) throw new Error(`${command} ${args.join(" ")}: exit ${run.status}\n${run.stderr}`);
  return performance.now() - started;
}

try {
  const up = ["up", "--preset", "tiny", "--name", "tiny", "--yes", "--json"];
  timed(cli, up); // the experiment, trained and in service
  // the floor runs in the sandbox session's environment and with bin/zerostack's, as the CLI's engine does
  const { endpoint } = JSON.parse(readFileSync(join(home, "sandbox", "service.json"), "utf8")) as { endpoint: string };
  const sessionEnv = {
    ZEROSTACK_ROOT: root,
    PATH: `${join(root, ".toolchain", "bin")}:${process.env.PATH}`,
    NODE_COMPILE_CACHE: join(root, ".toolchain", "compile-cache"),
    AWS_ENDPOINT_URL: endpoint,
    AWS_ACCESS_KEY_ID: "zerostack-sandbox",
    AWS_SECRET_ACCESS_KEY: "zerostack-sandbox",
    AWS_REGION: "us-east-1",
    PULUMI_SKIP_UPDATE_CHECK: "true",
  };
  const node = join(root, ".toolchain", "bin", "node");
  const floorUp = join(root, "bench", "floor-up.mjs");
  const asBinZerostack = ["--require", join(root, "scripts", "defer-closure-tools.cjs"), floorUp];
  timed(node, asBinZerostack, sessionEnv); // the floor stacks exist
  timed(node, [floorUp, "--automation-api"], sessionEnv);
  const rows = {
    noChange: [] as number[],
    floor: [] as number[],
    apiFloor: [] as number[],
    engine: [] as number[],
    enginePlugin: [] as number[],
  };
  const engine = { ZEROSTACK_UP_FAST_PATH: "0" };
  for (let i = 0; i < runs; i++) {
    rows.noChange.push(timed(cli, up));
    rows.floor.push(timed(node, asBinZerostack, sessionEnv));
    rows.apiFloor.push(timed(node, [floorUp, "--automation-api"], sessionEnv));
    rows.engine.push(timed(cli, up, engine));
    rows.enginePlugin.push(timed(cli, up, { ...engine, ZEROSTACK_PROVIDER_PRESTART: "0" }));
  }
  const row = (label: string, xs: number[]) =>
    console.log(
      `${label.padEnd(56)}${(median(xs) / 1000).toFixed(2)} s   (runs: ${xs.map((x) => (x / 1000).toFixed(2)).join(" ")})`,
    );
  console.log(`median of ${runs} each, same sandbox, same file backend`);
  row("zerostack up, no change (tiny, in service)", rows.noChange);
  row("floor: empty stack, zerostack's driver", rows.floor);
  row("floor: empty stack, the plain Automation API", rows.apiFloor);
  row("zerostack up, no change, the engine started", rows.engine);
  row("  the same, the plugin started by the engine", rows.enginePlugin);
  const ratio = (a: number[], b: number[]) => (median(a) / median(b)).toFixed(2);
  console.log(`ratio to the floor through zerostack's driver ${ratio(rows.noChange, rows.floor)}x`);
  console.log(`ratio to the floor through the plain Automation API ${ratio(rows.noChange, rows.apiFloor)}x`);
  console.log(`the engine started: ratio to the driver's floor ${ratio(rows.engine, rows.floor)}x`);
  console.log(
    `the engine started, its own plugin: ratio to the driver's floor ${ratio(rows.enginePlugin, rows.floor)}x`,
  );
} finally {
  spawnSync(cli, ["sandbox", "stop"], { env, stdio: "ignore" });
  rmSync(home, { recursive: true, force: true });
}
