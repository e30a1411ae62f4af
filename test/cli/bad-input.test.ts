// At least 1000 generated bad inputs (flags and spec files) through the real CLI entry: each
// exits 2 with a message naming the field, prints no stack trace, and creates nothing.
import fc from "fast-check";
import { existsSync, mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { captureOutput } from "../helpers/capture.js";
import { main } from "../../program/cli/main.js";
import { specFromPreset } from "../../program/spec/index.js";
import { BACKEND_NAMES } from "../../program/spec/backends.js";
import { REGIONS } from "../../program/spec/regions.js";

const home = mkdtempSync(join(tmpdir(), "zs-bad-"));
const specDir = mkdtempSync(join(tmpdir(), "zs-bad-specs-"));
const saved = { ...process.env };

async function runMain(args: string[]): Promise<{ code: number; stderr: string; stdout: string }> {
  const out = captureOutput();
  try {
    const code = await main(["node", "zerostack", ...args]);
    return { code, stderr: out.stderr, stdout: out.stdout };
  } finally {
    out.restore();
  }
}

const notIn = (allowed: readonly string[]) =>
  fc.string({ minLength: 1, maxLength: 12 }).filter((s) => !allowed.includes(s) && !s.startsWith("-"));

/** [flag, a value that flag must refuse] */
const badFlag: fc.Arbitrary<[string, string]> = fc.oneof(
  fc.tuple(fc.constant("--nodes"), fc.constantFrom("0", "3", "-1", "abc", "1.5", "17", "1e9", "")),
  fc.tuple(fc.constant("--zero"), notIn(["2", "3", "3-offload"])),
  fc.tuple(fc.constant("--backend"), notIn(BACKEND_NAMES)),
  fc.tuple(
    fc.constant("--train-instance"),
    fc
      .stringMatching(/^ml\.[a-z]{1,3}\d?\.[a-z]{2,6}$/)
      .filter((s) => !["ml.g5.xlarge", "ml.g5.2xlarge", "ml.p4d.24xlarge"].includes(s)),
  ),
  fc.tuple(fc.constant("--serve-instance"), fc.stringMatching(/^ml\.z[a-z]{1,3}\.[a-z]{2,6}$/)),
  fc.tuple(fc.constant("--tp"), fc.constantFrom("0", "-2", "x", "1.5", "65")),
  fc.tuple(fc.constant("--ttl"), fc.constantFrom("abc", "1m", "30d", "-5m", "2x", "14m")),
  fc.tuple(fc.constant("--lr"), fc.constantFrom("-1", "0", "x", "2", "NaN", "1e3")),
  fc.tuple(fc.constant("--epochs"), fc.constantFrom("0", "-1", "x", "1000")),
  fc.tuple(
    fc.constant("--name"),
    fc.oneof(
      fc.constantFrom("Bad", "a_b", "9lives", "-x", "a--b-", "x".repeat(64)),
      fc.stringMatching(/^[A-Z][a-z]{0,8}$/),
    ),
  ),
  fc.tuple(
    fc.constant("--region"),
    fc.stringMatching(/^[a-z]{2}-[a-z]{3,8}-\d$/).filter((r) => !(REGIONS as readonly string[]).includes(r)),
  ),
  fc.tuple(fc.constant("--bucket"), fc.constantFrom("A", "ab", "Bad_Bucket", "x..y", "-start", "end-")),
  fc.tuple(fc.constant("--max-runtime"), fc.constantFrom("0", "abc", "100d", "30s")),
);

/** A spec file with one field broken: [dotted path, the broken document] */
const tiny = specFromPreset("tiny") as unknown as Record<string, unknown>;
function leaves(value: unknown, path: string[] = []): string[][] {
  if (value && typeof value === "object" && !Array.isArray(value)) {
    return Object.entries(value).flatMap(([k, v]) => leaves(v, [...path, k]));
  }
  return [path];
}
const paths = leaves(tiny).filter((p) => p.length > 0 && p[0] !== "tags");
const badSpec = fc.tuple(fc.constantFrom(...paths), fc.constantFrom("wrong-type", "unknown-key")).map(([path, how]) => {
  const doc = structuredClone(tiny);
  let at = doc as Record<string, unknown>;
  for (const key of path.slice(0, -1)) at = at[key] as Record<string, unknown>;
  const leaf = path.at(-1)!;
  if (how === "unknown-key") {
    at[`${leaf}Typo`] = 1;
    return { field: [...path.slice(0, -1), `${leaf}Typo`].join("."), doc };
  }
  const current = at[leaf];
  at[leaf] =
    typeof current === "string"
      ? 12345
      : typeof current === "number"
        ? "not-a-number"
        : typeof current === "boolean"
          ? "yes"
          : 7;
  return { field: path.join("."), doc };
});

describe("bad input: exit 2, the field named, no stack trace, nothing created", () => {
  beforeAll(() => {
    for (const key of Object.keys(process.env)) if (key.startsWith("AWS_")) delete process.env[key];
    process.env.ZEROSTACK_HOME = home;
  });
  afterAll(() => {
    process.env = saved;
  });

  it("refuses 700 generated flag sets", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(badFlag, { minLength: 1, maxLength: 3, selector: ([flag]) => flag }),
        fc.constantFrom("up", "preview", "plan"),
        async (bad, command) => {
          const args = [command, "--preset", "tiny", ...bad.flat(), ...(command === "up" ? ["--yes"] : [])];
          const r = await runMain(args);
          expect(r.code, `${args.join(" ")}\n${r.stderr}`).toBe(2);
          for (const [flag] of bad) expect(r.stderr, args.join(" ")).toContain(flag);
          expect(r.stderr).not.toMatch(/\n\s+at .+:\d+:\d+/);
        },
      ),
      { numRuns: 700, seed: 20261125 },
    );
    expect(existsSync(home) ? readdirSync(home) : []).toEqual([]);
  });

  it("refuses 350 generated broken spec files", async () => {
    let n = 0;
    await fc.assert(
      fc.asyncProperty(badSpec, async ({ field, doc }) => {
        const file = join(specDir, `spec-${n++}.json`);
        writeFileSync(file, JSON.stringify(doc));
        const r = await runMain(["up", "--spec", file, "--yes"]);
        expect(r.code, `${field}\n${r.stderr}`).toBe(2);
        expect(r.stderr).toContain(field);
        expect(r.stderr).not.toMatch(/\n\s+at .+:\d+:\d+/);
      }),
      { numRuns: 350, seed: 20261125 },
    );
    expect(existsSync(home) ? readdirSync(home) : []).toEqual([]);
  });

  it("a spec file that is not JSON, and an unknown flag, are bad input too", async () => {
    const file = join(specDir, "broken.json");
    writeFileSync(file, "{ not json");
    const r = await runMain(["up", "--spec", file, "--yes"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("--spec");
    expect((await runMain(["up", "--preset", "tiny", "--nodez", "2"])).code).toBe(2);
    // the harness tells good from bad: a valid plan exits 0
    expect((await runMain(["plan", "--preset", "tiny", "--nodes", "4"])).code).toBe(0);
  });
});
