// AWS SDK client settings from the environment: the standard credential chain and region,
// and AWS_ENDPOINT_URL pointing every client at an emulator (the sandbox) when set.
export interface ClientSettings {
  region: string;
  endpoint?: string;
  forcePathStyle?: boolean;
  maxAttempts: number;
}

export function clientSettings(env: NodeJS.ProcessEnv = process.env): ClientSettings {
  const region = env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? "us-east-1";
  const endpoint = env.AWS_ENDPOINT_URL;
  return endpoint ? { region, endpoint, forcePathStyle: true, maxAttempts: 3 } : { region, maxAttempts: 5 };
}
