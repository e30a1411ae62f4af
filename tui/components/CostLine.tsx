// The cost estimate, live as the choices change.
import { Text } from "ink";
import type { CostSummary } from "../../program/app/contract.js";
import { usd, useTheme } from "../theme.js";

export function CostLine({ cost }: { cost: CostSummary | null }) {
  const theme = useTheme();
  if (!cost) return <Text color={theme.dim}>cost: — (fix the errors to see it)</Text>;
  const serving = cost.servingUsdPerHour === null ? "no endpoint" : `endpoint ${usd(cost.servingUsdPerHour)}/h`;
  return (
    <Text wrap="truncate">
      <Text bold>cost ≈ {usd(cost.totalUsd)}</Text>
      <Text color={theme.dim}>
        {` (at most ${usd(cost.maxTotalUsd)}; ${cost.prices}) · training ${usd(cost.trainingUsdPerHour)}/h · ${serving}`}
        {cost.spot ? " · spot: upper bound" : ""}
      </Text>
    </Text>
  );
}
