// A rehearsal reads its channels from the sandbox's S3 like a real job: the tiny dataset shipped in
// payload/train/data is prepared (prepare_data.py: prompt, tokenization, -100 label padding,
// save_to_disk) and uploaded under the channels' prefixes the first time it is needed.
import { ListObjectsV2Command, S3Client } from "@aws-sdk/client-s3";
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { clientSettings } from "../aws/clients.js";
import { payloadDir, zerostackRoot } from "../env/paths.js";
import { ToolchainError } from "../errors.js";
import type { EventSink } from "../events.js";
import type { Plan } from "../spec/index.js";
import { parseS3Uri } from "../providers/s3-client.js";

export const SHIPPED_DATASET = "zerostack/tiny-summaries";

/** `s3://b/p/datasets/tiny/train/` and `.../test/` -> `s3://b/p/datasets/tiny` */
export function datasetRoot(channels: { training: string; test: string }): string | undefined {
  const train = channels.training.replace(/\/+$/, "");
  const test = channels.test.replace(/\/+$/, "");
  const root = train.slice(0, train.lastIndexOf("/"));
  return train.endsWith("/train") && test === `${root}/test` ? root : undefined;
}

async function isEmpty(s3: S3Client, uri: string): Promise<boolean> {
  const { bucket, key } = parseS3Uri(uri);
  const listed = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: key, MaxKeys: 1 }));
  return (listed.KeyCount ?? 0) === 0;
}

export async function ensureRehearsalData(plan: Plan, onEvent: EventSink): Promise<void> {
  const { channels } = plan.training;
  if (plan.spec.dataset.name !== SHIPPED_DATASET) return; // the user's own data: they upload it
  const s3 = new S3Client(clientSettings());
  if (!(await isEmpty(s3, channels.training)) && !(await isEmpty(s3, channels.test))) return;
  const root = datasetRoot(channels);
  if (!root) return;
  const python =
    process.env.ZEROSTACK_PAYLOAD_PYTHON ?? join(zerostackRoot(), ".toolchain", "venv-payload", "bin", "python");
  if (!existsSync(python))
    throw new ToolchainError(`rehearsals need the payload's Python venv (${python})`, "run scripts/bootstrap");
  onEvent({
    type: "diagnostic",
    severity: "info",
    message: `preparing the tiny dataset into ${root}/ (first rehearsal in this sandbox)`,
  });
  const out = mkdtempSync(join(tmpdir(), "zs-dataset-"));
  const hp = plan.spec.training.hyperparameters;
  try {
    await run(
      python,
      [
        "prepare_data.py",
        "--input",
        "data/tiny.jsonl",
        "--output_dir",
        out,
        "--max_source_length",
        String(hp.maxSourceLength),
        "--max_target_length",
        String(hp.maxTargetLength),
        "--s3_uri",
        root,
      ],
      join(payloadDir(), "train"),
    );
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

function run(command: string, args: string[], cwd: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd,
      env: {
        ...process.env,
        HF_HUB_OFFLINE: "1",
        HF_DATASETS_OFFLINE: "1",
        TRANSFORMERS_OFFLINE: "1",
        CUDA_VISIBLE_DEVICES: "",
      },
      stdio: ["ignore", "ignore", "pipe"],
    });
    let stderr = "";
    child.stderr.on("data", (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
    child.on("error", reject);
    child.on("close", (code) =>
      code === 0
        ? resolve()
        : reject(
            new ToolchainError(
              `preparing the tiny dataset failed (exit ${code}):\n${stderr.trim().split("\n").slice(-6).join("\n")}`,
              "run scripts/bootstrap, then try again",
            ),
          ),
    );
  });
}
