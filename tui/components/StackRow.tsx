// One experiment on the Stacks screen: name, status, preset, age, cost so far, endpoint TTL left.
import { Text } from "ink";
import type { StackSummary } from "../../program/app/contract.js";
import type { RunState } from "../state/types.js";
import { duration, usd, useTheme } from "../theme.js";

export const COLUMNS = { name: 22, status: 14, preset: 14, age: 8, cost: 9 } as const;

export function statusOf(stack: StackSummary, run: RunState | undefined): string {
  if (run && run.phase === "running" && run.action !== "attach")
    return run.action === "destroy" ? "destroying" : "updating";
  if (run && run.phase === "failed" && run.action !== "attach") return "failed";
  return stack.status;
}

export function StackRow({
  stack,
  run,
  selected,
  marked = false,
  now,
}: {
  stack: StackSummary;
  run: RunState | undefined;
  selected: boolean;
  /** marked for Compare (space) */
  marked?: boolean;
  now: number;
}) {
  const theme = useTheme();
  const status = statusOf(stack, run);
  const statusColor =
    status === "failed"
      ? theme.error
      : status === "ready"
        ? theme.ok
        : status === "expired" || status === "endpoint-gone"
          ? theme.warn
          : status === "updating" || status === "destroying"
            ? theme.accent
            : theme.dim;
  // age from creation: later updates and refreshes do not make an experiment younger
  const born = stack.createdAt ?? stack.updatedAt;
  const age = born ? duration(now - Date.parse(born)) : "—";
  const ttl = stack.ttlExpiresAt && status === "ready" ? Date.parse(stack.ttlExpiresAt) - now : undefined;
  const ttlText = ttl === undefined || Number.isNaN(ttl) ? "—" : ttl <= 0 ? "expired" : duration(ttl);
  const cost = run?.costUsd ?? stack.costUsd;
  return (
    <Text wrap="truncate" inverse={selected}>
      {selected ? "›" : " "}
      {marked ? "+" : " "}
      {stack.name.slice(0, COLUMNS.name - 1).padEnd(COLUMNS.name)}
      <Text color={statusColor}>{status.padEnd(COLUMNS.status)}</Text>
      {(stack.preset ?? "—").slice(0, COLUMNS.preset - 1).padEnd(COLUMNS.preset)}
      {age.padEnd(COLUMNS.age)}
      {usd(cost).padEnd(COLUMNS.cost)}
      {ttlText}
    </Text>
  );
}
