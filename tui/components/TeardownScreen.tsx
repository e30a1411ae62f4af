// Destroy: confirm, then the progress of each stack until it is gone and removed.
import { Box, Text } from "ink";
import type { State } from "../state/types.js";
import { useTheme } from "../theme.js";
import { ErrorBox } from "./ErrorBox.js";
import { ResourceList } from "./ResourceList.js";
import { StatusIcon } from "./StatusIcon.js";

export function TeardownScreen({ state, rows }: { state: State; rows: number }) {
  const theme = useTheme();
  const t = state.teardown;
  if (!t) return <Text color={theme.dim}>nothing to tear down</Text>;
  const current = t.stacks.find((s) => !t.removed.includes(s));
  const run = current ? state.runs[current] : undefined;
  return (
    <Box flexDirection="column">
      {t.stacks.map((stack) => {
        const gone = t.removed.includes(stack);
        const status = gone
          ? "done"
          : t.phase === "failed" && stack === current
            ? "failed"
            : t.phase === "running" && stack === current
              ? "running"
              : "pending";
        return (
          <Text key={stack} wrap="truncate">
            <StatusIcon status={status} now={state.now} /> {stack}
            <Text color={theme.dim}>{gone ? " destroyed and removed" : ""}</Text>
          </Text>
        );
      })}
      {t.phase === "running" && run?.action === "destroy" ? (
        <ResourceList resources={run.resources} now={state.now} max={Math.max(3, rows - t.stacks.length - 4)} />
      ) : null}
      {t.phase === "confirm" ? (
        <Text bold color={theme.warn}>
          Destroy {t.stacks.length === 1 ? "this experiment" : `these ${t.stacks.length} experiments`} (every resource,
          then the stack)? y to confirm, esc to cancel
        </Text>
      ) : null}
      {t.phase === "done" ? <Text color={theme.ok}>All gone. esc to go back.</Text> : null}
      {t.phase === "failed" && t.error ? <ErrorBox problem={t.error} title="destroy failed" /> : null}
    </Box>
  );
}
