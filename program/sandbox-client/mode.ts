// Sandbox or real AWS: the sandbox cloud whenever the user asks for it or no AWS credentials
// can be found through the standard chain's usual places.
import { existsSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";

export function hasAwsCredentials(
  env: NodeJS.ProcessEnv = process.env,
  fileExists: (p: string) => boolean = existsSync,
): boolean {
  if (env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY) return true;
  if (env.AWS_PROFILE || env.AWS_WEB_IDENTITY_TOKEN_FILE) return true;
  if (env.AWS_CONTAINER_CREDENTIALS_RELATIVE_URI || env.AWS_CONTAINER_CREDENTIALS_FULL_URI) return true;
  const home = env.HOME ?? homedir();
  return (
    fileExists(env.AWS_SHARED_CREDENTIALS_FILE ?? join(home, ".aws", "credentials")) ||
    fileExists(env.AWS_CONFIG_FILE ?? join(home, ".aws", "config"))
  );
}

export function sandboxMode(flag: boolean | undefined, env: NodeJS.ProcessEnv = process.env): boolean {
  if (flag !== undefined) return flag;
  if (env.ZEROSTACK_SANDBOX === "1") return true;
  if (env.ZEROSTACK_SANDBOX === "0") return false;
  return !hasAwsCredentials(env);
}
