// The training loss, growing live; resampled to the width so any number of points fits.
import asciichart from "asciichart";
import { Box, Text } from "ink";
import { useTheme } from "../theme.js";

/** Bucket means: at most `width` points, whatever the length of the series. */
export function resample(series: readonly number[], width: number): number[] {
  if (series.length <= width) return [...series];
  const out: number[] = [];
  for (let i = 0; i < width; i++) {
    const from = Math.floor((i * series.length) / width);
    const to = Math.max(from + 1, Math.floor(((i + 1) * series.length) / width));
    let sum = 0;
    for (let j = from; j < to; j++) sum += series[j] ?? 0;
    out.push(sum / (to - from));
  }
  return out;
}

export function LossChart({
  loss,
  points,
  stride,
  width,
  height,
}: {
  loss: readonly number[];
  points: number;
  stride: number;
  width: number;
  height: number;
}) {
  const theme = useTheme();
  if (loss.length < 2) return null;
  const label = 9;
  const series = resample(loss, Math.max(10, width - label - 2));
  const chart = asciichart.plot(series, {
    height: Math.max(2, height - 1),
    format: (x: number) => x.toFixed(3).padStart(label - 1),
    ...(theme.chart ? { colors: [theme.chart] } : {}),
  });
  const last = loss[loss.length - 1] ?? 0;
  return (
    <Box flexDirection="column">
      <Text wrap="truncate">
        <Text bold>loss</Text> {last.toFixed(4)}
        <Text color={theme.dim}>
          {" "}
          · {points} points{stride > 1 ? ` (1 in ${stride} kept)` : ""}
        </Text>
      </Text>
      <Text>{chart}</Text>
    </Box>
  );
}
