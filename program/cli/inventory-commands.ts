// ls, rm, sweep: what exists, removing a stack record, and finding what no stack owns.
import type { Command } from "commander";
import { BadInputError, ConflictError, ExitCode } from "../errors.js";
import type { ExperimentRow } from "../driver/inventory.js";
import { confirmOrRequireYes } from "./confirm.js";
import { runCommand } from "./run-command.js";
import { openSession } from "./session.js";
import { withCommonOptions } from "./common-options.js";

function age(iso: string | undefined, now: number): string {
  if (!iso) return "-";
  const minutes = Math.max(0, Math.round((now - Date.parse(iso)) / 60000));
  return minutes < 60 ? `${minutes}m` : minutes < 2880 ? `${Math.round(minutes / 60)}h` : `${Math.round(minutes / 1440)}d`;
}

export function formatRows(rows: ExperimentRow[], now = Date.now()): string {
  if (rows.length === 0) return "no experiments";
  const table = [["NAME", "STATUS", "PRESET", "AGE", "TTL LEFT", "COST SO FAR"]];
  for (const r of rows) {
    const ttl = r.ttlExpiresAt && r.endpointStatus === "InService" ? age(new Date(2 * now - Date.parse(r.ttlExpiresAt)).toISOString(), now) : "-";
    table.push([r.name, r.status, r.preset ?? "-", age(r.updatedAt, now), ttl, r.costUsd !== undefined ? `$${r.costUsd.toFixed(2)}` : "-"]);
  }
  const widths = table[0]!.map((_, i) => Math.max(...table.map((row) => row[i]!.length)));
  return table.map((row) => row.map((cell, i) => cell.padEnd(widths[i]!)).join("  ").trimEnd()).join("\n");
}

export function registerInventoryCommands(program: Command, setExit: (code: number) => void): void {
  withCommonOptions(program.command("ls").description("list experiments with status, preset, age, TTL left and cost so far")).action((flags: { json?: boolean; sandbox?: boolean }) =>
    runCommand("ls", flags.json ?? false, async ({ out }) => {
      const session = await openSession(flags.sandbox, out);
      const { inventory } = await import("../driver/inventory.js");
      const rows = await inventory(session);
      out.result(rows, () => formatRows(rows));
    }).then(setExit),
  );

  withCommonOptions(
    program
      .command("rm")
      .description("remove an experiment's stack record (refused while it still has resources; `destroy` deletes them)")
      .requiredOption("-s, --stack <name>", "experiment (stack) name")
      .option("--force", "remove the record even though resources remain (they become orphans: see `sweep`)")
      .option("-y, --yes", "do not ask for confirmation"),
  ).action((flags: { stack: string; force?: boolean; yes?: boolean; nonInteractive?: boolean; json?: boolean; sandbox?: boolean }) =>
    runCommand("rm", flags.json ?? false, async ({ out }) => {
      if (!(await confirmOrRequireYes(flags.yes, flags.nonInteractive, `Remove the stack record of ${flags.stack}?`, "rm"))) {
        setExit(ExitCode.badInput);
        return;
      }
      const session = await openSession(flags.sandbox, out);
      const { inventory } = await import("../driver/inventory.js");
      const row = (await inventory(session)).find((r) => r.name === flags.stack);
      if (!row) throw new BadInputError([{ field: "--stack", message: `no experiment named ${flags.stack}`, allowed: "a name from `zerostack ls`" }]);
      if (row.resourceCount > 0 && !flags.force) {
        throw new ConflictError(`${flags.stack} still has ${row.resourceCount} resources`, `run \`zerostack destroy --stack ${flags.stack} --yes\` first (or rm --force, then \`zerostack sweep\`)`);
      }
      const { projectWorkspace } = await import("../driver/workspace.js");
      await (await projectWorkspace(session)).removeStack(flags.stack, { force: flags.force ?? false });
      out.result({ removed: flags.stack }, () => `removed ${flags.stack}`);
    }).then(setExit),
  );

  withCommonOptions(
    program
      .command("sweep")
      .description("list zerostack-tagged objects that no stack owns; with --yes, delete them")
      .option("-y, --yes", "delete the orphans (endpoints first; running training jobs are stopped)"),
  ).action((flags: { yes?: boolean; json?: boolean; sandbox?: boolean }) =>
    runCommand("sweep", flags.json ?? false, async ({ out }) => {
      const session = await openSession(flags.sandbox, out);
      const [{ stackStates }, { findOrphans, deleteOrphans }] = await Promise.all([import("../driver/inventory.js"), import("../driver/sweep.js")]);
      const stacks = new Set((await stackStates(session)).map((s) => s.name));
      const orphans = await findOrphans(stacks);
      if (flags.yes && orphans.length > 0) await deleteOrphans(orphans);
      out.result({ orphans, deleted: Boolean(flags.yes) }, () =>
        orphans.length === 0
          ? "no orphans"
          : orphans.map((o) => `${flags.yes ? "deleted" : "orphan"} ${o.kind} ${o.name} (stack ${o.stack})`).join("\n") + (flags.yes ? "" : "\nrun `zerostack sweep --yes` to delete them"),
      );
    }).then(setExit),
  );
}
