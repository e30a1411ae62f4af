// What the Stacks screen shows about each experiment: the inventory's rows (program/driver/inventory.ts).
import type { StackStatus, StackSummary } from "./contract.js";
import { inventory, type ExperimentRow } from "../driver/inventory.js";
import type { DriverContext } from "../driver/workspace.js";

export function statusOf(row: ExperimentRow): StackStatus {
  return row.status === "training-only" ? "ready" : row.status;
}

export function summarize(row: ExperimentRow): StackSummary {
  return {
    name: row.name,
    status: statusOf(row),
    resourceCount: row.resourceCount,
    ...(row.createdAt ? { createdAt: row.createdAt } : {}),
    ...(row.updatedAt ? { updatedAt: row.updatedAt } : {}),
    ...(row.preset ? { preset: row.preset } : {}),
    ...(row.ttlExpiresAt ? { ttlExpiresAt: row.ttlExpiresAt } : {}),
    ...(row.costUsd !== undefined ? { costUsd: row.costUsd } : {}),
  };
}

export async function stackSummaries(ctx: DriverContext, now: Date): Promise<StackSummary[]> {
  const rows = await inventory(ctx, now.getTime());
  return rows.map(summarize).sort((a, b) => (b.updatedAt ?? "").localeCompare(a.updatedAt ?? ""));
}
