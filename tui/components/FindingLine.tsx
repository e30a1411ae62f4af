// A guard's finding, inline: errors block (✗), warnings explain (!).
import { Text } from "ink";
import type { PlanFinding } from "../../program/app/contract.js";
import { useTheme } from "../theme.js";

export function FindingLine({ finding, indent = 4 }: { finding: PlanFinding; indent?: number }) {
  const theme = useTheme();
  const error = finding.severity === "error";
  return (
    <Text wrap="truncate" color={error ? theme.error : theme.warn}>
      {" ".repeat(indent)}
      {error ? "✗ " : "! "}
      {finding.message}
      {finding.fix ? ` (${finding.fix})` : ""}
    </Text>
  );
}
