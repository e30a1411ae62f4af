// The passphrase of the local secrets provider: PULUMI_CONFIG_PASSPHRASE when set, else one
// generated once and kept in ZEROSTACK_HOME with mode 0600.
import { randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync, renameSync, chmodSync } from "node:fs";
import { join } from "node:path";

export function configPassphrase(home: string, env: NodeJS.ProcessEnv = process.env): string {
  if (env.PULUMI_CONFIG_PASSPHRASE !== undefined) return env.PULUMI_CONFIG_PASSPHRASE;
  const file = join(home, "passphrase");
  try {
    return readFileSync(file, "utf8").trim();
  } catch {
    mkdirSync(home, { recursive: true, mode: 0o700 });
    const value = randomBytes(24).toString("base64url");
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, `${value}\n`, { mode: 0o600 });
    chmodSync(tmp, 0o600);
    renameSync(tmp, file);
    return readFileSync(file, "utf8").trim();
  }
}
