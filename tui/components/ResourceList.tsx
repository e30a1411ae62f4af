// The stack's resources with their operation and status; the live area keeps it short.
import { Box, Text } from "ink";
import type { ResourceRow } from "../state/types.js";
import { useTheme } from "../theme.js";
import { StatusIcon } from "./StatusIcon.js";

const shortType = (t: string) => t.split(":").pop()?.replace(/^.*\//, "") ?? t;

export function ResourceList({ resources, now, max }: { resources: ResourceRow[]; now: number; max: number }) {
  const theme = useTheme();
  // the stack itself says nothing a user needs; "same" rows only when nothing else happens
  const rows = resources.filter((r) => r.resourceType !== "pulumi:pulumi:Stack");
  const changing = rows.filter((r) => r.op !== "same" || r.status === "failed");
  const shown = (changing.length > 0 ? changing : rows).slice(-max);
  const hidden = rows.length - shown.length;
  if (rows.length === 0) return <Text color={theme.dim}>no resource events yet</Text>;
  return (
    <Box flexDirection="column">
      {shown.map((r) => (
        <Text key={r.urn} wrap="truncate">
          <StatusIcon status={r.status} now={now} />{" "}
          <Text color={r.op === "delete" ? theme.warn : undefined}>{r.op.padEnd(8)}</Text>
          {shortType(r.resourceType).padEnd(16)} {r.name}
          {r.message ? <Text color={r.status === "failed" ? theme.error : theme.dim}> {r.message}</Text> : null}
        </Text>
      ))}
      {hidden > 0 ? <Text color={theme.dim}> … {hidden} more unchanged or earlier</Text> : null}
    </Box>
  );
}
