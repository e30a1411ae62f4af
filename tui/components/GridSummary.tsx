// A grid's size, its axes and its total cost, and its bad cells named by cell and field.
import { Box, Text } from "ink";
import type { GridPlanResult } from "../../program/app/contract.js";
import { usd, useTheme } from "../theme.js";
import { FindingLine } from "./FindingLine.js";

export function GridSummary({ grid, maxProblems = 3 }: { grid: GridPlanResult; maxProblems?: number }) {
  const theme = useTheme();
  const axes = grid.axes.map((a) => `${a.label} ${a.values.join(",")}`).join(" × ");
  const prices = grid.cells.find((c) => c.plan.cost)?.plan.cost?.prices;
  return (
    <Box flexDirection="column">
      <Text wrap="truncate">
        <Text bold>
          grid {grid.name}: {grid.cells.length} experiment{grid.cells.length === 1 ? "" : "s"}
        </Text>
        <Text> ({axes})</Text>
      </Text>
      {grid.expectedUsd === null || grid.maxUsd === null ? (
        <Text color={theme.dim}>grid cost: — (fix the bad cells to see it)</Text>
      ) : (
        <Text wrap="truncate">
          <Text bold>grid cost ≈ {usd(grid.expectedUsd)} expected</Text>
          <Text>, at most {usd(grid.maxUsd)} in all</Text>
          {prices ? <Text color={theme.dim}> · {prices}</Text> : null}
        </Text>
      )}
      {grid.problems.slice(0, maxProblems).map((p) => (
        <FindingLine
          key={`${p.field} ${p.message}`}
          finding={{ ...p, message: `${p.field}: ${p.message}` }}
          indent={2}
        />
      ))}
      {grid.problems.length > maxProblems ? (
        <Text color={theme.dim}> … {grid.problems.length - maxProblems} more</Text>
      ) : null}
    </Box>
  );
}
