// `presets` and `plan`: pure commands over the preset catalog and the spec (no AWS, no Pulumi).
// The work lives in program/spec (flags.ts, format.ts); this file only wires commander.
import type { Command } from "commander";
import { runCommand } from "./run-command.js";
import type { PlanFlags } from "../spec/flags.js";

export function registerSpecCommands(program: Command, setExit: (code: number) => void): void {
  program
    .command("presets")
    .description("list the preset catalog")
    .option("--json", "print the catalog as JSON")
    .action(async (flags: { json?: boolean }) => {
      const json = flags.json ?? false;
      setExit(
        await runCommand("presets", json, async ({ out }) => {
          const { presetSummaries, formatPresets, PRESETS } = await import("../spec/index.js");
          const summaries = presetSummaries();
          out.result(json ? { presets: summaries.map((s) => ({ ...s, spec: PRESETS[s.name as keyof typeof PRESETS].spec })) } : summaries, () => formatPresets(summaries));
          // The JSON-lines contract: the last line is `done` or `error`.
          if (json) out.event({ type: "done", action: "presets", stack: "", ok: true, seconds: 0 });
        }),
      );
    });

  program
    .command("plan")
    .description("validate an experiment and print its derived spec, DeepSpeed config, env, serving.properties, warnings and cost (no AWS, no Pulumi)")
    .option("--preset <name>", "start from this preset (see `zerostack presets`)")
    .option("--spec <file>", "start from this ExperimentSpec JSON file")
    .option("--name <name>", "experiment (stack) name")
    .option("--region <region>", "AWS region")
    .option("--bucket <bucket>", "S3 bucket for datasets and model output")
    .option("--prefix <prefix>", "S3 key prefix inside the bucket")
    .option("--nodes <n>", "training nodes: 1, 2, 4, 8 or 16")
    .option("--zero <stage>", "ZeRO stage: 2, 3 or 3-offload")
    .option("--backend <backend>", "LMI backend: accelerate, deepspeed, fastertransformer, vllm, lmi-dist, trtllm")
    .option("--train-instance <type>", "training instance type, e.g. ml.p4d.24xlarge")
    .option("--serve-instance <type>", "serving instance type, e.g. ml.g5.48xlarge")
    .option("--tp <n>", "tensor parallel degree for serving")
    .option("--ttl <duration>", "endpoint time to live, e.g. 2h")
    .option("--epochs <n>", "training epochs")
    .option("--lr <rate>", "learning rate, e.g. 1e-4")
    .option("--max-runtime <duration>", "training MaxRuntimeInSeconds, e.g. 24h")
    .option("--train-hours <hours>", "expected training hours for the cost estimate (default: max runtime)")
    .option("--no-serving", "training only, no endpoint")
    .option("--json", "print the plan as JSON")
    .action(async (flags: PlanFlags) => {
      const json = flags.json ?? false;
      setExit(
        await runCommand("plan", json, async ({ out }) => {
          const { readFileSync } = await import("node:fs");
          const { planFromFlags } = await import("../spec/flags.js");
          const { formatPlan } = await import("../spec/format.js");
          const started = Date.now();
          const plan = planFromFlags(flags, (path) => readFileSync(path, "utf8"));
          out.result(plan, () => formatPlan(plan));
          if (json) out.event({ type: "done", action: "plan", stack: plan.names.stack, ok: true, seconds: (Date.now() - started) / 1000 });
        }),
      );
    });
}
