// An error as the user needs it: what went wrong, then the next step.
import { Box, Text } from "ink";
import type { ErrorView } from "../state/types.js";
import { useTheme } from "../theme.js";

export function ErrorBox({ problem, title = "error" }: { problem: ErrorView; title?: string }) {
  const theme = useTheme();
  const lines = problem.message.split("\n").slice(0, 4);
  const head = `✗ ${title}: `;
  return (
    <Box flexDirection="column">
      {lines.map((line, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: the lines of one message, fixed while it is shown
        <Text key={i} color={theme.error} wrap="truncate">
          {i === 0 ? head : "  "}
          {line}
        </Text>
      ))}
      {problem.nextStep ? <Text wrap="truncate"> next: {problem.nextStep}</Text> : null}
    </Box>
  );
}
