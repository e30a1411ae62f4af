// A no-change `up` of a finished experiment next to the engine's floor: `up` of an empty inline
// stack through the same Automation API, Pulumi CLI and file backend (bench/floor-up.mjs), side by
// side in one run, median of N each; a third row: the floor through the Automation API's own
// `stack.up` (with its post-update reads); a fourth: the same no-change `up` with the dynamic-provider
// plugin as before f2563a8 and c3c622d (bin/zerostack's environment, that plugin first on PATH):
// without scripts/defer-closure-tools.cjs, and with the AWS SDK clients of the tiny preset's
// providers (SageMaker, S3, Scheduler) required at start, as their modules' imports did at the
// first Diff. Prints figures; never passes or fails.
//   node bench/no-change-up.ts [runs=5]      (after scripts/bootstrap)
import { spawnSync } from "node:child_process";
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
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
  // the floor runs in the sandbox session's environment, as the CLI's engine does
  const { endpoint } = JSON.parse(
    spawnSync("cat", [join(home, "sandbox", "service.json")], { encoding: "utf8" }).stdout,
  ) as { endpoint: string };
  const sessionEnv = {
    ZEROSTACK_ROOT: root,
    PATH: `${join(root, ".toolchain", "bin")}:${process.env.PATH}`,
    AWS_ENDPOINT_URL: endpoint,
    AWS_ACCESS_KEY_ID: "zerostack-sandbox",
    AWS_SECRET_ACCESS_KEY: "zerostack-sandbox",
    AWS_REGION: "us-east-1",
    PULUMI_SKIP_UPDATE_CHECK: "true",
  };
  const node = join(root, ".toolchain", "bin", "node");
  timed(node, [join(root, "bench", "floor-up.mjs")], sessionEnv); // the floor stack exists
  // the plugin as scripts/bootstrap wrote it before the closure serializer's tools were deferred,
  // loading the SDK clients as the providers' imports did before they were required on first use
  const tools = join(root, ".toolchain", "bin");
  const eagerSdk = ["client-sagemaker", "client-s3", "client-scheduler"]
    .map((client) => `--require "${root}/node_modules/@aws-sdk/${client}"`)
    .join(" ");
  const oldPlugin = mkdtempSync(join(tmpdir(), "zerostack-bench-plugin-"));
  writeFileSync(
    join(oldPlugin, "pulumi-resource-pulumi-nodejs"),
    `#!/bin/sh\nexec "${node}" --require "${root}/scripts/exit-with-parent.cjs" ${eagerSdk} "${root}/node_modules/@pulumi/pulumi/cmd/dynamic-provider/index.js" "$@"\n`,
  );
  chmodSync(join(oldPlugin, "pulumi-resource-pulumi-nodejs"), 0o755);
  const oldPluginEnv = {
    PATH: `${oldPlugin}:${tools}:${process.env.PATH}`,
    ZEROSTACK_ROOT: root,
    PULUMI_SKIP_UPDATE_CHECK: "true",
    PULUMI_NODEJS_CACHE_DYNAMIC_PROVIDERS: "true",
    NODE_COMPILE_CACHE: join(root, ".toolchain", "compile-cache"),
  };
  const entry = join(root, "dist", "program", "cli", "entry.js");
  const noChangeOldPlugin: number[] = [];
  const noChange: number[] = [];
  const floor: number[] = [];
  const apiFloor: number[] = [];
  for (let i = 0; i < runs; i++) {
    noChange.push(timed(cli, up));
    noChangeOldPlugin.push(timed(node, [entry, ...up], oldPluginEnv));
    floor.push(timed(node, [join(root, "bench", "floor-up.mjs")], sessionEnv));
    apiFloor.push(timed(node, [join(root, "bench", "floor-up.mjs"), "--automation-api"], sessionEnv));
  }
  const row = (label: string, xs: number[]) =>
    console.log(
      `${label.padEnd(44)}${(median(xs) / 1000).toFixed(2)} s   (runs: ${xs.map((x) => (x / 1000).toFixed(2)).join(" ")})`,
    );
  console.log(`median of ${runs} each, same sandbox, same file backend`);
  row("zerostack up, no change (tiny, in service)", noChange);
  row("engine floor: up of an empty inline stack", floor);
  row("the same through the Automation API's up", apiFloor);
  row("zerostack up, no change, plugin as before", noChangeOldPlugin);
  rmSync(oldPlugin, { recursive: true, force: true });
  console.log(`ratio ${(median(noChange) / median(floor)).toFixed(2)}x`);
  console.log(`ratio with the plugin as before ${(median(noChangeOldPlugin) / median(floor)).toFixed(2)}x`);
  console.log(`ratio to the Automation API's up ${(median(noChange) / median(apiFloor)).toFixed(2)}x`);
} finally {
  spawnSync(cli, ["sandbox", "stop"], { env, stdio: "ignore" });
  rmSync(home, { recursive: true, force: true });
}
