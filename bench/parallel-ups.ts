// Ten no-change `up`s of ten experiments at once (ten processes, one workspace and lock each) next
// to one alone, on the same sandbox and file backend; then the same with the engine started
// (ZEROSTACK_UP_FAST_PATH=0: a no-change `up` is otherwise answered from its checkpoint). Every one
// must finish (exit 0, last line `done`); prints the wall times. Never passes or fails on time.
//   node bench/parallel-ups.ts [experiments=10]      (after scripts/bootstrap)
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const root = join(import.meta.dirname, "..");
const count = Number(process.argv[2] ?? 10);
const home = mkdtempSync(join(tmpdir(), "zerostack-bench-parallel-"));
const env: NodeJS.ProcessEnv = { ...process.env, ZEROSTACK_HOME: home, NO_COLOR: "1" };
for (const key of Object.keys(env)) if (key.startsWith("AWS_")) delete env[key];
const cli = join(root, "bin", "zerostack");
// a TTL the sped-up clock cannot reach during the run (tiny's 30 min would delete the endpoints)
const up = (name: string) => ["up", "--preset", "tiny", "--name", name, "--ttl", "24h", "--yes", "--json"];

function runAsync(args: string[], extra: NodeJS.ProcessEnv = {}): Promise<{ code: number; last: string }> {
  return new Promise((resolve) => {
    const child = spawn(cli, args, { env: { ...env, ...extra }, stdio: ["ignore", "pipe", "ignore"] });
    let out = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    child.on("close", (code) => resolve({ code: code ?? 137, last: out.trim().split("\n").at(-1) ?? "" }));
  });
}

try {
  if (spawnSync(cli, ["sandbox", "start"], { env, stdio: "ignore" }).status !== 0) throw new Error("no sandbox");
  const { endpoint } = JSON.parse(readFileSync(join(home, "sandbox", "service.json"), "utf8")) as { endpoint: string };
  // the simulated training and endpoint creation at 20x: the experiments are made in minutes
  await fetch(`${endpoint}/_zerostack/clock`, { method: "POST", body: JSON.stringify({ speed: 20 }) });
  const names = Array.from({ length: count }, (_, i) => `par-${i}`);
  const made = performance.now();
  for (const name of names) {
    const r = spawnSync(cli, up(name), { env, encoding: "utf8" });
    if (r.status !== 0) throw new Error(`${name}: ${r.stdout.trim().split("\n").at(-1)}`);
  }
  console.log(`made ${count} experiments one after another in ${((performance.now() - made) / 1000).toFixed(1)} s`);
  for (const [label, extra] of [
    ["", {}],
    [", the engine started", { ZEROSTACK_UP_FAST_PATH: "0" }],
  ] as const) {
    const alone = performance.now();
    const one = await runAsync(up(names[0]!), extra);
    const aloneMs = performance.now() - alone;
    const together = performance.now();
    const all = await Promise.all(names.map((name) => runAsync(up(name), extra)));
    const togetherMs = performance.now() - together;
    const finished = [one, ...all].filter((r) => r.code === 0 && r.last.includes('"type":"done"')).length;
    console.log(`one no-change up alone${label}: ${(aloneMs / 1000).toFixed(2)} s`);
    console.log(`${count} no-change ups at once${label} (wall): ${(togetherMs / 1000).toFixed(2)} s`);
    console.log(
      `finished ${finished}/${count + 1}; ratio ${(togetherMs / aloneMs).toFixed(2)}x for ${count}x the work`,
    );
    for (const [i, r] of all.entries()) if (r.code !== 0) console.log(`  ${names[i]}: exit ${r.code}: ${r.last}`);
  }
} finally {
  spawnSync(cli, ["sandbox", "stop"], { env, stdio: "ignore" });
  rmSync(home, { recursive: true, force: true });
}
