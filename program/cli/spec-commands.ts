// `presets` and `plan`: pure commands over the preset catalog and the spec (no AWS, no Pulumi).
// The work lives in program/spec (flags.ts, format.ts); this file only wires commander.
import type { Command } from "commander";
import type { PlanFlags } from "../spec/flags.js";
import { framed } from "./command-frame.js";
import { withSpecOptions } from "./spec-options.js";

export function registerSpecCommands(program: Command, setExit: (code: number) => void): void {
  program
    .command("presets")
    .description("list the preset catalog")
    .option("--json", "print the catalog as JSON")
    .action(
      framed<{ json?: boolean }>({ action: "presets" }, setExit, async (flags, { out }) => {
        const { presetSummaries, formatPresets, PRESETS } = await import("../spec/index.js");
        const summaries = presetSummaries();
        const document = flags.json
          ? { presets: summaries.map((s) => ({ ...s, spec: PRESETS[s.name as keyof typeof PRESETS].spec })) }
          : summaries;
        out.result(document, () => formatPresets(summaries));
      }),
    );

  withSpecOptions(
    program
      .command("plan")
      .description(
        "validate an experiment and print its derived spec, DeepSpeed config, env, serving.properties, warnings and cost (no AWS, no Pulumi)",
      ),
  )
    .option("--json", "print the plan as JSON")
    .action(
      framed<PlanFlags>({ action: "plan" }, setExit, async (flags, { out }) => {
        const [{ readFileSync }, { specFromFlags }, { formatPlan }, { experimentPlan }, { loadPriceBook }] =
          await Promise.all([
            import("node:fs"),
            import("../spec/flags.js"),
            import("../spec/format.js"),
            import("../stack/experiment-plan.js"),
            import("../providers/pricing.js"),
          ]);
        const { spec, trainingHours } = specFromFlags(flags, (path) => readFileSync(path, "utf8"));
        // pure: list prices only from the cache an earlier `up` or `preview` filled, else the offline table
        const prices = await loadPriceBook(spec.region, { sandbox: false, cacheOnly: true });
        const plan = experimentPlan(spec, {}, { prices, ...(trainingHours === undefined ? {} : { trainingHours }) });
        out.result(plan, () => formatPlan(plan));
        return { stack: plan.names.stack };
      }),
    );
}
