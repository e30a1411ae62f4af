// The cost estimate, live as the choices change: what it is expected to cost, its ceiling, where
// the prices came from, and the hourly rates behind it.
import { Box, Text } from "ink";
import type { CostSummary } from "../../program/app/contract.js";
import { usd, useTheme } from "../theme.js";

export function CostLine({ cost }: { cost: CostSummary | null }) {
  const theme = useTheme();
  if (!cost) return <Text color={theme.dim}>cost: — (fix the errors to see it)</Text>;
  const serving = cost.servingUsdPerHour === null ? "no endpoint" : `endpoint ${usd(cost.servingUsdPerHour)}/h`;
  return (
    <Box flexDirection="column">
      <Text wrap="truncate">
        <Text bold>cost ≈ {usd(cost.totalUsd)} expected</Text>
        <Text>, at most {usd(cost.maxTotalUsd)}</Text>
        <Text color={theme.dim}> · {cost.prices}</Text>
      </Text>
      <Text wrap="truncate" color={theme.dim}>
        {`  training ${usd(cost.trainingUsdPerHour)}/h · ${serving}${cost.spot ? " · spot: upper bound" : ""}`}
      </Text>
    </Box>
  );
}
