// One field of the New experiment form, with the guards' findings on it underneath.
import { Box, Text } from "ink";
import type { PlanFinding } from "../../program/app/contract.js";
import { formatChoice, type Field } from "../state/fields.js";
import { useTheme } from "../theme.js";
import { FindingLine } from "./FindingLine.js";

export function FormField({
  field,
  value,
  more,
  focused,
  findings,
  note,
}: {
  field: Field;
  value: unknown;
  /** an axis's further values (a grid): shown after the first, `2,3` */
  more?: readonly unknown[] | undefined;
  focused: boolean;
  findings: PlanFinding[];
  note?: string | undefined;
}) {
  const theme = useTheme();
  const shown = [value, ...(more ?? [])].map((v) => formatChoice(field.key, v)).join(",");
  const mark = findings.some((f) => f.severity === "error") ? "✗" : findings.length > 0 ? "!" : " ";
  return (
    <Box flexDirection="column">
      <Text wrap="truncate">
        <Text color={focused ? theme.accent : undefined}>{focused ? "› " : "  "}</Text>
        <Text bold={focused}>{field.label.padEnd(17)}</Text>
        <Text inverse={focused}>
          {field.text ? `  ${shown}${focused ? "▏" : " "} ` : focused ? `‹ ${shown} ›` : `  ${shown}  `}
        </Text>
        <Text color={mark === "✗" ? theme.error : theme.warn}> {mark}</Text>
        {note ? <Text color={theme.dim}> {note}</Text> : null}
      </Text>
      {findings.map((f) => (
        <FindingLine key={`${f.severity} ${f.field} ${f.message}`} finding={f} />
      ))}
    </Box>
  );
}
