// Regions zerostack can plan for (the commercial partition: China and GovCloud are other partitions,
// with other ARNs and endpoints), and the ECR account that publishes the Deep Learning Containers in
// each. The accounts are not typed here: they come from the SageMaker SDK's catalog (images.ts).
import { SERVING_IMAGES, TRAINING_IMAGES } from "./images.js";

export const REGIONS = [
  "us-east-1",
  "us-east-2",
  "us-west-1",
  "us-west-2",
  "ca-central-1",
  "sa-east-1",
  "eu-west-1",
  "eu-west-2",
  "eu-west-3",
  "eu-central-1",
  "eu-north-1",
  "ap-northeast-1",
  "ap-northeast-2",
  "ap-northeast-3",
  "ap-southeast-1",
  "ap-southeast-2",
  "ap-south-1",
  "af-south-1",
  "ap-east-1",
  "me-south-1",
  "eu-south-1",
  "il-central-1",
  "me-central-1",
  "ap-southeast-3",
  "eu-central-2",
  "eu-south-2",
  "ap-south-2",
  "ap-southeast-4",
  "ca-west-1",
] as const;

export type Region = (typeof REGIONS)[number];

/** Every ECR account any catalog image is published from in the region (some old HF images use a second one). */
export function ecrAccountsIn(region: string): string[] {
  const accounts = [...SERVING_IMAGES, ...TRAINING_IMAGES]
    .map((i) => i.registries[region])
    .filter((a): a is string => a !== undefined);
  return [...new Set(accounts)].sort();
}

/** The account of the newest LMI image in each region (the current DLCs there all share it). */
export const DLC_ACCOUNTS: Readonly<Record<Region, string>> = Object.fromEntries(
  REGIONS.map((region) => {
    const account = SERVING_IMAGES.find((i) => i.registries[region] !== undefined)?.registries[region];
    if (account === undefined) throw new Error(`sagemaker-catalog.json lists no LMI image in ${region}`);
    return [region, account];
  }),
) as Record<Region, string>;
