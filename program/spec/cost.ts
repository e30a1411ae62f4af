// What an experiment costs before it runs: numbers only; format.ts turns them into text.
import {
  offlinePriceBook,
  priceLabel,
  regionMultiplier,
  PRICES_AS_OF,
  PRICE_SOURCE,
  SERVING_PRICES,
  TRAINING_PRICES,
  type PriceBook,
} from "./prices.js";
import type { ExperimentSpec } from "./schema.js";
import { expectedTraining } from "./throughput.js";

export interface TrainingCost {
  instanceType: string;
  instances: number;
  usdPerInstanceHour: number;
  /** Hours used for `usd`: the caller's estimate, else the expected time (throughput.ts), else the max runtime. */
  hours: number;
  /** Where `hours` comes from: "--train-hours", the measured throughput it was scaled from, or "max runtime". */
  hoursBasis: string;
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
  /** training.usd + serving.usd: the expected figure ("≈ $X expected"). */
  totalUsd: number;
  /** training.maxUsd + serving.usd: the most this experiment can bill on demand. */
  maxTotalUsd: number;
  /** Some price or region figure is an estimate (see prices.ts). */
  estimated: boolean;
  /** Managed spot bills less than on demand; these figures are then an upper bound. */
  spot: boolean;
  pricesAsOf: string;
  priceSource: string;
  /** Where the prices came from: the Price List API (dated) or the offline table. */
  prices: {
    kind: PriceBook["kind"];
    asOf: string;
    /** "list price, 2026-12-01" or "offline table, 2025-01, estimated": what a cost line prints. */
    label: string;
    /** Why the table was used although list prices were wanted. */
    fallbackReason?: string;
  };
}

const round2 = (x: number) => Math.round(x * 100) / 100;

export interface CostOptions {
  trainingHours?: number;
  /** List prices for the spec's region (program/providers/pricing.ts); the offline table otherwise. */
  prices?: PriceBook;
}

interface Rate {
  usdPerHour: number;
  estimated: boolean;
  listed: boolean;
}

/** A listed price as it is; else the table's us-east-1 price times the region's multiplier. */
function rate(
  listed: number | undefined,
  table: { usdPerHour: number; estimated: boolean },
  region: { multiplier: number; estimated: boolean },
): Rate {
  return listed !== undefined
    ? { usdPerHour: listed, estimated: false, listed: true }
    : {
        usdPerHour: table.usdPerHour * region.multiplier,
        estimated: table.estimated || region.estimated,
        listed: false,
      };
}

export function estimateCost(spec: ExperimentSpec, options: CostOptions = {}): CostEstimate {
  const region = regionMultiplier(spec.region);
  const book = options.prices?.region === spec.region ? options.prices : offlinePriceBook(spec.region);
  const trainPrice = rate(
    book.training[spec.training.instanceType],
    TRAINING_PRICES[spec.training.instanceType],
    region,
  );
  const perTrainHour = trainPrice.usdPerHour;
  const maxHours = spec.training.maxRuntimeSeconds / 3600;
  const expected = options.trainingHours === undefined ? expectedTraining(spec) : undefined;
  const hours = Math.min(options.trainingHours ?? expected?.hours ?? maxHours, maxHours);
  const hoursBasis =
    options.trainingHours !== undefined
      ? "--train-hours"
      : expected === undefined
        ? "max runtime"
        : `${expected.samples} samples at ${expected.samplesPerSecPerGpu.toFixed(2)} samples/s per GPU x ${expected.gpus} GPUs: ${expected.basis}${expected.hours > maxHours ? "; longer than the max runtime, which stops it" : ""}`;
  const nodes = spec.training.nodes;
  const training: TrainingCost = {
    instanceType: spec.training.instanceType,
    instances: nodes,
    usdPerInstanceHour: round2(perTrainHour),
    hours,
    hoursBasis,
    usd: round2(nodes * perTrainHour * hours),
    maxHours,
    maxUsd: round2(nodes * perTrainHour * maxHours),
  };
  let serving: ServingCost | null = null;
  let estimated = trainPrice.estimated;
  let allListed = trainPrice.listed;
  if (spec.serving.enabled) {
    const servePrice = rate(book.hosting[spec.serving.instanceType], SERVING_PRICES[spec.serving.instanceType], region);
    estimated ||= servePrice.estimated;
    allListed &&= servePrice.listed;
    const perServeHour = servePrice.usdPerHour;
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
    regionMultiplier: allListed ? 1 : region.multiplier,
    training,
    serving,
    totalUsd: round2(training.usd + servingUsd),
    maxTotalUsd: round2(training.maxUsd + servingUsd),
    estimated,
    spot: spec.training.spot,
    pricesAsOf: allListed ? book.asOf : PRICES_AS_OF,
    priceSource: allListed ? `AWS Price List API (AmazonSageMaker), ${spec.region} on-demand` : PRICE_SOURCE,
    prices: {
      kind: allListed ? "list-price" : "offline-table",
      asOf: allListed ? book.asOf : PRICES_AS_OF,
      label: allListed
        ? priceLabel("list-price", book.asOf, false)
        : priceLabel("offline-table", PRICES_AS_OF, estimated),
      ...(book.fallbackReason === undefined ? {} : { fallbackReason: book.fallbackReason }),
    },
  };
}
