// Compare: the marked experiments side by side (the axes that differ, status, losses, throughput,
// cost) and their loss curves overlaid on one plot, aligned on step, one marker per experiment.
import { Box, Text } from "ink";
import type { CompareRow } from "../../program/app/contract.js";
import { markerOf, plotSeries } from "../../program/app/loss-plot.js";
import type { State } from "../state/types.js";
import { usd, useTheme } from "../theme.js";
import { ErrorBox } from "./ErrorBox.js";
import { StatusIcon } from "./StatusIcon.js";

const LABELS: Record<string, string> = { trainInstance: "instance", zero: "zero", nodes: "nodes", lr: "lr" };
const num = (n: number | undefined, digits: number) => (n === undefined ? "—" : n.toFixed(digits));

function cells(row: CompareRow, differing: string[], i: number): string[] {
  return [
    `${markerOf(i)} ${row.stack}`,
    ...differing.map((a) => row.axes[a] ?? "—"),
    row.status,
    num(row.finalLoss, 3),
    num(row.bestLoss, 3),
    num(row.evalLoss, 3),
    num(row.samplesPerSecond, 1),
    usd(row.costUsd),
  ];
}

export function CompareScreen({ state, rows, columns }: { state: State; rows: number; columns: number }) {
  const theme = useTheme();
  const c = state.compare;
  if (!c) return <Text color={theme.dim}>nothing to compare</Text>;
  if (c.phase === "loading" || !c.result)
    return c.phase === "failed" && c.error ? (
      <ErrorBox problem={c.error} title="could not compare" />
    ) : (
      <Text>
        <StatusIcon status="running" now={state.now} /> reading {c.stacks.length} experiment(s)…
      </Text>
    );
  const { differing, rows: items } = c.result;
  const table = [
    ["experiment", ...differing.map((a) => LABELS[a] ?? a), "status", "final", "best", "eval", "smp/s", "cost"],
    ...items.map((r, i) => cells(r, differing, i)),
  ];
  const widths = table[0]!.map((_, i) => Math.max(...table.map((row) => row[i]!.length)));
  const line = (row: string[]) =>
    row
      .map((cell, i) => cell.padEnd(widths[i]!))
      .join(" ")
      .trimEnd();
  const plotHeight = Math.max(4, rows - table.length - 2);
  return (
    <Box flexDirection="column">
      {table.map((row, i) => (
        <Text key={row[0]} bold={i === 0} wrap="truncate">
          {line(row)}
        </Text>
      ))}
      <Text color={theme.dim} wrap="truncate">
        training loss by step
      </Text>
      <Text>
        {plotSeries(
          items.map((r) => r.loss),
          { width: columns - 1, height: plotHeight },
        ).join("\n")}
      </Text>
    </Box>
  );
}
