import { mkdtempSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { hasAwsCredentials, useSandbox } from "../../program/sandbox/mode.js";
import { configPassphrase } from "../../program/driver/passphrase.js";
import { stateLayout } from "../../program/env/paths.js";
import { fromPulumiError } from "../../program/driver/pulumi-errors.js";
import { exitCodeOf } from "../../program/errors.js";

const none = () => false;

describe("sandbox mode", () => {
  it("is the default when no credentials are found", () => {
    expect(hasAwsCredentials({ HOME: "/nowhere" }, none)).toBe(false);
    expect(useSandbox(undefined, { HOME: "/nowhere", AWS_PROFILE: "" })).toBe(true);
  });
  it("is off when credentials come from env, a profile or the shared files", () => {
    expect(hasAwsCredentials({ AWS_ACCESS_KEY_ID: "a", AWS_SECRET_ACCESS_KEY: "b" }, none)).toBe(true);
    expect(hasAwsCredentials({ AWS_PROFILE: "dev" }, none)).toBe(true);
    expect(hasAwsCredentials({ HOME: "/h" }, (p) => p === "/h/.aws/credentials")).toBe(true);
  });
  it("follows the flag over everything", () => {
    expect(useSandbox(true, { AWS_PROFILE: "dev" })).toBe(true);
    expect(useSandbox(false, {})).toBe(false);
  });
});

describe("state layout", () => {
  it("keeps sandbox state with the sandbox even when PULUMI_BACKEND_URL is set", () => {
    const env = { ZEROSTACK_HOME: "/z", PULUMI_BACKEND_URL: "s3://bucket/state" };
    expect(stateLayout(true, env).backendUrl).toBe("file:///z/sandbox/state");
    expect(stateLayout(false, env).backendUrl).toBe("s3://bucket/state");
    expect(stateLayout(false, { ZEROSTACK_HOME: "/z" }).backendUrl).toBe("file:///z/state");
  });
});

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

describe("Pulumi errors -> exit codes", () => {
  it("maps a locked stack to 3 with the cancel fix, an interrupt to 130, a failure to 1", () => {
    const locked = Object.assign(new Error("the stack is currently locked by 1 lock(s)"), { name: "ConcurrentUpdateError" });
    const conflict = fromPulumiError(locked, "exp", [], false);
    expect(exitCodeOf(conflict)).toBe(3);
    expect(conflict.nextStep).toContain("zerostack cancel --stack exp");
    expect(exitCodeOf(fromPulumiError(new Error("x"), "exp", [], true))).toBe(130);
    const failed = fromPulumiError(new Error("code: 255\nstderr: boom"), "exp", ["training job failed: OOM"], false);
    expect(exitCodeOf(failed)).toBe(1);
    expect(failed.message).toBe("training job failed: OOM");
  });
});
