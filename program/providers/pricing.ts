// Live SageMaker list prices: the AWS Price List API (GetProducts, service code AmazonSageMaker)
// with the caller's real credentials, cached per region under ZEROSTACK_HOME/prices/<region>.json
// with the day they were fetched. Never in sandbox mode or against an emulator (the sandbox has no
// Price List API), never without credentials; on any failure the offline table in
// program/spec/prices.ts is used and the cost line says so ("offline table, 2025-01, estimated").
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { GetProductsCommand, PricingClient, type Filter } from "@aws-sdk/client-pricing";
import { zerostackHome } from "../env/paths.js";
import { parseSageMakerPriceList } from "../spec/price-list.js";
import { offlinePriceBook, type PriceBook } from "../spec/prices.js";

/** List prices change rarely; a week-old fetch is still today's price in practice. */
export const PRICE_CACHE_MAX_AGE_DAYS = 7;
// The Price List API answers only in a few regions; us-east-1 serves every region's prices.
const PRICING_API_REGION = "us-east-1";

export interface PriceCacheFile {
  region: string;
  fetchedAt: string;
  training: Record<string, number>;
  hosting: Record<string, number>;
}

/** The one call the loader makes, so tests can stand in for AWS. */
export type GetProducts = (input: {
  Filters: Filter[];
  NextToken?: string;
}) => Promise<{ PriceList?: string[]; NextToken?: string }>;

export interface PriceBookOptions {
  sandbox: boolean;
  env?: NodeJS.ProcessEnv;
  now?: Date;
  /** Only what is cached (or the offline table): for `plan`, which never touches AWS. */
  cacheOnly?: boolean;
  /** Defaults to a PricingClient call with the SDK's credential chain. */
  getProducts?: GetProducts;
}

export function priceCachePath(region: string, env: NodeJS.ProcessEnv = process.env): string {
  return join(zerostackHome(env), "prices", `${region}.json`);
}

const day = (d: Date) => d.toISOString().slice(0, 10);

function readCache(path: string, region: string, now: Date): PriceCacheFile | undefined {
  try {
    const cache = JSON.parse(readFileSync(path, "utf8")) as PriceCacheFile;
    const ageDays = (now.getTime() - Date.parse(cache.fetchedAt)) / 86_400_000;
    return cache.region === region && ageDays >= 0 && ageDays <= PRICE_CACHE_MAX_AGE_DAYS ? cache : undefined;
  } catch {
    return undefined;
  }
}

function bookOf(cache: PriceCacheFile): PriceBook {
  return {
    kind: "list-price",
    region: cache.region,
    asOf: cache.fetchedAt,
    training: cache.training,
    hosting: cache.hosting,
  };
}

function defaultGetProducts(): GetProducts {
  const client = new PricingClient({ region: PRICING_API_REGION, maxAttempts: 3 });
  return async (input) => {
    // resolve credentials first: without real ones the table is used and the reason says so
    await client.config.credentials();
    return client.send(
      new GetProductsCommand({ ServiceCode: "AmazonSageMaker", FormatVersion: "aws_v1", MaxResults: 100, ...input }),
    );
  };
}

async function fetchListPrices(region: string, getProducts: GetProducts): Promise<Omit<PriceCacheFile, "fetchedAt">> {
  const out = { region, training: {} as Record<string, number>, hosting: {} as Record<string, number> };
  for (const component of ["Training", "Hosting"]) {
    const Filters: Filter[] = [
      { Type: "TERM_MATCH", Field: "regionCode", Value: region },
      { Type: "TERM_MATCH", Field: "productFamily", Value: "ML Instance" },
      { Type: "TERM_MATCH", Field: "component", Value: component },
    ];
    let NextToken: string | undefined;
    do {
      const page = await getProducts(NextToken === undefined ? { Filters } : { Filters, NextToken });
      const parsed = parseSageMakerPriceList(page.PriceList ?? [], region);
      Object.assign(out.training, parsed.training);
      Object.assign(out.hosting, parsed.hosting);
      NextToken = page.NextToken;
    } while (NextToken);
  }
  return out;
}

/**
 * Prices for one region: the cached list prices if fresh, else fetched and cached, else the
 * offline table. Sandbox mode and an emulator endpoint always get the offline table.
 */
export async function loadPriceBook(region: string, options: PriceBookOptions): Promise<PriceBook> {
  const env = options.env ?? process.env;
  if (options.sandbox || env.AWS_ENDPOINT_URL) return offlinePriceBook(region);
  const now = options.now ?? new Date();
  const path = priceCachePath(region, env);
  const cached = readCache(path, region, now);
  if (cached) return bookOf(cached);
  if (options.cacheOnly) return offlinePriceBook(region);
  try {
    const fetched = await fetchListPrices(region, options.getProducts ?? defaultGetProducts());
    if (Object.keys(fetched.training).length === 0 && Object.keys(fetched.hosting).length === 0) {
      return offlinePriceBook(region, `the Price List API listed no SageMaker instance prices for ${region}`);
    }
    const cache: PriceCacheFile = { ...fetched, fetchedAt: day(now) };
    mkdirSync(join(path, ".."), { recursive: true });
    writeFileSync(`${path}.tmp`, `${JSON.stringify(cache, null, 1)}\n`);
    renameSync(`${path}.tmp`, path);
    return bookOf(cache);
  } catch (error) {
    const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    return offlinePriceBook(region, reason.split("\n")[0] ?? reason);
  }
}
