// Sandbox mode: the default without AWS credentials, the flag over everything.
import { describe, expect, it } from "vitest";
import { hasAwsCredentials, sandboxMode } from "../../program/sandbox-client/mode.js";

const none = () => false;

describe("sandbox mode", () => {
  it("is the default when no credentials are found", () => {
    expect(hasAwsCredentials({ HOME: "/nowhere" }, none)).toBe(false);
    expect(sandboxMode(undefined, { HOME: "/nowhere", AWS_PROFILE: "" })).toBe(true);
  });
  it("is off when credentials come from env, a profile or the shared files", () => {
    expect(hasAwsCredentials({ AWS_ACCESS_KEY_ID: "a", AWS_SECRET_ACCESS_KEY: "b" }, none)).toBe(true);
    expect(hasAwsCredentials({ AWS_PROFILE: "dev" }, none)).toBe(true);
    expect(hasAwsCredentials({ HOME: "/h" }, (p) => p === "/h/.aws/credentials")).toBe(true);
  });
  it("follows the flag over everything", () => {
    expect(sandboxMode(true, { AWS_PROFILE: "dev" })).toBe(true);
    expect(sandboxMode(false, {})).toBe(false);
  });
});
