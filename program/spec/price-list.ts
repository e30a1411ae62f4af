// The AWS Price List API's answer for SageMaker, parsed: on-demand USD per instance-hour for
// training jobs and real-time endpoints in one region. Pure; program/providers/pricing.ts does the
// GetProducts calls and the caching.
//
// GetProducts (service code AmazonSageMaker, FormatVersion aws_v1) returns `PriceList`, one JSON
// document per product: `product.productFamily` ("ML Instance" for instance-hours),
// `product.attributes` (`regionCode`, `instanceName` such as ml.p4d.24xlarge, `component` such as
// "Training" or "Hosting", `usagetype` such as USE1-Train:ml.p4d.24xlarge or USE1-Host:ml.g5.xlarge)
// and `terms.OnDemand.<sku.offerTermCode>.priceDimensions.<rateCode>` with `unit` "Hrs" and
// `pricePerUnit.USD`. Other components (Notebook, Processing, Batch Transform, ...) and other
// families (storage, data transfer) are skipped.

export interface ListPrices {
  region: string;
  /** USD per instance-hour of a training job, by instance type. */
  training: Record<string, number>;
  /** USD per instance-hour of a real-time endpoint, by instance type. */
  hosting: Record<string, number>;
  /** Documents read that were not a Training or Hosting instance-hour in the region. */
  skipped: number;
}

interface PriceDocument {
  product?: { productFamily?: string; attributes?: Record<string, string> };
  terms?: {
    OnDemand?: Record<
      string,
      { priceDimensions?: Record<string, { unit?: string; pricePerUnit?: Record<string, string> }> }
    >;
  };
}

const USAGE = /-(Train|Host):(ml\.[a-z0-9-]+\.[a-z0-9]+)$/;

/** The hourly USD on-demand price of one product, or undefined when it has none (or several that disagree). */
function hourlyUsd(doc: PriceDocument): number | undefined {
  const prices = Object.values(doc.terms?.OnDemand ?? {})
    .flatMap((term) => Object.values(term.priceDimensions ?? {}))
    .filter((d) => d.unit === "Hrs" && d.pricePerUnit?.USD !== undefined)
    .map((d) => Number(d.pricePerUnit?.USD));
  const distinct = [...new Set(prices.filter((p) => Number.isFinite(p) && p > 0))];
  return distinct.length === 1 ? distinct[0] : undefined;
}

export function parseSageMakerPriceList(priceList: ReadonlyArray<string | object>, region: string): ListPrices {
  const out: ListPrices = { region, training: {}, hosting: {}, skipped: 0 };
  for (const entry of priceList) {
    const doc = (typeof entry === "string" ? JSON.parse(entry) : entry) as PriceDocument;
    const attrs = doc.product?.attributes ?? {};
    const usage = USAGE.exec(attrs.usagetype ?? "");
    const kind = usage?.[1] === "Train" ? "training" : usage?.[1] === "Host" ? "hosting" : undefined;
    const component = kind === "training" ? "Training" : "Hosting";
    const instance = attrs.instanceName ?? usage?.[2];
    const usd = hourlyUsd(doc);
    if (
      kind === undefined ||
      doc.product?.productFamily !== "ML Instance" ||
      attrs.regionCode !== region ||
      (attrs.component !== undefined && attrs.component !== component) ||
      instance === undefined ||
      instance !== usage?.[2] ||
      usd === undefined
    ) {
      out.skipped++;
      continue;
    }
    out[kind][instance] = usd;
  }
  return out;
}
