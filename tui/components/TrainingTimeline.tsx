// The training job's secondary statuses, each with how long it lasted (the last one: so far).
import { Box, Text } from "ink";
import type { RunState } from "../state/types.js";
import { duration, useTheme } from "../theme.js";

export function TrainingTimeline({ run, now, max }: { run: RunState; now: number; max: number }) {
  const theme = useTheme();
  const { timeline } = run;
  if (!run.job) return null;
  const first = Math.max(0, timeline.length - max);
  const last = timeline[timeline.length - 1];
  const ended = last && ["Completed", "Failed", "Stopped"].includes(last.status);
  return (
    <Box flexDirection="column">
      <Text wrap="truncate">
        <Text bold>training</Text> {run.job}
        <Text color={last?.status === "Failed" ? theme.error : last?.status === "Completed" ? theme.ok : theme.accent}>
          {" "}
          {last?.status ?? ""}
        </Text>
        {first > 0 ? <Text color={theme.dim}> ({first} earlier)</Text> : null}
      </Text>
      {timeline.slice(first).map((t, i) => {
        const next = timeline[first + i + 1];
        const until = next?.at ?? (ended ? t.at : (run.finishedAt ?? now));
        return (
          // biome-ignore lint/suspicious/noArrayIndexKey: the position in the timeline is the transition's identity (it only grows)
          <Text key={first + i} wrap="truncate" color={next ? theme.dim : undefined}>
            {"  "}
            {t.secondaryStatus.padEnd(24)} {duration(until - t.at).padStart(7)}
          </Text>
        );
      })}
      {run.failureReason ? (
        <Text color={theme.error} wrap="truncate">
          {" "}
          ✗ FailureReason: {run.failureReason}
        </Text>
      ) : null}
    </Box>
  );
}
