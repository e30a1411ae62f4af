// Home: every experiment, with keys to open, create, destroy, refresh and quit.
import { Box, Text } from "ink";
import type { State } from "../state/types.js";
import { useTheme } from "../theme.js";
import { ErrorBox } from "./ErrorBox.js";
import { COLUMNS, StackRow } from "./StackRow.js";
import { StatusIcon } from "./StatusIcon.js";

export function StacksScreen({ state, rows }: { state: State; rows: number }) {
  const theme = useTheme();
  const { items, phase, error, selected } = state.stacks;
  const visible = Math.max(3, rows);
  const first = Math.max(0, Math.min(selected - Math.floor(visible / 2), items.length - visible));
  const header = `  ${"experiment".padEnd(COLUMNS.name)}${"status".padEnd(COLUMNS.status)}${"preset".padEnd(COLUMNS.preset)}${"age".padEnd(COLUMNS.age)}${"cost".padEnd(COLUMNS.cost)}TTL left`;
  return (
    <Box flexDirection="column">
      <Text bold wrap="truncate">
        {header}
      </Text>
      {items.slice(first, first + visible).map((stack, i) => (
        <StackRow
          key={stack.name}
          stack={stack}
          run={state.runs[stack.name]}
          selected={first + i === selected}
          marked={state.marked.includes(stack.name)}
          now={state.now}
        />
      ))}
      {phase === "loading" ? (
        <Text>
          <StatusIcon status="running" now={state.now} />{" "}
          {state.backend === "loading" ? "starting…" : "loading experiments…"}
        </Text>
      ) : null}
      {phase === "ready" && items.length === 0 ? (
        <Text color={theme.dim}>No experiments yet. Press n to create one.</Text>
      ) : null}
      {phase === "failed" && error ? <ErrorBox problem={error} title="could not list experiments" /> : null}
      {items.length > visible ? <Text color={theme.dim}>{`${selected + 1}/${items.length}`}</Text> : null}
    </Box>
  );
}
