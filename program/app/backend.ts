// The TUI's backend over the driver, the spec module and the session. Loaded by the TUI after
// its first frame (this module pulls in Pulumi's Automation API and the AWS SDK).
import { availableParallelism } from "node:os";
import type { Backend, GridRequest, SpecDocument } from "./contract.js";
import { openSession, type Session } from "./session.js";
import { attachExperiment, destroyExperiment, previewExperiment } from "../driver/experiment-stack.js";
import { BadInputError } from "../errors.js";
import { loadPriceBook } from "../providers/pricing.js";
import { parseSpec, type Plan } from "../spec/index.js";
import type { PriceBook } from "../spec/prices.js";
import { experimentPlan } from "../stack/experiment-plan.js";
import { catalog, planChoices, type Placement } from "./choices.js";
import { compareExperiments } from "./compare.js";
import { estimateOf } from "./estimate.js";
import { DEFAULT_PARALLEL, forgetEmptiedGrids, gridEvent, launchGrid, previewGrid } from "./grid.js";
import { planGridChoices } from "./grid-choices.js";
import { invokeExperiment } from "./invoke.js";
import { launchExperiment } from "./launch.js";
import { stackSummaries } from "./stacks.js";

function planOf(spec: SpecDocument, prices: PriceBook, rehearse = false): Plan {
  const parsed = parseSpec(spec);
  const plan = experimentPlan(parsed, { rehearse }, prices.region === parsed.region ? { prices } : {});
  if (plan.errors.length > 0)
    throw new BadInputError(
      plan.errors.map((f) => ({ field: f.field, message: f.message, allowed: f.allowed })),
      plan.errors[0]?.fix,
    );
  return plan;
}

function refuseRehearsalOutsideSandbox(session: Session, rehearse: boolean): void {
  if (rehearse && !session.sandbox) {
    throw new BadInputError([
      {
        field: "rehearse",
        message: "runs the payload locally and exists only in the sandbox",
        allowed: "off, or use the sandbox",
      },
    ]);
  }
}

export function backendFor(session: Session, prices: PriceBook): Backend {
  const placement: Placement = { bucket: session.base.bucket, region: session.base.region, prices };
  const cat = catalog(placement);
  /** Every cell checked again before anything starts (exit-2 style, naming cell and field), then planned. */
  const gridPlans = (request: GridRequest, rehearse: boolean) => {
    const { result, grid } = planGridChoices(request, (choices) => planChoices(choices, placement));
    if (result.problems.length > 0)
      throw new BadInputError(
        result.problems.map((p) => ({ field: p.field, message: p.message, ...(p.fix ? { allowed: p.fix } : {}) })),
        `fix what is listed above (a grid of ${result.cells.length} cells); nothing was created`,
      );
    return { grid, plans: result.cells.map((c) => planOf(c.plan.spec!, prices, rehearse)) };
  };
  return {
    sandbox: session.sandbox,
    catalog: () => cat,
    plan: (choices) => planChoices(choices, placement),
    listStacks: async () => stackSummaries(session, await session.now()),
    async preview(spec, onEvent, signal) {
      // an abort from the UI cancels like a first Ctrl-C (program/driver/interrupt.ts)
      const plan = planOf(spec, prices);
      const changes = await previewExperiment(session, plan, session.base, {
        onEvent,
        signal,
        now: await session.now(),
      });
      onEvent(estimateOf(plan));
      return changes;
    },
    async up(spec, options, onEvent, signal) {
      refuseRehearsalOutsideSandbox(session, options.rehearse);
      const plan = planOf(spec, prices, options.rehearse);
      onEvent(estimateOf(plan));
      await launchExperiment(session, plan, { onEvent, signal });
    },
    planGrid: (request) =>
      planGridChoices(request, (choices) => planChoices(choices, placement), availableParallelism()).result,
    async previewGrid(request, onEvent, signal) {
      const { grid, plans } = gridPlans(request, false);
      const { parallel } = gridEvent(grid.name, plans, DEFAULT_PARALLEL, { rehearse: false });
      return previewGrid(session, grid.name, plans, parallel, { onEvent, signal });
    },
    async upGrid(request, options, onEvent, signal) {
      refuseRehearsalOutsideSandbox(session, options.rehearse);
      const { grid, plans } = gridPlans(request, options.rehearse);
      for (const plan of plans) onEvent(estimateOf(plan));
      const planned = gridEvent(grid.name, plans, DEFAULT_PARALLEL, { rehearse: options.rehearse });
      onEvent(planned);
      await launchGrid(session, grid, plans, planned.parallel, { onEvent, signal });
    },
    // the Run screen shows an experiment's whole story: its history, not only what is new
    attach: (stack, onEvent, signal) => attachExperiment(session, stack, onEvent, signal, { fromStart: true }),
    invoke: (stack, prompt, params) => invokeExperiment(session, stack, prompt, params),
    destroy: async (stack, onEvent) => {
      await destroyExperiment(session, stack, { onEvent });
      await forgetEmptiedGrids(session, stack);
    },
    compare: async (stacks) => compareExperiments(session, stacks, { invoke: true, now: await session.now() }),
  };
}

/** Opens the session (starting the sandbox cloud when it is the one in use) and the backend. */
export async function createBackend(options: { sandbox?: boolean } = {}): Promise<Backend> {
  // the session speaks through the UI (the SANDBOX banner), never on stdout under Ink
  const session = await openSession(options.sandbox);
  return backendFor(session, await loadPriceBook(session.base.region, { sandbox: session.sandbox }));
}
