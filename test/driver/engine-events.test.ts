import { describe, expect, it } from "vitest";
import type { EngineEvent } from "@pulumi/pulumi/automation/index.js";
import { fromEngineEvent, nameOfUrn } from "../../program/driver/engine-events.js";

const urn = "urn:pulumi:exp::zerostack::pulumi-nodejs:dynamic/zerostack:SageMakerModel::model";
const meta = { op: "create", urn, type: "pulumi-nodejs:dynamic/zerostack:SageMakerModel", provider: "" } as const;

function ev(fields: Partial<EngineEvent>): EngineEvent {
  return { sequence: 1, timestamp: 0, ...fields } as EngineEvent;
}

describe("engine events -> ProgressEvents", () => {
  it("maps a resource's pre, outputs and failure to running, done and failed", () => {
    expect(fromEngineEvent(ev({ resourcePreEvent: { metadata: meta } }))).toEqual({
      type: "resource",
      urn,
      resourceType: "SageMakerModel",
      name: "model",
      op: "create",
      status: "running",
    });
    expect(fromEngineEvent(ev({ resOutputsEvent: { metadata: meta } }))).toMatchObject({ status: "done" });
    expect(fromEngineEvent(ev({ resOpFailedEvent: { metadata: meta, status: 1, steps: 1 } }))).toMatchObject({
      status: "failed",
    });
  });

  it("drops the stack and provider resources, and debug or expected diagnostics", () => {
    expect(
      fromEngineEvent(ev({ resourcePreEvent: { metadata: { ...meta, type: "pulumi:pulumi:Stack" } } })),
    ).toBeUndefined();
    const diag = (severity: string, message: string) =>
      ev({ diagnosticEvent: { severity, message, color: "never" } as never });
    expect(fromEngineEvent(diag("debug", "RegisterResource RPC"))).toBeUndefined();
    expect(fromEngineEvent(diag("warning", "using pulumi-resource-pulumi-nodejs from $PATH at /x"))).toBeUndefined();
    expect(fromEngineEvent(diag("error", " boom \n"))).toEqual({
      type: "diagnostic",
      severity: "error",
      message: "boom",
    });
  });

  it("keeps only the non-zero counts of a summary", () => {
    const summary = ev({
      summaryEvent: {
        maybeCorrupt: false,
        durationSeconds: 1,
        resourceChanges: { create: 2, same: 0 },
        policyPacks: {},
      },
    });
    expect(fromEngineEvent(summary)).toEqual({ type: "summary", changes: { create: 2 } });
  });

  it("takes a resource's name from its URN", () => {
    expect(nameOfUrn(urn)).toBe("model");
  });
});
