// Ask the endpoint: a prompt, max_new_tokens and temperature; the answer and its latency.
import { Box, Text } from "ink";
import type { State } from "../state/types.js";
import { useTheme } from "../theme.js";
import { ErrorBox } from "./ErrorBox.js";
import { StatusIcon } from "./StatusIcon.js";

export function InvokeScreen({ state }: { state: State }) {
  const theme = useTheme();
  const invoke = state.invoke;
  if (!invoke) return <Text color={theme.dim}>no experiment chosen</Text>;
  const focus = (i: number) => (invoke.focus === i ? theme.accent : undefined);
  const mark = (i: number) => (invoke.focus === i ? "› " : "  ");
  return (
    <Box flexDirection="column">
      <Text bold color={focus(0)}>
        {mark(0)}prompt
      </Text>
      <Box borderStyle="round" paddingX={1}>
        <Text wrap="wrap">
          {invoke.prompt}
          {invoke.focus === 0 ? "▏" : ""}
        </Text>
      </Box>
      <Text color={focus(1)}>
        {mark(1)}max_new_tokens <Text inverse={invoke.focus === 1}>{` ${invoke.params.maxNewTokens} `}</Text>
      </Text>
      <Text color={focus(2)}>
        {mark(2)}temperature <Text inverse={invoke.focus === 2}>{` ${invoke.params.temperature.toFixed(1)} `}</Text>
      </Text>
      {invoke.phase === "running" ? (
        <Text>
          <StatusIcon status="running" now={state.now} /> asking {invoke.stack}…
        </Text>
      ) : null}
      {invoke.phase === "done" && invoke.answer !== undefined ? (
        <Box flexDirection="column">
          <Text bold>
            answer <Text color={theme.dim}>in {invoke.latencyMs} ms</Text>
          </Text>
          <Text wrap="wrap">{invoke.answer}</Text>
        </Box>
      ) : null}
      {invoke.phase === "failed" && invoke.error ? <ErrorBox problem={invoke.error} title="invoke failed" /> : null}
    </Box>
  );
}
