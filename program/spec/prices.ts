// The offline price table, used when list prices from the AWS Price List API are not available
// (sandbox mode, no credentials, no network: program/providers/pricing.ts fetches and caches those,
// price-list.ts parses them; the cost says which it used: `CostEstimate.prices.label`).
// On-demand prices, USD per instance-hour. Source: the AWS "Amazon SageMaker AI pricing" page,
// On-Demand tabs "Training" and "Real-Time Inference", region us-east-1, as of 2025-01. Rows
// marked `estimated` were not on the page when recorded and are EC2 on-demand x 1.4 (SageMaker's
// usual mark-up on GPU instances); check them with the AWS Price List API (service code
// AmazonSageMaker) before quoting them. Prices change; the plan always prints PRICES_AS_OF.
import type { ServingInstanceType, TrainingInstanceType } from "./instances.js";
import type { Region } from "./regions.js";

export const PRICES_AS_OF = "2025-01";
export const PRICE_SOURCE = "AWS SageMaker AI pricing page, us-east-1 on-demand";

export interface Price {
  usdPerHour: number;
  estimated: boolean;
}

const p = (usdPerHour: number, estimated = false): Price => ({ usdPerHour, estimated });

export const TRAINING_PRICES: Record<TrainingInstanceType, Price> = {
  "ml.p4d.24xlarge": p(37.688),
  "ml.p4de.24xlarge": p(47.11, true),
  "ml.p5.48xlarge": p(113.07),
  "ml.g5.xlarge": p(1.408),
  "ml.g5.2xlarge": p(1.515),
  "ml.g5.12xlarge": p(7.09),
  "ml.g5.48xlarge": p(20.36),
  "ml.g6.xlarge": p(1.13, true),
  "ml.g6.12xlarge": p(6.44, true),
  "ml.g6.48xlarge": p(18.69, true),
};

export const SERVING_PRICES: Record<ServingInstanceType, Price> = {
  "ml.g5.xlarge": p(1.408),
  "ml.g5.2xlarge": p(1.515),
  "ml.g5.4xlarge": p(2.03),
  "ml.g5.12xlarge": p(7.09),
  "ml.g5.24xlarge": p(10.18),
  "ml.g5.48xlarge": p(20.36),
  "ml.g6.xlarge": p(1.13, true),
  "ml.g6.2xlarge": p(1.37, true),
  "ml.g6.12xlarge": p(6.44, true),
  "ml.g6.48xlarge": p(18.69, true),
  "ml.g6e.xlarge": p(2.61, true),
  "ml.g6e.2xlarge": p(3.14, true),
  "ml.g6e.12xlarge": p(14.69, true),
  "ml.g6e.48xlarge": p(42.18, true),
  "ml.p4d.24xlarge": p(37.688),
  "ml.p5.48xlarge": p(113.07),
};

// Regional prices relative to us-east-1, read off the same page for ml.g5.12xlarge and
// ml.p4d.24xlarge where offered (as of 2025-01), rounded; regions not listed use
// DEFAULT_REGION_MULTIPLIER and the cost says the figure is estimated.
export const REGION_MULTIPLIERS: Partial<Record<Region, number>> = {
  "us-east-1": 1,
  "us-east-2": 1,
  "us-west-2": 1,
  "us-west-1": 1.17,
  "eu-west-1": 1.12,
  "eu-central-1": 1.22,
  "ap-northeast-1": 1.3,
  "ap-southeast-1": 1.25,
};
export const DEFAULT_REGION_MULTIPLIER = 1.3;

export function regionMultiplier(region: Region): { multiplier: number; estimated: boolean } {
  const known = REGION_MULTIPLIERS[region];
  return known === undefined
    ? { multiplier: DEFAULT_REGION_MULTIPLIER, estimated: true }
    : { multiplier: known, estimated: false };
}

/**
 * The prices one estimate uses: the Price List API's on-demand list prices for the region (fetched
 * and cached by program/providers/pricing.ts), or this file's table when those are not available
 * (sandbox, no credentials, no network). `label` is what a cost line prints.
 */
export interface PriceBook {
  kind: "list-price" | "offline-table";
  region: string;
  /** The day the list prices were fetched (YYYY-MM-DD), or the table's PRICES_AS_OF. */
  asOf: string;
  /** USD per instance-hour by instance type; absent types fall back to the table. */
  training: Readonly<Record<string, number>>;
  hosting: Readonly<Record<string, number>>;
  /** Why the table is used, when a fetch was wanted but failed (shown, never fatal). */
  fallbackReason?: string;
}

export function offlinePriceBook(region: string, fallbackReason?: string): PriceBook {
  return {
    kind: "offline-table",
    region,
    asOf: PRICES_AS_OF,
    training: {},
    hosting: {},
    ...(fallbackReason === undefined ? {} : { fallbackReason }),
  };
}

/** "list price, 2026-12-01" or "offline table, 2025-01, estimated". */
export function priceLabel(kind: PriceBook["kind"], asOf: string, estimated: boolean): string {
  return kind === "list-price" ? `list price, ${asOf}` : `offline table, ${asOf}${estimated ? ", estimated" : ""}`;
}
