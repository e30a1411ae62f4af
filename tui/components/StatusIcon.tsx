// ✓ done, ✗ failed, a spinner (from the shared clock) while running, · pending.
import { Text } from "ink";
import { spinnerFrame, useTheme } from "../theme.js";

export function StatusIcon({ status, now }: { status: "pending" | "running" | "done" | "failed"; now: number }) {
  const theme = useTheme();
  if (status === "done") return <Text color={theme.ok}>✓</Text>;
  if (status === "failed") return <Text color={theme.error}>✗</Text>;
  if (status === "running") return <Text color={theme.accent}>{spinnerFrame(now)}</Text>;
  return <Text color={theme.dim}>·</Text>;
}
