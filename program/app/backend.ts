// The TUI's backend over the driver, the spec module and the session. Loaded by the TUI after
// its first frame (this module pulls in Pulumi's Automation API and the AWS SDK).
import { join } from "node:path";
import { NotAvailableError, type Backend, type OnEvent, type SpecDocument } from "../../tui/backend.js";
import type { Output } from "../cli/output.js";
import { openSession, type Session } from "../cli/session.js";
import { destroyExperiment, upExperiment } from "../driver/experiment-stack.js";
import { preview } from "../driver/operations.js";
import { zerostackRoot } from "../env/paths.js";
import { BadInputError } from "../errors.js";
import { derivePlan, parseSpec, type Plan } from "../spec/index.js";
import { catalog, planChoices, type Placement } from "./choices.js";
import { invokeEndpoint } from "./invoke.js";
import { readStack, stackSummaries } from "./stacks.js";

/** The session speaks through the UI (the SANDBOX banner), never on stdout under Ink. */
const silent: Output = { json: false, event() {}, info() {}, result() {}, warn() {} };

function planOf(spec: SpecDocument): Plan {
  const plan = derivePlan(parseSpec(spec));
  if (plan.errors.length > 0) throw new BadInputError(plan.errors.map((f) => ({ field: f.field, message: f.message, allowed: f.allowed })), plan.errors[0]?.fix);
  return plan;
}

/**
 * The driver cancels on SIGINT only (program/driver/interrupt.ts: graceful first, engine told
 * to stop). Under Ink the terminal sends no SIGINT, so an abort from the UI raises it here.
 */
function interruptOnAbort(signal: AbortSignal): () => void {
  // only while the driver listens: otherwise SIGINT's default action would kill the process
  const onAbort = () => {
    if (process.listenerCount("SIGINT") > 0) process.kill(process.pid, "SIGINT");
  };
  signal.addEventListener("abort", onAbort, { once: true });
  return () => signal.removeEventListener("abort", onAbort);
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
      const program = experiment(plan, { base: session.base, payloadDir: join(zerostackRoot(), "payload") });
      const release = interruptOnAbort(signal);
      try {
        return await preview(session, plan.names.stack, program, { onEvent });
      } finally {
        release();
      }
    },
    async up(spec, options, onEvent, signal) {
      if (options.rehearse) {
        throw new NotAvailableError("rehearse", "rehearsals (the real payload run locally in the sandbox) are not wired into the driver yet", "press esc, turn rehearse off, and create again for the sandbox's simulated timeline");
      }
      const plan = planOf(spec);
      const release = interruptOnAbort(signal);
      try {
        await upExperiment(session, plan, session.base, { onEvent });
      } finally {
        release();
      }
    },
    attach: (stack, onEvent, signal) => attach(session, stack, onEvent, signal),
    async invoke(stack, prompt, params) {
      const { details } = await readStack(session, stack);
      const endpoint = details.outputs.endpointName;
      if (typeof endpoint !== "string") throw new BadInputError([{ field: "stack", message: `${stack} has no endpoint` }], "create it with serving enabled, then invoke");
      return invokeEndpoint(endpoint, prompt, params);
    },
    destroy: (stack, onEvent) => destroyExperiment(session, stack, { onEvent }),
  };
}

/**
 * What is known of an experiment without live watchers: the stack's recorded outputs (as of its
 * last update). Live training logs, loss and endpoint status need the watchers, not built yet.
 */
async function attach(session: Session, stack: string, onEvent: OnEvent, signal: AbortSignal): Promise<void> {
  const { details } = await readStack(session, stack);
  if (signal.aborted) return;
  const at = new Date().toISOString();
  const o = details.outputs;
  onEvent({ type: "outputs", outputs: o });
  if (typeof o.trainingJobName === "string" && typeof o.trainingJobStatus === "string") {
    onEvent({ type: "training", job: o.trainingJobName, status: o.trainingJobStatus, secondaryStatus: `${o.trainingJobStatus} (at the last update)`, at });
  }
  if (typeof o.endpointName === "string" && typeof o.endpointStatus === "string") {
    onEvent({ type: "endpoint", endpoint: o.endpointName, status: o.endpointStatus, at });
  }
  throw new NotAvailableError("attach", "live training logs, loss and endpoint status need the watchers, which are not built yet: shown is the stack's state at its last update", "run `zerostack up` again to refresh the recorded state");
}

/** Opens the session (starting the sandbox cloud when it is the one in use) and the backend. */
export async function createBackend(options: { sandbox?: boolean } = {}): Promise<Backend> {
  return backendFor(await openSession(options.sandbox, silent));
}
