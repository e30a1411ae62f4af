// ls, rm, orphans: what exists, removing a stack record, and finding what no stack owns.
import type { Command } from "commander";
import type { ExperimentRow } from "../driver/inventory.js";
import { framed } from "./command-frame.js";
import { withCommonOptions } from "./common-options.js";

interface RmFlags {
  stack: string;
  force?: boolean;
}

interface LsFlags {
  grid?: string;
}

interface OrphansFlags {
  delete?: boolean;
}

function age(iso: string | undefined, now: number): string {
  if (!iso) return "-";
  const minutes = Math.max(0, Math.round((now - Date.parse(iso)) / 60000));
  if (minutes < 60) return `${minutes}m`;
  return minutes < 2880 ? `${Math.round(minutes / 60)}h` : `${Math.round(minutes / 1440)}d`;
}

export function formatRows(rows: ExperimentRow[], now = Date.now()): string {
  if (rows.length === 0) return "no experiments";
  const table = [["NAME", "STATUS", "PRESET", "AGE", "TTL LEFT", "COST SO FAR"]];
  for (const r of rows) {
    const ttl =
      r.ttlExpiresAt && r.status === "ready"
        ? age(new Date(2 * now - Date.parse(r.ttlExpiresAt)).toISOString(), now)
        : "-";
    const cost = r.costUsd !== undefined ? `$${r.costUsd.toFixed(2)}` : "-";
    // AGE counts from creation: later updates and refreshes do not make an experiment younger
    table.push([r.name, r.status, r.preset ?? "-", age(r.createdAt ?? r.updatedAt, now), ttl, cost]);
  }
  const widths = table[0]!.map((_, i) => Math.max(...table.map((row) => row[i]!.length)));
  return table
    .map((row) =>
      row
        .map((cell, i) => cell.padEnd(widths[i]!))
        .join("  ")
        .trimEnd(),
    )
    .join("\n");
}

export function registerInventoryCommands(program: Command, setExit: (code: number) => void): void {
  withCommonOptions(
    program
      .command("ls")
      .description("list experiments with status, preset, age, TTL left and cost so far")
      .option("--grid <name>", "only the experiments of this grid"),
  ).action(
    framed<LsFlags>({ action: "ls" }, setExit, async (flags, { out, session }) => {
      const { inventory } = await import("../driver/inventory.js");
      const opened = await session();
      const now = (await opened.now()).getTime();
      let rows = await inventory(opened, now);
      if (flags.grid !== undefined) {
        const { gridStacks } = await import("./grid-commands.js");
        const cells = await gridStacks(opened, flags.grid);
        rows = cells.flatMap((c) => rows.filter((r) => r.name === c));
      }
      out.result(rows, () => formatRows(rows, now));
    }),
  );

  withCommonOptions(
    program
      .command("rm")
      .description("remove an experiment's stack record (refused while it still has resources; `destroy` deletes them)")
      .requiredOption("-s, --stack <name>", "experiment (stack) name")
      .option("--force", "remove the record even though resources remain (they become orphans: see `orphans`)")
      .option("-y, --yes", "do not ask for confirmation"),
  ).action(
    framed<RmFlags>({ action: "rm" }, setExit, async (flags, { out, session, confirm }) => {
      await confirm(`Remove the stack record of ${flags.stack}?`);
      const { removeExperiment } = await import("../driver/experiment-stack.js");
      await removeExperiment(await session(), flags.stack, flags.force ?? false);
      out.result({ removed: flags.stack }, () => `removed ${flags.stack}`);
      return { stack: flags.stack };
    }),
  );

  withCommonOptions(
    program
      .command("orphans")
      .description("list zerostack-tagged objects that no stack owns; with --delete, delete them")
      .option(
        "--delete",
        "delete the orphans (endpoints first; running training jobs are stopped; secrets go at once, no recovery window)",
      )
      .option("-y, --yes", "with --delete: do not ask for confirmation"),
  ).action(
    framed<OrphansFlags>({ action: "orphans" }, setExit, async (flags, { out, session, confirm }) => {
      const { orphansOfContext, deleteOrphans } = await import("../driver/orphans.js");
      const orphans = await orphansOfContext(await session());
      const deleting = (flags.delete ?? false) && orphans.length > 0;
      if (deleting) {
        await confirm(`Delete ${orphans.length} zerostack object(s) that no stack owns?`, "orphans --delete");
        await deleteOrphans(orphans);
      }
      out.result({ orphans, deleted: deleting }, () =>
        orphans.length === 0
          ? "no orphans"
          : orphans.map((o) => `${deleting ? "deleted" : "orphan"} ${o.kind} ${o.name} (stack ${o.stack})`).join("\n") +
            (deleting ? "" : "\nrun `zerostack orphans --delete` to delete them"),
      );
    }),
  );
}
