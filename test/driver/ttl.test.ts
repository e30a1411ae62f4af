import { describe, expect, it } from "vitest";
import { nextTtl } from "../../program/driver/ttl.js";
import { derivePlan, specFromPreset } from "../../program/spec/index.js";

const now = new Date("2026-01-01T00:00:00Z");

describe("the endpoint's TTL deadline", () => {
  it("is set once and kept by later runs, so a re-run never extends it by accident", () => {
    const first = nextTtl(undefined, 3600, now);
    expect(first).toEqual({ ttlSeconds: 3600, expiresAt: "2026-01-01T01:00:00.000Z" });
    expect(nextTtl(first, 3600, new Date("2026-01-01T00:30:00Z"))).toEqual(first);
  });
  it("restarts when the TTL changes, when extended, or once it has passed", () => {
    const first = nextTtl(undefined, 3600, now);
    const later = new Date("2026-01-01T00:30:00Z");
    expect(nextTtl(first, 7200, later).expiresAt).toBe("2026-01-01T02:30:00.000Z");
    expect(nextTtl(first, 3600, later, true).expiresAt).toBe("2026-01-01T01:30:00.000Z");
    expect(nextTtl(first, 3600, new Date("2026-01-01T02:00:00Z")).expiresAt).toBe("2026-01-01T03:00:00.000Z");
  });
  it("0 turns it off: allowed, warned about, and the cost says the endpoint bills until destroyed", () => {
    const plan = derivePlan(specFromPreset("tiny", { ttlSeconds: 0 }));
    expect(plan.errors).toEqual([]);
    expect(plan.warnings.map((w) => w.field)).toContain("serving.ttlSeconds");
    expect(plan.cost.serving).toMatchObject({ untilDestroyed: true, usd: 0 });
    expect(plan.cost.serving!.usdPerHour).toBeGreaterThan(0);
    expect(derivePlan(specFromPreset("tiny")).cost.serving?.untilDestroyed).toBe(false);
  });
});
