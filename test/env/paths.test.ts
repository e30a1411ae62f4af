// Where state lives: the sandbox's with the sandbox, whatever PULUMI_BACKEND_URL says.
import { describe, expect, it } from "vitest";
import { stateLayout } from "../../program/env/paths.js";

describe("state layout", () => {
  it("keeps sandbox state with the sandbox even when PULUMI_BACKEND_URL is set", () => {
    const env = { ZEROSTACK_HOME: "/z", PULUMI_BACKEND_URL: "s3://bucket/state" };
    expect(stateLayout(true, env).backendUrl).toBe("file:///z/sandbox/state");
    expect(stateLayout(false, env).backendUrl).toBe("s3://bucket/state");
    expect(stateLayout(false, { ZEROSTACK_HOME: "/z" }).backendUrl).toBe("file:///z/state");
  });
});
