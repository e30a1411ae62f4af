// The plan an experiment runs with: the spec's derivations plus the hashes of the payload that
// ships with it (a changed script is a new training job) and, in the sandbox, a rehearsal of the
// real payload (which runs different code than the simulated timeline, so it is a different job).
import { payloadDir } from "../env/paths.js";
import { payloadHashes } from "../env/payload.js";
import { derivePlan, type ExperimentSpec, type Plan, type PlanOptions } from "../spec/index.js";

export interface RunChoices {
  rehearse?: boolean;
}

export function experimentPlan(
  spec: ExperimentSpec,
  choices: RunChoices = {},
  options: Omit<PlanOptions, "payload"> = {},
): Plan {
  const hashes = payloadHashes(payloadDir());
  const payload = choices.rehearse ? { ...hashes, train: `${hashes.train}+rehearse` } : hashes;
  const plan = derivePlan(spec, { ...options, payload });
  if (!choices.rehearse) return plan;
  // the sandbox runs this job's payload for real (sandbox/zerostack_sandbox/rehearsal)
  return {
    ...plan,
    training: { ...plan.training, environment: { ...plan.training.environment, ZEROSTACK_REHEARSE: "1" } },
  };
}
