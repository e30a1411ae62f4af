// A no-change `up` without the engine. Every `up` that succeeds keeps a receipt in the experiment's
// workspace: a hash of everything its program read (the plan, the base, the payload folder, the
// TTL, the HF token's hash, the training source and serving code bundles, the code of the program,
// the providers and the driver, the SDK and Node that serialize the providers) and a hash of the
// checkpoint that update left. When the next `up` would run the same program on that very
// checkpoint, the engine can only answer what it answered then: each resource gets the inputs it
// has, every provider's Diff is a pure function of the old outputs and the new inputs
// (program/providers/*.ts), so every resource is the same and nothing runs. `up` then answers from
// the checkpoint without starting the engine.
//
// The file backend only (its checkpoint is a file to hash), and never while a lock is held (an
// update running, or a dead one's: the engine path clears it). ZEROSTACK_UP_FAST_PATH=0 always
// starts the engine.
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { version as sdkVersion } from "@pulumi/pulumi/version.js";
import type { BaseOutputs } from "../base/outputs.js";
import { canonicalJson, sha256Hex } from "../spec/canonical.js";
import type { Plan } from "../spec/index.js";
import { type Checkpoint, fileCheckpointPath } from "./checkpoints.js";
import { lockDir, readLocks } from "./locks.js";
import type { TtlState } from "./ttl.js";
import { type DriverContext, PROJECT, workspaceDir } from "./workspace.js";

/** Everything the experiment's program (program/stack/experiment.ts) builds its resources from. */
export interface ProgramInputs {
  plan: Plan;
  base: BaseOutputs;
  /** the payload folder the program reads (a source folder is an input of the training job) */
  payloadDir: string;
  ttl?: TtlState;
  hfTokenHash?: string;
  trainingSourceSha256: string;
  servingCodeSha256?: string;
}

interface Receipt {
  v: 1;
  /** programKey of the update's program */
  program: string;
  /** sha256 of the checkpoint file the update left */
  checkpoint: string;
}

/**
 * The program's own code, the providers' (they decide what the engine registers and diffs) and the
 * driver's (what it hands the program): another build of any of them is another key.
 */
const CODE_DIRS = ["../stack/", "../providers/", "./"];
let codeHash: string | undefined;

/** A hash of this checkout's program and provider modules, the SDK's version and Node's: read once per process. */
export function programCodeHash(): string {
  if (codeHash) return codeHash;
  const parts: string[] = [`node ${process.version}`, `sdk ${sdkVersion}`];
  for (const rel of CODE_DIRS) {
    const dir = fileURLToPath(new URL(rel, import.meta.url));
    for (const name of readdirSync(dir).sort()) {
      if (!/\.(js|ts)$/.test(name)) continue;
      parts.push(`${rel}${name} ${sha256Hex(readFileSync(join(dir, name), "utf8"))}`);
    }
  }
  codeHash = sha256Hex(parts.join("\n"));
  return codeHash;
}

/** What identifies one program of one experiment: any change to its inputs or its code is another key. */
export function programKey(inputs: ProgramInputs, code: string = programCodeHash()): string {
  return sha256Hex(canonicalJson({ v: 1, project: PROJECT, code, ...inputs }));
}

/** The stack's checkpoint file as it is now, or undefined where there is no single file to read. */
function checkpointText(ctx: DriverContext, stackName: string): string | undefined {
  const file = fileCheckpointPath(ctx, stackName, PROJECT);
  // a gzipped checkpoint (PULUMI_SELF_MANAGED_STATE_GZIP) may sit beside a stale plain one
  if (file === "not-a-file-backend" || existsSync(`${file}.gz`)) return undefined;
  try {
    return readFileSync(file, "utf8");
  } catch {
    return undefined;
  }
}

function receiptFile(ctx: DriverContext, stackName: string): string {
  return join(workspaceDir(ctx, stackName), "up-receipt.json");
}

/** After an `up` that succeeded: what it ran and the checkpoint it left. */
export function keepReceipt(ctx: DriverContext, stackName: string, program: string): void {
  const file = receiptFile(ctx, stackName);
  const text = checkpointText(ctx, stackName);
  if (text === undefined) {
    rmSync(file, { force: true });
    return;
  }
  const receipt: Receipt = { v: 1, program, checkpoint: sha256Hex(text) };
  mkdirSync(workspaceDir(ctx, stackName), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(receipt)}\n`);
  renameSync(temporary, file);
}

function readReceipt(file: string): Receipt | undefined {
  try {
    const receipt = JSON.parse(readFileSync(file, "utf8")) as Partial<Receipt>;
    return receipt.v === 1 && typeof receipt.program === "string" && typeof receipt.checkpoint === "string"
      ? (receipt as Receipt)
      : undefined;
  } catch {
    return undefined;
  }
}

/** Whether the user asked for the engine on every `up`. */
export function fastPathOff(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.ZEROSTACK_UP_FAST_PATH === "0";
}

/**
 * The checkpoint the last `up` left, when that `up` ran `program` and the state is still exactly
 * that; else why the engine must run.
 */
export function unchangedState(
  ctx: DriverContext,
  stackName: string,
  program: string,
  env: NodeJS.ProcessEnv = process.env,
): { checkpoint: Checkpoint } | { engine: string } {
  if (fastPathOff(env)) return { engine: "ZEROSTACK_UP_FAST_PATH=0" };
  const receipt = readReceipt(receiptFile(ctx, stackName));
  if (!receipt) return { engine: "no receipt of an earlier up" };
  if (receipt.program !== program) return { engine: "the program changed" };
  const locks = lockDir(ctx, stackName);
  if (!locks) return { engine: "not a file backend" };
  if (readLocks(locks).length > 0) return { engine: "the stack is locked" };
  const text = checkpointText(ctx, stackName);
  if (text === undefined || sha256Hex(text) !== receipt.checkpoint) return { engine: "the state changed since" };
  return { checkpoint: JSON.parse(text) as Checkpoint };
}
