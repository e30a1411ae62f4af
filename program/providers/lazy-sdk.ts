// The AWS SDK clients the providers call, required on first use rather than when a provider module
// loads: the dynamic-provider plugin loads a provider's module for every Diff, and a no-change `up`
// only diffs (pure comparisons of inputs), so it never pays the SDK's load (~0.15 s for SageMaker
// and S3 in the plugin, before the first Diff answers). Each is the very module an
// `import ... from` would give (the packages are CommonJS; Node shares one instance), read
// through a namespace whose members load it: `new sageMakerSdk.DescribeModelCommand(...)`.
import { createRequire } from "node:module";
import type * as S3 from "@aws-sdk/client-s3";
import type * as SageMaker from "@aws-sdk/client-sagemaker";
import type * as Scheduler from "@aws-sdk/client-scheduler";
import type * as SecretsManager from "@aws-sdk/client-secrets-manager";

const require = createRequire(import.meta.url);

function onFirstUse<T extends object>(id: string): T {
  let loaded: T | undefined;
  return new Proxy({} as T, {
    get: (_, key) => {
      loaded ??= require(id) as T;
      return Reflect.get(loaded, key);
    },
  });
}

export const sageMakerSdk = onFirstUse<typeof SageMaker>("@aws-sdk/client-sagemaker");
export const s3Sdk = onFirstUse<typeof S3>("@aws-sdk/client-s3");
export const schedulerSdk = onFirstUse<typeof Scheduler>("@aws-sdk/client-scheduler");
export const secretsManagerSdk = onFirstUse<typeof SecretsManager>("@aws-sdk/client-secrets-manager");
