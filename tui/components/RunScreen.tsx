// Watching one experiment: resources, training timeline, endpoint, live loss, host logs.
// The live area is kept shorter than the terminal (ink#359); log lines go to <Static>.
import { Box, Text } from "ink";
import type { State } from "../state/types.js";
import { useTheme } from "../theme.js";
import { EndpointLine } from "./EndpointLine.js";
import { HostTabs } from "./HostTabs.js";
import { LogFeed } from "./LogFeed.js";
import { LossChart } from "./LossChart.js";
import { ErrorBox } from "./ErrorBox.js";
import { ResourceList } from "./ResourceList.js";
import { RunSummary } from "./RunSummary.js";
import { TrainingTimeline } from "./TrainingTimeline.js";

export function RunScreen({ state, rows, columns }: { state: State; rows: number; columns: number }) {
  const theme = useTheme();
  const run = state.current ? state.runs[state.current] : undefined;
  if (!run) return <Text color={theme.dim}>nothing to show</Text>;
  const roomy = rows >= 30;
  const chartHeight = roomy ? 8 : 5;
  const timelineMax = roomy ? 6 : 3;
  const fixed =
    1 +
    1 +
    (run.job ? 1 + timelineMax : 0) +
    (run.endpoint ? 1 : 0) +
    (run.loss.length > 1 ? chartHeight : 0) +
    (run.error ? 3 : 0);
  const resourcesMax = Math.max(2, rows - fixed - 2);
  return (
    <Box flexDirection="column">
      <LogFeed feed={run.feed} width={columns - 12} />
      <RunSummary run={run} now={state.now} />
      <ResourceList resources={run.resources} now={state.now} max={resourcesMax} />
      <TrainingTimeline run={run} now={state.now} max={timelineMax} />
      <EndpointLine endpoint={run.endpoint} />
      <LossChart loss={run.loss} points={run.lossPoints} stride={run.lossStride} width={columns} height={chartHeight} />
      {run.diagnostics.slice(-1).map((d) => (
        <Text key={d} wrap="truncate" color={d.startsWith("error") ? theme.error : theme.warn}>
          {d}
        </Text>
      ))}
      {run.error ? <ErrorBox problem={run.error} title={`${run.action} failed`} /> : null}
      <HostTabs run={run} />
    </Box>
  );
}
