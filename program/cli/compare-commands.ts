// `compare STACK...` or `compare --grid NAME`: the experiments side by side (the axes that differ,
// status, losses, throughput, time, cost, latency) and their loss curves overlaid on one plot.
import type { Command } from "commander";
import { BadInputError } from "../errors.js";
import { framed } from "./command-frame.js";
import { withCommonOptions } from "./common-options.js";

interface CompareFlags {
  sandbox?: boolean;
  grid?: string;
  csv?: boolean;
  invoke?: boolean;
}

export function registerCompareCommand(program: Command, setExit: (code: number) => void): void {
  withCommonOptions(
    program
      .command("compare")
      .description("compare experiments: axes that differ, losses, throughput, time, cost, latency, loss curves")
      .argument("[stacks...]", "experiments (stack names) to compare")
      .option("--grid <name>", "every experiment of this grid")
      .option("--csv", "print the table as CSV (for spreadsheets)")
      .option("--no-invoke", "do not invoke endpoints that are up to measure their latency"),
  ).action((stacks: string[], flags: CompareFlags & { json?: boolean }) =>
    framed<CompareFlags>({ action: "compare" }, setExit, async (f, { out, session }) => {
      if ((stacks.length === 0) === (f.grid === undefined))
        throw new BadInputError(
          [
            {
              field: "STACK/--grid",
              message: "compare needs experiments or one grid",
              allowed: "STACK... or --grid NAME",
            },
          ],
          "run `zerostack compare STACK STACK` or `zerostack compare --grid NAME`",
        );
      // CSV owns stdout: the SANDBOX notice goes to stderr
      const opened =
        f.csv && !out.json
          ? await (await import("../app/session.js")).openSession(f.sandbox, (t) => process.stderr.write(`${t}\n`))
          : await session();
      const names =
        f.grid !== undefined ? await (await import("./grid-commands.js")).gridStacks(opened, f.grid) : stacks;
      const [{ compareExperiments }, table] = await Promise.all([
        import("../app/compare.js"),
        import("../app/compare-table.js"),
      ]);
      const result = await compareExperiments(opened, names, { invoke: f.invoke ?? true, now: await opened.now() });
      if (f.csv && !out.json) {
        process.stdout.write(`${table.formatCsv(result)}\n`);
        return { stack: f.grid ?? names.join(",") };
      }
      const aligned = table.alignSeries(result.rows.map((r) => r.loss));
      out.result({ ...result, aligned }, () => {
        const width = Math.max(60, Math.min(process.stdout.columns ?? 100, 140));
        const plot = table.plotSeries(
          result.rows.map((r) => r.loss),
          { width, height: 14 },
        );
        return [
          table.formatTable(table.tableCells(result)),
          "",
          "training loss by step",
          ...plot,
          table.legend(result.rows.map((r) => r.stack)),
        ].join("\n");
      });
      return { stack: f.grid ?? names.join(",") };
    })(flags),
  );
}
