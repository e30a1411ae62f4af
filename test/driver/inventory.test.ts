// What `ls` and the Stacks screen say about an experiment, from its checkpoint alone: status,
// age from creation, cost so far that stops at the TTL deadline, an endpoint a refresh found gone.
import { describe, expect, it } from "vitest";
import { experimentRow, stackStateOf } from "../../program/driver/inventory.js";
import { specFromPreset } from "../../program/spec/index.js";
import { derivePlan } from "../../program/spec/derive.js";

const T0 = Date.parse("2026-12-01T10:00:00Z");
const at = (minutes: number) => new Date(T0 + minutes * 60_000).toISOString();
const cost = derivePlan(specFromPreset("tiny")).cost;
const servingPerHour = cost.serving!.usdPerHour;

/** A checkpoint as the file backend writes it: stack created at 0, endpoint at +10 min, TTL 30 min. */
function checkpoint(opts: { updatedAt?: string; withEndpoint?: boolean; endpointCreatedAt?: string } = {}) {
  const type = (t: string) => `pulumi-nodejs:dynamic/zerostack:${t}`;
  const resources = [
    {
      type: "pulumi:pulumi:Stack",
      created: at(0),
      outputs: {
        preset: "tiny",
        trainingJobStatus: "Completed",
        billableSeconds: 0,
        endpointName: "exp-ep",
        endpointStatus: "InService",
        ttlExpiresAt: at(40),
        ...(opts.endpointCreatedAt ? { endpointCreatedAt: opts.endpointCreatedAt } : {}),
        watch: { cost },
      },
    },
    { type: "pulumi:providers:pulumi-nodejs", created: at(0) },
    { type: type("TrainingJob"), created: at(0) },
    { type: type("SageMakerModel"), created: at(9) },
    { type: type("EndpointConfig"), created: at(9) },
    ...(opts.withEndpoint === false ? [] : [{ type: type("Endpoint"), created: at(10) }]),
    { type: type("TtlSchedule"), created: at(10) },
  ];
  return { checkpoint: { latest: { manifest: { time: opts.updatedAt ?? at(10) }, resources } } };
}

const row = (now: number, opts?: Parameters<typeof checkpoint>[0]) =>
  experimentRow(stackStateOf("exp", checkpoint(opts), false), now);

describe("an experiment's row", () => {
  it("is ready before its deadline, billing the endpoint from its creation", () => {
    const r = row(T0 + 20 * 60_000);
    expect(r.status).toBe("ready");
    expect(r.createdAt).toBe(at(0));
    expect(r.costUsd).toBeCloseTo((servingPerHour * 10) / 60, 6);
  });

  it("bills from SageMaker's CreationTime, on the clock the deadline is on, when the stack kept it", () => {
    expect(row(T0 + 20 * 60_000, { endpointCreatedAt: at(12) }).costUsd).toBeCloseTo((servingPerHour * 8) / 60, 6);
  });

  it("is expired past its TTL deadline, and its cost stops there", () => {
    const r = row(T0 + 57 * 60_000);
    expect(r.status).toBe("expired");
    // 30 minutes in service (10 -> 40), not 47
    expect(r.costUsd).toBeCloseTo((servingPerHour * 30) / 60, 6);
    expect(row(T0 + 5 * 3_600_000).costUsd).toBeCloseTo(r.costUsd!, 9);
  });

  it("keeps its age from creation after a later update or refresh", () => {
    const r = row(T0 + 50 * 60_000, { updatedAt: at(45) });
    expect(r.createdAt).toBe(at(0));
    expect(r.updatedAt).toBe(at(45));
  });

  it("says the endpoint is gone when a refresh removed it, billing until that refresh", () => {
    // a refresh at +25 min found the endpoint deleted outside zerostack; its config dates it (+9 min)
    const r = row(T0 + 30 * 60_000, { updatedAt: at(25), withEndpoint: false });
    expect(r.status).toBe("endpoint-gone");
    expect(r.costUsd).toBeCloseTo((servingPerHour * 16) / 60, 6);
  });

  it("past its deadline it is expired whether or not a refresh has run", () => {
    expect(row(T0 + 60 * 60_000, { updatedAt: at(50), withEndpoint: false }).status).toBe("expired");
  });
});
