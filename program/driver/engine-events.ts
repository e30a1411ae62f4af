// Pure mapping of Pulumi engine events to zerostack ProgressEvents.
import type { EngineEvent, OpType } from "@pulumi/pulumi/automation/index.js";
import type { ProgressEvent, ResourceOp } from "../events.js";

const OPS: Partial<Record<OpType, ResourceOp>> = {
  create: "create",
  update: "update",
  replace: "replace",
  "create-replacement": "replace",
  "delete-replaced": "replace",
  delete: "delete",
  same: "same",
  read: "read",
  refresh: "refresh",
};

/** Warnings that our own set-up causes on purpose. */
const EXPECTED_WARNINGS = [
  // scripts/bootstrap puts the dynamic-provider plugin wrapper on PATH (see program/providers/dynamic.ts)
  /using pulumi-resource-pulumi-nodejs from \$PATH/,
];

/** "urn:pulumi:stack::project::type::name" -> "name" */
export function nameOfUrn(urn: string): string {
  return urn.split("::").at(-1) ?? urn;
}

/** zerostack resources have types like `pulumi-nodejs:dynamic:Resource` or `zerostack:SageMakerModel`. */
export function shortType(type: string): string {
  return type.split(":").at(-1) ?? type;
}

export function fromEngineEvent(event: EngineEvent): ProgressEvent | undefined {
  const step = event.resourcePreEvent?.metadata ?? event.resOutputsEvent?.metadata ?? event.resOpFailedEvent?.metadata;
  if (step) {
    if (step.type === "pulumi:pulumi:Stack" || step.type.startsWith("pulumi:providers:")) return undefined;
    const op = OPS[step.op] ?? "update";
    const status = event.resOpFailedEvent ? "failed" : event.resOutputsEvent ? "done" : "running";
    if (event.resourcePreEvent?.planning && op === "same") return undefined;
    // the inputs that changed (bookkeeping outputs of our providers are no diff a person wants)
    const diffs = (step.diffs ?? []).filter((d) => !d.startsWith("__"));
    return {
      type: "resource",
      urn: step.urn,
      resourceType: shortType(step.type),
      name: nameOfUrn(step.urn),
      op,
      status,
      ...(diffs.length > 0 ? { diffs } : {}),
    };
  }
  const diag = event.diagnosticEvent;
  if (diag) {
    // the engine also sends "debug" diagnostics at runtime, though the type does not list them
    const severity = diag.severity as string;
    const message = diag.message.trim();
    if (diag.ephemeral || !message || !(severity === "info" || severity === "warning" || severity === "error"))
      return undefined;
    if (EXPECTED_WARNINGS.some((re) => re.test(message))) return undefined;
    return { type: "diagnostic", severity, message };
  }
  const summary = event.summaryEvent;
  if (summary) {
    const changes: Record<string, number> = {};
    for (const [op, n] of Object.entries(summary.resourceChanges ?? {})) if (n) changes[op] = n;
    return { type: "summary", changes };
  }
  return undefined;
}
