// The engine's errors as zerostack's typed errors and exit codes.
import { describe, expect, it } from "vitest";
import { fromPulumiError } from "../../program/driver/pulumi-errors.js";
import { exitCodeOf } from "../../program/errors.js";

describe("Pulumi errors -> exit codes", () => {
  it("maps a locked stack to 3 with the cancel fix, an interrupt to 130, a failure to 1", () => {
    const locked = Object.assign(new Error("the stack is currently locked by 1 lock(s)"), {
      name: "ConcurrentUpdateError",
    });
    const conflict = fromPulumiError(locked, "exp", [], false);
    expect(exitCodeOf(conflict)).toBe(3);
    expect(conflict.nextStep).toContain("zerostack cancel --stack exp");
    // the holder, as the DIY backend words it (pkg/backend/diy/lock.go)
    const held = Object.assign(
      new Error(
        "the stack is currently locked by 1 lock(s). Either wait for the other process(es) to end or delete the lock file with `pulumi cancel`.\n" +
          "  s3://team-state/.pulumi/locks/organization/zerostack/exp/5f3c.json: created by alice@laptop (pid 4242) at 2026-12-01 15:55:03.123 +0000 UTC",
      ),
      { name: "ConcurrentUpdateError" },
    );
    expect(fromPulumiError(held, "exp", [], false).message).toBe(
      "stack exp is locked by another update: held by alice@laptop (pid 4242) since 2026-12-01 15:55:03.123 +0000 UTC",
    );
    expect(exitCodeOf(fromPulumiError(new Error("x"), "exp", [], true))).toBe(130);
    const failed = fromPulumiError(new Error("code: 255\nstderr: boom"), "exp", ["training job failed: OOM"], false);
    expect(exitCodeOf(failed)).toBe(1);
    expect(failed.message).toBe("training job failed: OOM");
  });
});
