// The receipt a successful `up` keeps (program/driver/up-receipt.ts), on real files in a temp
// ZEROSTACK_HOME laid out as the file backend lays them out: the same program on the very checkpoint
// it left is answered from it; another program, another checkpoint, a lock, a gzipped checkpoint, a
// backend that is not a folder, or ZEROSTACK_UP_FAST_PATH=0 send `up` to the engine.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { fileCheckpointPath } from "../../program/driver/checkpoints.js";
import { lockDir } from "../../program/driver/locks.js";
import { keepReceipt, type ProgramInputs, programKey, unchangedState } from "../../program/driver/up-receipt.js";
import type { DriverContext } from "../../program/driver/workspace.js";
import { sandboxBase } from "../../program/sandbox-client/seed.js";
import { derivePlan, specFromPreset } from "../../program/spec/index.js";

let home: string;
let ctx: DriverContext;
let checkpointFile: string;

const checkpoint = (time: string) =>
  JSON.stringify({
    version: 3,
    checkpoint: {
      stack: "organization/zerostack/exp",
      latest: {
        manifest: { time },
        resources: [
          { urn: "urn:pulumi:exp::zerostack::pulumi:pulumi:Stack::zerostack-exp", type: "pulumi:pulumi:Stack" },
        ],
      },
    },
  });

beforeEach(() => {
  home = mkdtempSync(join(tmpdir(), "zs-receipt-"));
  ctx = { sandbox: true, env: { ZEROSTACK_HOME: home } };
  const file = fileCheckpointPath(ctx, "exp", "zerostack");
  if (file === "not-a-file-backend") throw new Error("the sandbox's state is a folder");
  checkpointFile = file;
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, checkpoint("2026-12-01T10:00:00Z"));
});
afterEach(() => rmSync(home, { recursive: true, force: true }));

const engine = (state: ReturnType<typeof unchangedState>) => ("engine" in state ? state.engine : "checkpoint");

describe("unchangedState", () => {
  it("answers with the checkpoint the last up left, for the program it ran", () => {
    keepReceipt(ctx, "exp", "program-1");
    const state = unchangedState(ctx, "exp", "program-1", {});
    expect("checkpoint" in state && state.checkpoint.checkpoint?.latest?.manifest?.time).toBe("2026-12-01T10:00:00Z");
  });

  it("sends another program, a changed checkpoint or a missing receipt to the engine", () => {
    expect(engine(unchangedState(ctx, "exp", "program-1", {}))).toBe("no receipt of an earlier up");
    keepReceipt(ctx, "exp", "program-1");
    expect(engine(unchangedState(ctx, "exp", "program-2", {}))).toBe("the program changed");
    writeFileSync(checkpointFile, checkpoint("2026-12-01T11:00:00Z")); // a refresh, a teammate's up
    expect(engine(unchangedState(ctx, "exp", "program-1", {}))).toBe("the state changed since");
    rmSync(checkpointFile);
    expect(engine(unchangedState(ctx, "exp", "program-1", {}))).toBe("the state changed since");
  });

  it("sends a locked stack, a gzipped checkpoint and ZEROSTACK_UP_FAST_PATH=0 to the engine", () => {
    keepReceipt(ctx, "exp", "program-1");
    expect(engine(unchangedState(ctx, "exp", "program-1", { ZEROSTACK_UP_FAST_PATH: "0" }))).toBe(
      "ZEROSTACK_UP_FAST_PATH=0",
    );
    const locks = lockDir(ctx, "exp");
    if (!locks) throw new Error("a folder backend has a lock folder");
    mkdirSync(locks, { recursive: true });
    const lock = join(locks, "a.json");
    writeFileSync(lock, JSON.stringify({ pid: 1, hostname: "h", username: "u", timestamp: "t" }));
    expect(engine(unchangedState(ctx, "exp", "program-1", {}))).toBe("the stack is locked");
    rmSync(lock);
    writeFileSync(`${checkpointFile}.gz`, "");
    expect(engine(unchangedState(ctx, "exp", "program-1", {}))).toBe("the state changed since");
  });

  it("keeps no receipt where the checkpoint is not one plain file", () => {
    writeFileSync(`${checkpointFile}.gz`, "");
    keepReceipt(ctx, "exp", "program-1");
    rmSync(`${checkpointFile}.gz`);
    expect(engine(unchangedState(ctx, "exp", "program-1", {}))).toBe("no receipt of an earlier up");
  });

  it("sends a stack on a backend that is not a folder to the engine", () => {
    keepReceipt(ctx, "exp", "program-1");
    const remote = { sandbox: false, env: { ZEROSTACK_HOME: home, PULUMI_BACKEND_URL: "s3://team-state" } };
    mkdirSync(join(home, "workspaces", "exp"), { recursive: true });
    writeFileSync(
      join(home, "workspaces", "exp", "up-receipt.json"),
      JSON.stringify({ v: 1, program: "p", checkpoint: "c" }),
    );
    expect(engine(unchangedState(remote, "exp", "p", {}))).toBe("not a file backend");
  });
});

describe("programKey", () => {
  const plan = derivePlan(specFromPreset("tiny"));
  const inputs: ProgramInputs = {
    plan,
    base: sandboxBase,
    payloadDir: "/checkout/payload",
    trainingSourceSha256: "a".repeat(64),
  };

  it("is the same for the same inputs, whatever their key order", () => {
    const reordered = Object.fromEntries(Object.entries(inputs).reverse()) as unknown as ProgramInputs;
    expect(programKey(reordered, "code")).toBe(programKey(inputs, "code"));
  });

  it("changes with the plan, the base, the payload folder, the TTL, the token, each bundle and the code", () => {
    const keys = [
      programKey(inputs, "code"),
      programKey(inputs, "other code"),
      programKey({ ...inputs, plan: derivePlan(specFromPreset("tiny", { zero: "2" })) }, "code"),
      programKey({ ...inputs, base: { ...sandboxBase, bucket: "another" } }, "code"),
      programKey({ ...inputs, payloadDir: "/another/payload" }, "code"),
      programKey({ ...inputs, ttl: { ttlSeconds: 3600, expiresAt: "2026-12-01T11:00:00.000Z" } }, "code"),
      programKey({ ...inputs, hfTokenHash: "h" }, "code"),
      programKey({ ...inputs, trainingSourceSha256: "b".repeat(64) }, "code"),
      programKey({ ...inputs, servingCodeSha256: "c".repeat(64) }, "code"),
    ];
    expect(new Set(keys).size).toBe(keys.length);
  });
});
