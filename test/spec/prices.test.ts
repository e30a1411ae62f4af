// List prices: the GetProducts parser on a real-shaped Price List document, the cost's source and
// label, and the loader's cache and fallbacks (with a stand-in for the Pricing API).
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadPriceBook, priceCachePath, type GetProducts } from "../../program/providers/pricing.js";
import { formatCost } from "../../program/spec/format.js";
import { estimateCost, offlinePriceBook, parseSageMakerPriceList, type PriceBook } from "../../program/spec/index.js";
import { PRICES_AS_OF } from "../../program/spec/prices.js";
import { specWith } from "./helpers.js";

const fixture = JSON.parse(
  readFileSync(join(import.meta.dirname, "fixtures", "sagemaker-getproducts.json"), "utf8"),
) as { PriceList: string[] };

describe("parseSageMakerPriceList", () => {
  it("reads on-demand training and hosting instance-hours of the region, skipping everything else", () => {
    const prices = parseSageMakerPriceList(fixture.PriceList, "us-east-1");
    expect(prices.training).toEqual({ "ml.p4d.24xlarge": 37.688, "ml.g5.2xlarge": 1.515 });
    expect(prices.hosting).toEqual({ "ml.g5.48xlarge": 20.36, "ml.g5.xlarge": 1.408, "ml.p4d.24xlarge": 37.688 });
    // notebook, processing, storage, another region, a zero price
    expect(prices.skipped).toBe(5);
  });

  it("takes documents already parsed as well as the API's strings", () => {
    const parsed = fixture.PriceList.map((d) => JSON.parse(d) as object);
    expect(parseSageMakerPriceList(parsed, "eu-west-1").training).toEqual({ "ml.p4d.24xlarge": 41.16 });
  });
});

const listBook: PriceBook = {
  kind: "list-price",
  region: "us-east-1",
  asOf: "2026-12-01",
  training: { "ml.p4d.24xlarge": 40 },
  hosting: { "ml.g5.48xlarge": 21 },
};

describe("the cost says where its prices came from", () => {
  it("list prices: the figures and the label 'list price, <date>'", () => {
    const cost = estimateCost(specWith(), { trainingHours: 1, prices: listBook });
    expect(cost.training.usdPerInstanceHour).toBe(40);
    expect(cost.serving?.usdPerInstanceHour).toBe(21);
    expect(cost.prices).toMatchObject({ kind: "list-price", asOf: "2026-12-01", label: "list price, 2026-12-01" });
    expect(formatCost(cost)).toContain("prices: list price, 2026-12-01");
  });

  it("no list prices: the offline table, its date and 'estimated' where a figure is", () => {
    expect(estimateCost(specWith()).prices).toMatchObject({
      kind: "offline-table",
      asOf: PRICES_AS_OF,
      label: `offline table, ${PRICES_AS_OF}`,
    });
    const g6 = estimateCost(specWith((s) => (s.serving.instanceType = "ml.g6e.48xlarge")));
    expect(g6.prices.label).toBe(`offline table, ${PRICES_AS_OF}, estimated`);
  });

  it("a type the list lacks, or another region's book, falls back to the table", () => {
    const partial = estimateCost(
      specWith((s) => (s.serving.instanceType = "ml.g5.12xlarge")),
      { prices: listBook },
    );
    expect(partial.prices.kind).toBe("offline-table");
    expect(
      estimateCost(
        specWith((s) => (s.region = "eu-west-1")),
        { prices: listBook },
      ).prices.kind,
    ).toBe("offline-table");
    const failed = estimateCost(specWith(), {
      prices: offlinePriceBook("us-east-1", "CredentialsProviderError: Could not load credentials"),
    });
    expect(formatCost(failed)).toContain("list prices unavailable: CredentialsProviderError");
  });
});

describe("loadPriceBook", () => {
  const home = () => ({ ZEROSTACK_HOME: mkdtempSync(join(tmpdir(), "zs-prices-")) });
  const pages: GetProducts = async (input) => {
    const component = input.Filters.find((f) => f.Field === "component")?.Value;
    const docs = fixture.PriceList.filter((d) => d.includes(`"component": "${component}"`));
    return input.NextToken === undefined
      ? { PriceList: docs.slice(0, 1), NextToken: "page-2" }
      : { PriceList: docs.slice(1) };
  };

  it("fetches every page, caches them per region with the date, and reads the cache next time", async () => {
    const env = home();
    let calls = 0;
    const counting: GetProducts = (input) => {
      calls++;
      return pages(input);
    };
    const book = await loadPriceBook("us-east-1", {
      sandbox: false,
      env,
      now: new Date("2026-12-01T10:00:00Z"),
      getProducts: counting,
    });
    expect(book).toMatchObject({
      kind: "list-price",
      asOf: "2026-12-01",
      training: { "ml.p4d.24xlarge": 37.688, "ml.g5.2xlarge": 1.515 },
    });
    expect(calls).toBe(4);
    expect(JSON.parse(readFileSync(priceCachePath("us-east-1", env), "utf8"))).toMatchObject({
      region: "us-east-1",
      fetchedAt: "2026-12-01",
    });
    const again = await loadPriceBook("us-east-1", {
      sandbox: false,
      env,
      now: new Date("2026-12-05T10:00:00Z"),
      getProducts: counting,
    });
    expect(again.asOf).toBe("2026-12-01");
    expect(calls).toBe(4);
  });

  it("a stale cache is fetched again", async () => {
    const env = home();
    await loadPriceBook("us-east-1", {
      sandbox: false,
      env,
      now: new Date("2026-11-01T00:00:00Z"),
      getProducts: pages,
    });
    const fresh = await loadPriceBook("us-east-1", {
      sandbox: false,
      env,
      now: new Date("2026-12-01T00:00:00Z"),
      getProducts: pages,
    });
    expect(fresh.asOf).toBe("2026-12-01");
  });

  it("never calls AWS in sandbox mode or against an emulator", async () => {
    const refuse: GetProducts = () => Promise.reject(new Error("must not be called"));
    expect((await loadPriceBook("us-east-1", { sandbox: true, env: home(), getProducts: refuse })).kind).toBe(
      "offline-table",
    );
    expect(
      (
        await loadPriceBook("us-east-1", {
          sandbox: false,
          env: { ...home(), AWS_ENDPOINT_URL: "http://127.0.0.1:1" },
          getProducts: refuse,
        })
      ).fallbackReason,
    ).toBeUndefined();
  });

  it("no credentials or a failed call: the offline table, with the reason", async () => {
    const env = home();
    const noCredentials: GetProducts = () =>
      Promise.reject(
        Object.assign(new Error("Could not load credentials from any providers"), { name: "CredentialsProviderError" }),
      );
    const book = await loadPriceBook("us-east-1", { sandbox: false, env, getProducts: noCredentials });
    expect(book).toMatchObject({
      kind: "offline-table",
      fallbackReason: "CredentialsProviderError: Could not load credentials from any providers",
    });
    // a corrupt cache is ignored, not fatal
    mkdirSync(join(env.ZEROSTACK_HOME, "prices"), { recursive: true });
    writeFileSync(priceCachePath("eu-west-1", env), "{not json", { flag: "w" });
    expect((await loadPriceBook("eu-west-1", { sandbox: false, env, getProducts: noCredentials })).kind).toBe(
      "offline-table",
    );
  });
});
