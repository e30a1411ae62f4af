// Regions zerostack can plan for, and the ECR account that publishes the AWS Deep Learning
// Containers there. Source: aws/deep-learning-containers available_images.md ("Region" table),
// as of 2025-06. China and GovCloud are left out: other partitions, other ARNs and endpoints.

export const DLC_ACCOUNTS = {
  "us-east-1": "763104351884",
  "us-east-2": "763104351884",
  "us-west-1": "763104351884",
  "us-west-2": "763104351884",
  "ca-central-1": "763104351884",
  "sa-east-1": "763104351884",
  "eu-west-1": "763104351884",
  "eu-west-2": "763104351884",
  "eu-west-3": "763104351884",
  "eu-central-1": "763104351884",
  "eu-north-1": "763104351884",
  "ap-northeast-1": "763104351884",
  "ap-northeast-2": "763104351884",
  "ap-northeast-3": "763104351884",
  "ap-southeast-1": "763104351884",
  "ap-southeast-2": "763104351884",
  "ap-south-1": "763104351884",
  "af-south-1": "626614931356",
  "ap-east-1": "871362719292",
  "me-south-1": "217643126080",
  "eu-south-1": "692866216735",
  "il-central-1": "780543022126",
  "me-central-1": "914824155844",
  "ap-southeast-3": "907027046896",
  "eu-central-2": "380420809688",
  "eu-south-2": "503227376785",
  "ap-south-2": "772153158452",
  "ap-southeast-4": "457447274322",
  "ca-west-1": "204538143572",
} as const satisfies Record<string, string>;

export type Region = keyof typeof DLC_ACCOUNTS;
export const REGIONS = Object.keys(DLC_ACCOUNTS) as [Region, ...Region[]];

export function ecrRegistry(region: Region): string {
  return `${DLC_ACCOUNTS[region]}.dkr.ecr.${region}.amazonaws.com`;
}
