// The endpoint's status, and why it failed when it did.
import { Box, Text } from "ink";
import type { RunState } from "../state/types.js";
import { useTheme } from "../theme.js";

export function EndpointLine({ endpoint }: { endpoint: RunState["endpoint"] }) {
  const theme = useTheme();
  if (!endpoint) return null;
  const color = endpoint.status === "InService" ? theme.ok : endpoint.status === "Failed" ? theme.error : theme.accent;
  return (
    <Box flexDirection="column">
      <Text wrap="truncate">
        <Text bold>endpoint</Text> {endpoint.name} <Text color={color}>{endpoint.status}</Text>
      </Text>
      {endpoint.failureReason ? (
        <Text color={theme.error} wrap="truncate">
          {" "}
          ✗ FailureReason: {endpoint.failureReason}
        </Text>
      ) : null}
    </Box>
  );
}
