// The TUI's backend over the driver, the spec module and the session. Loaded by the TUI after
// its first frame (this module pulls in Pulumi's Automation API and the AWS SDK).
import type { Backend, SpecDocument } from "../../tui/backend.js";
import type { Output } from "../cli/output.js";
import { openSession, type Session } from "../cli/session.js";
import { attachExperiment, destroyExperiment, readWatchTarget, upExperiment } from "../driver/experiment-stack.js";
import { preview } from "../driver/operations.js";
import { payloadDir } from "../env/paths.js";
import { BadInputError } from "../errors.js";
import { parseSpec, type Plan } from "../spec/index.js";
import { experimentPlan } from "../stack/experiment-plan.js";
import { catalog, planChoices, type Placement } from "./choices.js";
import { invokeEndpoint } from "./invoke.js";
import { stackSummaries } from "./stacks.js";

/** The session speaks through the UI (the SANDBOX banner), never on stdout under Ink. */
const silent: Output = { json: false, event() {}, info() {}, result() {}, warn() {} };

function planOf(spec: SpecDocument, rehearse = false): Plan {
  const plan = experimentPlan(parseSpec(spec), { rehearse });
  if (plan.errors.length > 0) throw new BadInputError(plan.errors.map((f) => ({ field: f.field, message: f.message, allowed: f.allowed })), plan.errors[0]?.fix);
  return plan;
}

export function backendFor(session: Session): Backend {
  const placement: Placement = { bucket: session.base.bucket, region: session.base.region };
  const cat = catalog(placement);
  return {
    sandbox: session.sandbox,
    catalog: () => cat,
    plan: (choices) => planChoices(choices, placement),
    listStacks: () => stackSummaries(session),
    async preview(spec, onEvent, signal) {
      const plan = planOf(spec);
      const { experiment } = await import("../stack/experiment.js");
      const program = experiment(plan, { base: session.base, payloadDir: payloadDir() });
      // an abort from the UI cancels like a first Ctrl-C (program/driver/interrupt.ts)
      return preview(session, plan.names.stack, program, { onEvent, signal });
    },
    async up(spec, options, onEvent, signal) {
      if (options.rehearse && !session.sandbox) {
        throw new BadInputError([{ field: "rehearse", message: "runs the payload locally and exists only in the sandbox", allowed: "off, or use the sandbox" }]);
      }
      await upExperiment(session, planOf(spec, options.rehearse), session.base, { onEvent, signal });
    },
    attach: (stack, onEvent, signal) => attachExperiment(session, stack, onEvent, signal),
    async invoke(stack, prompt, params) {
      const { endpoint } = await readWatchTarget(session, stack);
      if (!endpoint) throw new BadInputError([{ field: "stack", message: `${stack} has no endpoint` }], "create it with serving enabled, then invoke");
      return invokeEndpoint(endpoint, prompt, params);
    },
    destroy: (stack, onEvent) => destroyExperiment(session, stack, { onEvent }),
  };
}

/** Opens the session (starting the sandbox cloud when it is the one in use) and the backend. */
export async function createBackend(options: { sandbox?: boolean } = {}): Promise<Backend> {
  return backendFor(await openSession(options.sandbox, silent));
}
