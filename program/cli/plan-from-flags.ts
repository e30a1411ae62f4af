// The plan an AWS-touching command works from: flags -> validated spec -> Plan. Bad input is
// refused before anything starts (no sandbox, no stack); the session then supplies the default
// bucket and region, and guard errors are refused before any change.
import { readFileSync } from "node:fs";
import { BadInputError } from "../errors.js";
import type { Plan } from "../spec/index.js";
import type { PlanFlags } from "../spec/flags.js";
import type { Output } from "./output.js";
import type { Session } from "../app/session.js";

export interface ExperimentFlags extends PlanFlags {
  stack?: string;
  rehearse?: boolean;
}

const read = (path: string) => readFileSync(path, "utf8");

function withName(flags: ExperimentFlags): ExperimentFlags {
  const name = flags.name ?? flags.stack;
  return name ? { ...flags, name } : flags;
}

/** Validates the flags and the spec's guards alone; throws BadInputError listing every problem. */
export async function checkFlags(flags: ExperimentFlags): Promise<void> {
  const [{ specFromFlags }, { derivePlan }] = await Promise.all([
    import("../spec/flags.js"),
    import("../spec/index.js"),
  ]);
  refuseGuardErrors(derivePlan(specFromFlags(withName(flags), read).spec));
}

function refuseGuardErrors(plan: Plan): void {
  if (plan.errors.length === 0) return;
  throw new BadInputError(
    plan.errors.map((f) => ({ field: f.field, message: `${f.value}: ${f.message}`, allowed: f.allowed })),
    plan.errors.map((f) => f.fix).join("; "),
  );
}

/** `grid`: the experiment is a cell of that grid (its spec, tags and state name it). */
export async function planFor(
  flags: ExperimentFlags,
  session: Session,
  out: Output,
  opts: { grid?: string } = {},
): Promise<Plan> {
  const [{ specFromFlags }, { experimentPlan }, { loadPriceBook }] = await Promise.all([
    import("../spec/flags.js"),
    import("../stack/experiment-plan.js"),
    import("../providers/pricing.js"),
  ]);
  const placed = {
    ...withName(flags),
    bucket: flags.bucket ?? session.base.bucket,
    region: flags.region ?? session.base.region,
  };
  const parsed = specFromFlags(placed, read);
  const { trainingHours } = parsed;
  const spec = opts.grid ? { ...parsed.spec, grid: opts.grid } : parsed.spec;
  if (flags.rehearse && !session.sandbox) {
    throw new BadInputError([
      {
        field: "--rehearse",
        message: "runs the payload locally and exists only in the sandbox",
        allowed: "--rehearse with --sandbox (or without AWS credentials)",
      },
    ]);
  }
  const prices = await loadPriceBook(spec.region, { sandbox: session.sandbox });
  const plan = experimentPlan(
    spec,
    { rehearse: flags.rehearse ?? false },
    { prices, ...(trainingHours === undefined ? {} : { trainingHours }) },
  );
  refuseGuardErrors(plan);
  for (const w of plan.warnings)
    out.event({
      type: "diagnostic",
      severity: "warning",
      message: `${w.field}=${w.value}: ${w.message} (${w.fix})`,
      ...(opts.grid ? { stack: plan.names.stack } : {}),
    });
  return plan;
}
