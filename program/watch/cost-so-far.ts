// Cost so far, from what SageMaker reports: billable training seconds (per instance, as
// DescribeTrainingJob gives them) and the time the endpoint has been in service.
import type { CostEstimate } from "../spec/index.js";

export interface Usage {
  trainingBillableSeconds: number;
  endpointSeconds: number;
}

export function costSoFar(estimate: CostEstimate, usage: Usage): number {
  const training =
    estimate.training.usdPerInstanceHour * estimate.training.instances * (usage.trainingBillableSeconds / 3600);
  const serving = estimate.serving ? estimate.serving.usdPerHour * (usage.endpointSeconds / 3600) : 0;
  return Math.round((training + serving) * 10000) / 10000;
}
