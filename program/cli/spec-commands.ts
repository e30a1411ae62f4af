// `presets` and `plan`: pure commands over the preset catalog and the spec (no AWS, no Pulumi).
// The work lives in program/spec (flags.ts, format.ts); this file only wires commander.
import type { Command } from "commander";
import { runCommand } from "./run-command.js";
import { withSpecOptions } from "./spec-options.js";
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

  withSpecOptions(
    program
      .command("plan")
      .description("validate an experiment and print its derived spec, DeepSpeed config, env, serving.properties, warnings and cost (no AWS, no Pulumi)"),
  )
    .option("--json", "print the plan as JSON")
    .action(async (flags: PlanFlags) => {
      const json = flags.json ?? false;
      setExit(
        await runCommand("plan", json, async ({ out }) => {
          const { readFileSync } = await import("node:fs");
          const { specFromFlags } = await import("../spec/flags.js");
          const { formatPlan } = await import("../spec/format.js");
          const started = Date.now();
          const { experimentPlan } = await import("../stack/experiment-plan.js");
          const { spec, trainingHours } = specFromFlags(flags, (path) => readFileSync(path, "utf8"));
          const plan = experimentPlan(spec, {}, trainingHours === undefined ? {} : { trainingHours });
          out.result(plan, () => formatPlan(plan));
          if (json) out.event({ type: "done", action: "plan", stack: plan.names.stack, ok: true, seconds: (Date.now() - started) / 1000 });
        }),
      );
    });
}
