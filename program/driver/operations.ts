// The Automation driver: a short linear sequence per operation, streaming ProgressEvents.
import type { OutputMap, PulumiFn, Stack } from "@pulumi/pulumi/automation/index.js";
import type { EventSink } from "../events.js";
import { readFileCheckpoint, shownOutputs, stackOutputsOf } from "./checkpoints.js";
import { fromEngineEvent } from "./engine-events.js";
import { installInterruptor } from "./interrupt.js";
import { attachSetting, DYNAMIC_PROVIDER, type StartedPlugin } from "./provider-plugin.js";
import { fromPulumiError } from "./pulumi-errors.js";
import { openStack, projectWorkspace, type DriverContext } from "./workspace.js";

export interface OperationOptions {
  onEvent: EventSink;
  /** Called on a second Ctrl-C, after the engine was killed. */
  onForce?: () => void;
  /** An interrupt from a UI (raw-mode terminals send no SIGINT): cancels gracefully like a first Ctrl-C. */
  signal?: AbortSignal;
}

/** Runs one engine operation with events, interrupt handling and typed errors. */
async function withEngine<T>(
  stackName: string,
  opts: OperationOptions,
  run: (hooks: {
    onEvent: (e: import("@pulumi/pulumi/automation/index.js").EngineEvent) => void;
    onOutput: (s: string) => void;
    signal: AbortSignal;
  }) => Promise<T>,
): Promise<T> {
  const reasons: string[] = [];
  const interruptor = installInterruptor({
    onForce: () => opts.onForce?.(),
    notify: (message) => opts.onEvent({ type: "diagnostic", severity: "warning", message }),
    ...(opts.signal ? { signal: opts.signal } : {}),
  });
  try {
    return await run({
      onEvent: (engineEvent) => {
        const event = fromEngineEvent(engineEvent);
        if (!event) return;
        if (event.type === "diagnostic" && event.severity === "error") reasons.push(event.message);
        opts.onEvent(event);
      },
      onOutput: (text) => interruptor.observeOutput(text),
      signal: interruptor.signal,
    });
  } catch (error) {
    throw fromPulumiError(error, stackName, reasons, interruptor.interrupted);
  } finally {
    interruptor.dispose();
  }
}

async function stackFor(ctx: DriverContext, stackName: string, program: PulumiFn): Promise<Stack> {
  try {
    return await openStack(ctx, stackName, program);
  } catch (error) {
    throw fromPulumiError(error, stackName, [], false);
  }
}

/**
 * The engine attaches to a dynamic-provider plugin started before it (program/driver/provider-plugin.ts)
 * instead of starting its own, if it still runs and the user's PULUMI_DEBUG_PROVIDERS names no
 * other one. Returns what undoes it.
 */
function attachPlugin(stack: Stack, plugin: StartedPlugin | undefined): () => void {
  if (!plugin?.alive()) return () => undefined;
  const env = stack.workspace.envVars;
  const before = env.PULUMI_DEBUG_PROVIDERS;
  const setting = attachSetting(before ?? process.env.PULUMI_DEBUG_PROVIDERS, plugin.port);
  if (!setting.split(",").includes(`${DYNAMIC_PROVIDER}:${plugin.port}`)) return () => undefined;
  env.PULUMI_DEBUG_PROVIDERS = setting;
  return () => {
    if (before === undefined) delete env.PULUMI_DEBUG_PROVIDERS;
    else env.PULUMI_DEBUG_PROVIDERS = before;
  };
}

/** `up` on a stack already opened (its config set), with this program. */
export async function runUp(
  ctx: DriverContext,
  stack: Stack,
  program: PulumiFn,
  opts: OperationOptions & { plugin?: Promise<StartedPlugin | undefined> },
): Promise<Record<string, unknown>> {
  const stackName = stack.name;
  opts.onEvent({ type: "stack", stack: stackName, action: "up", sandbox: ctx.sandbox });
  const detach = attachPlugin(stack, await opts.plugin);
  const result = await withEngine(stackName, opts, (hooks) =>
    withoutReadBack(ctx, stack).up({ ...hooks, program }),
  ).finally(detach);
  const outputs = shownOutputs(result.outputs);
  opts.onEvent({ type: "outputs", outputs });
  return outputs;
}

/**
 * The stack as `up` sees it, minus the three Pulumi processes the Automation API runs after the
 * update (`stack output` masked and with secrets, `stack history` for a summary nobody reads): on
 * a file backend the outputs are read from the checkpoint the update just wrote, each secret (at
 * any depth) masked as the masked `stack output` would. Other backends keep the API's own reads.
 */
function withoutReadBack(ctx: DriverContext, stack: Stack): Stack {
  if (readFileCheckpoint(ctx, stack.name) === "not-a-file-backend") return stack;
  const view = Object.create(stack) as Stack;
  const outputs = async (): Promise<OutputMap> => {
    const checkpoint = readFileCheckpoint(ctx, stack.name);
    // none there (e.g. a gzipped checkpoint, PULUMI_SELF_MANAGED_STATE_GZIP): the API's own read
    if (typeof checkpoint !== "object") return stack.outputs();
    return stackOutputsOf(checkpoint);
  };
  Object.defineProperties(view, { outputs: { value: outputs }, info: { value: async () => undefined } });
  return view;
}

export async function preview(
  ctx: DriverContext,
  stackName: string,
  program: PulumiFn,
  opts: OperationOptions,
): Promise<Record<string, number>> {
  opts.onEvent({ type: "stack", stack: stackName, action: "preview", sandbox: ctx.sandbox });
  const stack = await stackFor(ctx, stackName, program);
  const result = await withEngine(stackName, opts, (hooks) => stack.preview({ ...hooks, diff: false }));
  const changes = Object.fromEntries(Object.entries(result.changeSummary).filter(([, n]) => (n ?? 0) > 0)) as Record<
    string,
    number
  >;
  return changes;
}

export async function refresh(
  ctx: DriverContext,
  stackName: string,
  program: PulumiFn,
  opts: OperationOptions,
): Promise<void> {
  opts.onEvent({ type: "stack", stack: stackName, action: "refresh", sandbox: ctx.sandbox });
  const stack = await stackFor(ctx, stackName, program);
  await withEngine(stackName, opts, (hooks) => stack.refresh({ ...hooks, clearPendingCreates: true }));
}

/** Destroys every resource of the stack, then removes the stack from the backend. */
export async function destroy(
  ctx: DriverContext,
  stackName: string,
  program: PulumiFn,
  opts: OperationOptions,
): Promise<void> {
  opts.onEvent({ type: "stack", stack: stackName, action: "destroy", sandbox: ctx.sandbox });
  const stack = await stackFor(ctx, stackName, program);
  await withEngine(stackName, opts, (hooks) => stack.destroy({ ...hooks }));
  opts.onEvent({ type: "stack", stack: stackName, action: "remove", sandbox: ctx.sandbox });
  await withEngine(stackName, opts, () => stack.workspace.removeStack(stackName));
}

export interface StackListing {
  name: string;
  lastUpdate?: string;
  updateInProgress: boolean;
  resourceCount: number;
}

export async function listStacks(ctx: DriverContext): Promise<StackListing[]> {
  const ws = await projectWorkspace(ctx);
  const stacks = await ws.listStacks();
  return stacks.map((s) => ({
    name: s.name,
    ...(s.lastUpdate ? { lastUpdate: s.lastUpdate } : {}),
    updateInProgress: s.updateInProgress ?? false,
    resourceCount: s.resourceCount ?? 0,
  }));
}
