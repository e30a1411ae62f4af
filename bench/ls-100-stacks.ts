// `zerostack ls` with 100 experiment stacks: the file-backend inventory (one checkpoint read per
// stack) next to the Automation API path (one `pulumi stack output` per stack, what a remote
// backend takes), in the same run on the same state. Prints figures; never passes or fails.
//   node bench/ls-100-stacks.ts [stacks]      (after scripts/bootstrap; Node >= 22.18 runs .ts as is)
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const root = join(import.meta.dirname, "..");
const count = Number(process.argv[2] ?? 100);
const home = mkdtempSync(join(tmpdir(), "zerostack-bench-ls-"));
const env: NodeJS.ProcessEnv = {
  ...process.env,
  ZEROSTACK_HOME: home,
  ZEROSTACK_SANDBOX: "1",
  PATH: `${join(root, ".toolchain", "bin")}:${process.env.PATH}`,
};
for (const key of Object.keys(env)) if (key.startsWith("AWS_")) delete env[key];
const cli = join(root, "bin", "zerostack");
const state = join(home, "sandbox", "state");
const pulumi = (...args: string[]) =>
  execFileSync("pulumi", args, {
    env: {
      ...env,
      PULUMI_BACKEND_URL: `file://${state}`,
      PULUMI_CONFIG_PASSPHRASE: readFileSync(join(home, "passphrase"), "utf8").trim(),
      PULUMI_HOME: join(home, "pulumi"),
    },
    cwd: join(home, "sandbox", "workspaces", "proto"),
    encoding: "utf8",
    stdio: ["ignore", "pipe", "ignore"],
  });

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

function time(fn: () => void, runs = 3): number {
  const ms: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    fn();
    ms.push(performance.now() - t);
  }
  return median(ms);
}

try {
  // one real experiment, its checkpoint then imported under 100 names (real state, real outputs)
  const up = spawnSync(cli, ["up", "--preset", "tiny", "--name", "proto", "--yes"], { env, encoding: "utf8" });
  if (up.status !== 0) throw new Error(up.stderr);
  const exported = pulumi("stack", "export", "--stack", "proto");
  const made = performance.now();
  for (let i = 0; i < count - 1; i++) {
    const name = `exp-${i}`;
    pulumi("stack", "init", name, "--no-select");
    const file = join(home, `${name}.json`);
    writeFileSync(file, exported.replaceAll("urn:pulumi:proto::", `urn:pulumi:${name}::`));
    pulumi("stack", "import", "--stack", name, "--file", file);
  }
  console.log(`made ${count} stacks in ${((performance.now() - made) / 1000).toFixed(1)}s`);

  const lsFile = time(() => {
    const r = spawnSync(cli, ["ls", "--json"], { env, encoding: "utf8" });
    const rows = JSON.parse(r.stdout.trim().split("\n").at(-2)!) as unknown[]; // the line before `done`
    if (rows.length !== count) throw new Error(`ls listed ${rows.length} stacks, not ${count}`);
  });
  const viaEngineScript = `
    const { inventory } = await import(${JSON.stringify(join(root, "dist", "program", "driver", "inventory.js"))});
    const rows = await inventory({ sandbox: true }, Date.now(), { viaEngine: true });
    if (rows.length !== ${count}) throw new Error("listed " + rows.length);`;
  const lsEngine = time(() => {
    const r = spawnSync(process.execPath, ["--input-type=module", "-e", viaEngineScript], { env, encoding: "utf8" });
    if (r.status !== 0) throw new Error(r.stderr);
  }, 1);
  const bare = time(() => spawnSync(process.execPath, ["-e", "0"]));
  console.log(`zerostack ls --json, ${count} stacks (file backend inventory): ${lsFile.toFixed(0)} ms (median of 3)`);
  console.log(`same listing through the Automation API (a CLI call per stack):  ${lsEngine.toFixed(0)} ms (1 run)`);
  console.log(`node -e 0: ${bare.toFixed(0)} ms`);
  console.log(`ratio engine/file: ${(lsEngine / lsFile).toFixed(1)}x`);
} finally {
  spawnSync(cli, ["sandbox", "stop"], { env });
  rmSync(home, { recursive: true, force: true });
}
