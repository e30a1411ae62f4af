// What an experiment costs before it runs: numbers only; format.ts turns them into text.
import { regionMultiplier, PRICES_AS_OF, PRICE_SOURCE, SERVING_PRICES, TRAINING_PRICES } from "./prices.js";
import type { ExperimentSpec } from "./schema.js";

export interface TrainingCost {
  instanceType: string;
  instances: number;
  usdPerInstanceHour: number;
  /** Hours used for `usd`: the caller's estimate, else the max runtime. */
  hours: number;
  usd: number;
  /** If the job runs until MaxRuntimeInSeconds stops it. */
  maxHours: number;
  maxUsd: number;
}

export interface ServingCost {
  instanceType: string;
  instances: number;
  usdPerInstanceHour: number;
  usdPerHour: number;
  /** The endpoint is deleted by its TTL schedule at the latest; 0 with `untilDestroyed`. */
  ttlHours: number;
  /** Cost until the TTL; 0 when there is none (then only usdPerHour bounds it). */
  usd: number;
  /** No TTL: the endpoint bills until someone destroys it. */
  untilDestroyed: boolean;
}

export interface CostEstimate {
  currency: "USD";
  region: string;
  regionMultiplier: number;
  training: TrainingCost;
  serving: ServingCost | null;
  /** training.usd + serving.usd */
  totalUsd: number;
  /** training.maxUsd + serving.usd: the most this experiment can bill on demand. */
  maxTotalUsd: number;
  /** Some price or region figure is an estimate (see prices.ts). */
  estimated: boolean;
  /** Managed spot bills less than on demand; these figures are then an upper bound. */
  spot: boolean;
  pricesAsOf: string;
  priceSource: string;
}

const round2 = (x: number) => Math.round(x * 100) / 100;

export function estimateCost(spec: ExperimentSpec, options: { trainingHours?: number } = {}): CostEstimate {
  const region = regionMultiplier(spec.region);
  const trainPrice = TRAINING_PRICES[spec.training.instanceType];
  const perTrainHour = trainPrice.usdPerHour * region.multiplier;
  const maxHours = spec.training.maxRuntimeSeconds / 3600;
  const hours = Math.min(options.trainingHours ?? maxHours, maxHours);
  const nodes = spec.training.nodes;
  const training: TrainingCost = {
    instanceType: spec.training.instanceType,
    instances: nodes,
    usdPerInstanceHour: round2(perTrainHour),
    hours,
    usd: round2(nodes * perTrainHour * hours),
    maxHours,
    maxUsd: round2(nodes * perTrainHour * maxHours),
  };
  let serving: ServingCost | null = null;
  let estimated = trainPrice.estimated || region.estimated;
  if (spec.serving.enabled) {
    const servePrice = SERVING_PRICES[spec.serving.instanceType];
    estimated ||= servePrice.estimated;
    const perServeHour = servePrice.usdPerHour * region.multiplier;
    const ttlHours = spec.serving.ttlSeconds / 3600;
    const usdPerHour = perServeHour * spec.serving.instanceCount;
    serving = {
      instanceType: spec.serving.instanceType,
      instances: spec.serving.instanceCount,
      usdPerInstanceHour: round2(perServeHour),
      usdPerHour: round2(usdPerHour),
      ttlHours,
      usd: round2(usdPerHour * ttlHours),
      untilDestroyed: ttlHours === 0,
    };
  }
  const servingUsd = serving?.usd ?? 0;
  return {
    currency: "USD",
    region: spec.region,
    regionMultiplier: region.multiplier,
    training,
    serving,
    totalUsd: round2(training.usd + servingUsd),
    maxTotalUsd: round2(training.maxUsd + servingUsd),
    estimated,
    spot: spec.training.spot,
    pricesAsOf: PRICES_AS_OF,
    priceSource: PRICE_SOURCE,
  };
}
