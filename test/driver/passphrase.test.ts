// The secrets passphrase of the local backends.
import { mkdtempSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { configPassphrase } from "../../program/driver/passphrase.js";

describe("passphrase", () => {
  it("is generated once with mode 0600 unless PULUMI_CONFIG_PASSPHRASE is set", () => {
    const home = mkdtempSync(join(tmpdir(), "zs-pass-"));
    const first = configPassphrase(home, {});
    expect(first.length).toBeGreaterThanOrEqual(20);
    expect(configPassphrase(home, {})).toBe(first);
    expect(statSync(join(home, "passphrase")).mode & 0o777).toBe(0o600);
    expect(configPassphrase(home, { PULUMI_CONFIG_PASSPHRASE: "given" })).toBe("given");
  });
});
