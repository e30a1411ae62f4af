// The estimate event: what an experiment is expected to cost before it runs, its ceiling, and
// where the prices came from. The CLI prints it before asking; the TUI's run shows it beside the
// cost so far.
import type { ProgressEvent } from "../events.js";
import type { Plan } from "../spec/index.js";

export function estimateOf(plan: Plan): Extract<ProgressEvent, { type: "estimate" }> {
  return {
    type: "estimate",
    stack: plan.names.stack,
    expectedUsd: plan.cost.totalUsd,
    maxUsd: plan.cost.maxTotalUsd,
    prices: plan.cost.prices.label,
  };
}
