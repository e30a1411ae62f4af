// The plan an AWS-touching command works from: flags -> validated spec -> Plan, with the
// session's bucket as the default output location, and guard errors refused before any change.
import { readFileSync } from "node:fs";
import { BadInputError } from "../errors.js";
import { payloadDir } from "../env/paths.js";
import { payloadHashes } from "../env/payload.js";
import type { Plan } from "../spec/index.js";
import type { PlanFlags } from "../spec/flags.js";
import type { Output } from "./output.js";
import type { Session } from "./session.js";

export interface ExperimentFlags extends PlanFlags {
  stack?: string;
}

export async function planFor(flags: ExperimentFlags, session: Session, out: Output): Promise<Plan> {
  const { planFromFlags } = await import("../spec/flags.js");
  const name = flags.name ?? flags.stack;
  const plan = planFromFlags(
    { ...flags, ...(name ? { name } : {}), bucket: flags.bucket ?? session.base.bucket, region: flags.region ?? session.base.region },
    (path) => readFileSync(path, "utf8"),
    payloadHashes(payloadDir()),
  );
  if (plan.errors.length > 0) {
    throw new BadInputError(
      plan.errors.map((f) => ({ field: f.field, message: `${f.value}: ${f.message}`, allowed: f.allowed })),
      plan.errors.map((f) => f.fix).join("; "),
    );
  }
  for (const w of plan.warnings) out.event({ type: "diagnostic", severity: "warning", message: `${w.field}=${w.value}: ${w.message} (${w.fix})` });
  return plan;
}
