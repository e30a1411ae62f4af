// Runs the reducer's commands against the backend. Every result comes back as a report on the
// queue, in order, so the reducer sees `run-started`, the events, then `run-finished`.
import { problemOf, type Backend } from "../program/app/contract.js";
import type { Enqueue } from "./hooks/use-ticker.js";
import type { Command, RunTarget } from "./state/types.js";

export interface RunnerContext {
  backend: Backend | null;
  enqueue: Enqueue;
  /** One abort controller per attached or running stack ("preview" for the preview). */
  controllers: Map<string, AbortController>;
  exit: () => void;
  now?: () => number;
}

function track(ctx: RunnerContext, key: string): AbortSignal {
  ctx.controllers.get(key)?.abort();
  const controller = new AbortController();
  ctx.controllers.set(key, controller);
  return controller.signal;
}

async function operation(
  ctx: RunnerContext,
  to: RunTarget,
  stack: string,
  action: "up" | "attach" | "preview" | "destroy",
  work: (onEvent: Parameters<Backend["up"]>[2], signal: AbortSignal) => Promise<unknown>,
): Promise<boolean> {
  const now = ctx.now ?? Date.now;
  const key = to === "preview" ? "preview" : stack;
  const signal = track(ctx, key);
  ctx.enqueue({ type: "run-started", to, stack, action, at: now() });
  const onEvent = (event: Parameters<Parameters<Backend["up"]>[2]>[0]) =>
    ctx.enqueue({ type: "events", to, stack, events: [event] });
  try {
    const result = await work(onEvent, signal);
    if (to === "preview" && result && typeof result === "object")
      onEvent({ type: "summary", changes: result as Record<string, number> });
    ctx.enqueue({ type: "run-finished", to, stack, at: now() });
    return true;
  } catch (error) {
    // a detach aborts an attach on purpose: that is no failure
    if (action === "attach" && signal.aborted) return true;
    ctx.enqueue({ type: "run-finished", to, stack, at: now(), problem: problemOf(error) });
    return false;
  } finally {
    if (ctx.controllers.get(key)?.signal === signal) ctx.controllers.delete(key);
  }
}

async function destroyAll(ctx: RunnerContext, backend: Backend, stacks: string[]): Promise<void> {
  for (const stack of stacks) {
    let failure: unknown;
    const ok = await operation(ctx, "run", stack, "destroy", (onEvent) =>
      backend.destroy(stack, onEvent).catch((e: unknown) => {
        failure = e;
        throw e;
      }),
    );
    if (!ok) {
      ctx.enqueue({
        type: "teardown-finished",
        problem: { ...problemOf(failure), message: `${stack}: ${problemOf(failure).message}` },
      });
      return;
    }
    ctx.enqueue({ type: "removed", stack });
  }
  ctx.enqueue({ type: "teardown-finished" });
}

/**
 * A grid's up: one run per cell, fed by the events that carry the cell's stack; a `cell` event
 * finishes that cell's run. A failure before a cell ended (bad input, an interrupt) ends it too.
 */
async function upGrid(
  ctx: RunnerContext,
  backend: Backend,
  command: Extract<Command, { kind: "up-grid" }>,
): Promise<void> {
  const now = ctx.now ?? Date.now;
  const signal = track(ctx, `grid:${command.grid}`);
  const open = new Set(command.cells);
  for (const stack of command.cells) ctx.enqueue({ type: "run-started", to: "run", stack, action: "up", at: now() });
  const onEvent = (event: Parameters<Parameters<Backend["upGrid"]>[2]>[0]) => {
    const stack = event.stack;
    if (stack === undefined || !open.has(stack)) return;
    if (event.type === "cell") {
      open.delete(stack);
      ctx.enqueue({
        type: "run-finished",
        to: "run",
        stack,
        at: now(),
        ...(event.ok ? {} : { problem: { message: event.message ?? `exit ${event.exitCode}` } }),
      });
    } else ctx.enqueue({ type: "events", to: "run", stack, events: [event] });
  };
  try {
    await backend.upGrid(command.request, { rehearse: command.rehearse }, onEvent, signal);
    for (const stack of open) ctx.enqueue({ type: "run-finished", to: "run", stack, at: now() });
  } catch (error) {
    for (const stack of open)
      ctx.enqueue({ type: "run-finished", to: "run", stack, at: now(), problem: problemOf(error) });
  }
  if (ctx.controllers.get(`grid:${command.grid}`)?.signal === signal) ctx.controllers.delete(`grid:${command.grid}`);
  // the cells as the list shows them now
  carryOut({ id: 0, kind: "list" }, ctx);
}

export function carryOut(command: Command, ctx: RunnerContext): void {
  const { backend, enqueue } = ctx;
  if (command.kind === "exit") {
    for (const controller of ctx.controllers.values()) controller.abort();
    ctx.exit();
    return;
  }
  if (command.kind === "detach") {
    ctx.controllers.get(command.stack)?.abort();
    return;
  }
  // before the backend is loaded there is nothing to run; backend-ready lists the stacks anyway
  if (!backend) return;
  switch (command.kind) {
    case "list":
      backend.listStacks().then(
        (items) => enqueue({ type: "stacks-loaded", items }),
        (error: unknown) => enqueue({ type: "stacks-failed", problem: problemOf(error) }),
      );
      return;
    case "plan":
      try {
        const { choices, extras } = command;
        // a grid: its cells' plans as well (the form's own plan still marks its fields)
        const grid = extras ? backend.planGrid({ choices, extras }) : undefined;
        enqueue({
          type: "planned",
          result: backend.plan(choices),
          choices,
          ...(grid && extras ? { grid, extras } : {}),
        });
      } catch (error) {
        enqueue({
          type: "planned",
          choices: command.choices,
          result: {
            spec: null,
            stack: command.choices.name,
            findings: [{ severity: "error", field: "(spec)", message: problemOf(error).message }],
            cost: null,
          },
        });
      }
      return;
    case "preview":
      void operation(ctx, "preview", command.stack, "preview", (onEvent, signal) =>
        backend.preview(command.spec, onEvent, signal),
      );
      return;
    case "preview-grid":
      void operation(ctx, "preview", command.grid, "preview", (onEvent, signal) =>
        backend.previewGrid(command.request, onEvent, signal),
      );
      return;
    case "up-grid":
      void upGrid(ctx, backend, command);
      return;
    case "up":
      void operation(ctx, "run", command.stack, "up", (onEvent, signal) =>
        backend.up(command.spec, { rehearse: command.rehearse }, onEvent, signal),
      );
      return;
    case "attach":
      void operation(ctx, "run", command.stack, "attach", (onEvent, signal) =>
        backend.attach(command.stack, onEvent, signal),
      );
      return;
    case "destroy":
      void destroyAll(ctx, backend, command.stacks);
      return;
    case "compare":
      backend.compare(command.stacks).then(
        (result) => enqueue({ type: "compared", result }),
        (error: unknown) => enqueue({ type: "compare-failed", problem: problemOf(error) }),
      );
      return;
    case "invoke":
      backend.invoke(command.stack, command.prompt, command.params).then(
        (r) => enqueue({ type: "invoked", text: r.text, latencyMs: r.latencyMs }),
        (error: unknown) => enqueue({ type: "invoke-failed", problem: problemOf(error) }),
      );
      return;
  }
}
