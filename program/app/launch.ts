// `up` as both front ends start it. In the sandbox, a rehearsal reads its channels from the
// sandbox's S3 like a real job, so the shipped tiny dataset is staged there first; then the
// driver runs the stack's update with the watchers beside it.
import type { OperationOptions } from "../driver/operations.js";
import { upExperiment } from "../driver/experiment-stack.js";
import type { Plan } from "../spec/index.js";
import type { Session } from "./session.js";

export async function launchExperiment(
  session: Session,
  plan: Plan,
  opts: OperationOptions & { extendTtl?: boolean },
): Promise<Record<string, unknown>> {
  if (session.sandbox && plan.training.environment.ZEROSTACK_REHEARSE) {
    // loaded only for a rehearsal: it brings the S3 client and the dataset preparation
    const { ensureRehearsalData } = await import("../sandbox-client/rehearsal-data.js");
    await ensureRehearsalData(plan, opts.onEvent);
  }
  // the TTL deadline on the clock the schedule fires on (the sandbox has its own)
  return upExperiment(session, plan, session.base, { ...opts, now: await session.now() });
}
