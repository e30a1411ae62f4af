// Which host's log is shown; ←/→ switch.
import { Text } from "ink";
import type { RunState } from "../state/types.js";
import { useTheme } from "../theme.js";

export function HostTabs({ run }: { run: RunState }) {
  const theme = useTheme();
  if (run.hosts.length === 0) return <Text color={theme.dim}>logs: none yet</Text>;
  const lines = (host: string) => run.logs[host]?.length ?? 0;
  return (
    <Text wrap="truncate">
      <Text bold>logs </Text>
      {run.hosts.map((host, i) => (
        <Text key={host} inverse={i === run.selectedHost} color={i === run.selectedHost ? theme.accent : undefined}>
          {` ${host} (${lines(host)}) `}
        </Text>
      ))}
      {run.hosts.length > 1 ? <Text color={theme.dim}> ←→ switch host</Text> : null}
    </Text>
  );
}
