// A fixture-driven backend for the TUI tests only (the real one is program/app/backend.ts), and
// the event scripts the screens are rendered from.
import { compareResult, rowFromEvents } from "../../program/app/compare-table.js";
import type { Backend, Catalog, Choices, PlanResult, StackSummary } from "../../program/app/contract.js";
import { planGridChoices } from "../../program/app/grid-choices.js";
import type { ProgressEvent } from "../../program/events.js";

export const T0 = Date.parse("2025-06-01T12:00:00Z");
const at = (s: number) => new Date(T0 + s * 1000).toISOString();

const seed: Choices = {
  preset: "seed",
  name: "seed",
  nodes: 2,
  zero: "3",
  trainInstance: "ml.p4d.24xlarge",
  serveInstance: "ml.g5.48xlarge",
  backend: "accelerate",
  tp: 8,
  epochs: 1,
  learningRate: 1e-4,
  ttlSeconds: 3 * 3600,
  serving: true,
};
const tiny: Choices = {
  ...seed,
  preset: "tiny",
  name: "tiny",
  trainInstance: "ml.g5.2xlarge",
  serveInstance: "ml.g5.xlarge",
  tp: 1,
  ttlSeconds: 1800,
};
const GPUS: Record<string, number> = { "ml.g5.xlarge": 1, "ml.g5.12xlarge": 4, "ml.g5.48xlarge": 8 };

export const catalog: Catalog = {
  presets: [
    { name: "seed", description: "Flan-T5-XXL on 2 x p4d", defaults: seed },
    { name: "tiny", description: "tiny T5 for the sandbox", defaults: tiny },
  ],
  options: {
    nodes: [1, 2, 4],
    zero: ["2", "3", "3-offload"],
    trainInstance: ["ml.g5.2xlarge", "ml.p4d.24xlarge"],
    serveInstance: ["ml.g5.xlarge", "ml.g5.12xlarge", "ml.g5.48xlarge"],
    backend: ["accelerate", "vllm"],
    tp: [1, 2, 4, 8],
    epochs: [1, 2, 3],
    learningRate: [1e-5, 1e-4],
    ttlSeconds: [1800, 3600, 3 * 3600],
  },
  fields: {
    preset: "preset",
    name: "name",
    nodes: "training.nodes",
    zero: "training.zero",
    trainInstance: "training.instanceType",
    serveInstance: "serving.instanceType",
    backend: "serving.backend",
    tp: "serving.tensorParallelDegree",
    epochs: "training.hyperparameters.epochs",
    learningRate: "training.hyperparameters.learningRate",
    ttlSeconds: "serving.ttlSeconds",
    serving: "serving.enabled",
  },
};

/**
 * Guards like the real ones: TP must divide the GPUs (error), vLLM serves no seq2seq model (error),
 * ZeRO-2 on several nodes (warning).
 */
export function fakePlan(c: Choices): PlanResult {
  const findings: PlanResult["findings"] = [];
  const gpus = GPUS[c.serveInstance] ?? 1;
  if (c.serving && (c.tp > gpus || gpus % c.tp !== 0))
    findings.push({
      severity: "error",
      field: "serving.tensorParallelDegree",
      message: `tensor parallel degree ${c.tp} must divide the ${gpus} GPUs of ${c.serveInstance}`,
      fix: `use --tp ${gpus}`,
    });
  // as the real guard: vLLM serves causal LMs only, and these presets are T5 (seq2seq)
  if (c.serving && c.backend === "vllm")
    findings.push({
      severity: "error",
      field: "serving.backend",
      message: `vllm does not serve seq2seq models such as google/flan-t5-${c.preset === "tiny" ? "small" : "xxl"}`,
      fix: "use --backend accelerate",
    });
  if (c.zero === "2" && c.nodes > 1)
    findings.push({
      severity: "warning",
      field: "training.zero",
      message: `ZeRO-2 across ${c.nodes} nodes can hang until the NCCL timeout`,
      fix: "use --zero 3",
    });
  const errors = findings.some((f) => f.severity === "error");
  const trainingUsdPerHour = c.nodes * (c.trainInstance === "ml.p4d.24xlarge" ? 37.69 : 1.52);
  return {
    spec: errors ? null : { name: c.name, preset: c.preset, choices: c },
    stack: c.name,
    findings,
    cost: {
      totalUsd: Math.round(trainingUsdPerHour * 2 * 100) / 100,
      maxTotalUsd: trainingUsdPerHour * 24,
      trainingUsdPerHour,
      servingUsdPerHour: c.serving ? 1.41 : null,
      estimated: false,
      prices: "list price, 2026-12-01",
      spot: false,
    },
  };
}

export const stacks: StackSummary[] = [
  {
    name: "seed-run",
    status: "ready",
    preset: "seed",
    updatedAt: at(-3600),
    resourceCount: 6,
    costUsd: 151.2,
    ttlExpiresAt: at(2 * 3600),
  },
  { name: "tiny", status: "failed", preset: "tiny", updatedAt: at(-600), resourceCount: 2 },
  { name: "busy", status: "updating", preset: "tiny", updatedAt: at(-60), resourceCount: 1 },
];

const res = (
  name: string,
  type: string,
  status: "running" | "done" | "failed",
  message?: string,
): Extract<ProgressEvent, { type: "resource" }> => ({
  type: "resource",
  urn: `urn:pulumi:x::zerostack::${type}::${name}`,
  resourceType: type,
  name,
  op: "create",
  status,
  ...(message ? { message } : {}),
});

/** A long run: resources, a full training timeline, two hosts with many lines each, many loss points. */
export function longRun(lines = 400, points = 1500): ProgressEvent[] {
  const events: ProgressEvent[] = [
    { type: "stack", stack: "seed-run", action: "up", sandbox: true },
    res("training-job", "zerostack:sagemaker:TrainingJob", "running"),
  ];
  const statuses: [string, string, number][] = [
    ["InProgress", "Starting", 0],
    ["InProgress", "Downloading", 120],
    ["InProgress", "Training", 300],
  ];
  for (const [status, secondaryStatus, s] of statuses)
    events.push({ type: "training", job: "seed-run-train", status, secondaryStatus, at: at(s) });
  for (let i = 0; i < lines; i++) {
    events.push({
      type: "log",
      host: "algo-1",
      line: `algo-1 step ${i} loss ${(2 - i / lines).toFixed(3)}`,
      at: at(300 + i),
    });
    events.push({ type: "log", host: "algo-2", line: `algo-2 step ${i} nccl ok`, at: at(300 + i) });
  }
  for (let i = 0; i < points; i++)
    events.push({ type: "metric", name: "loss", value: 2.5 * Math.exp(-i / 400) + 0.1, step: i * 10 });
  events.push({ type: "cost", usd: 42.5, at: at(900) });
  events.push({ type: "endpoint", endpoint: "seed-run-ep", status: "Creating", at: at(950) });
  return events;
}

export const failedJob: ProgressEvent[] = [
  res("training-job", "zerostack:sagemaker:TrainingJob", "running"),
  { type: "training", job: "tiny-train", status: "InProgress", secondaryStatus: "Training", at: at(0) },
  { type: "log", host: "algo-1", line: "RuntimeError: CUDA out of memory", at: at(50) },
  {
    type: "training",
    job: "tiny-train",
    status: "Failed",
    secondaryStatus: "Failed",
    at: at(60),
    failureReason: "AlgorithmError: CUDA out of memory (exit code 1)",
  } as ProgressEvent,
  res("training-job", "zerostack:sagemaker:TrainingJob", "failed", "training job failed: AlgorithmError"),
];

export const failedEndpoint: ProgressEvent[] = [
  res("endpoint", "zerostack:sagemaker:Endpoint", "running"),
  { type: "endpoint", endpoint: "tiny-ep", status: "Creating", at: at(0) },
  {
    type: "endpoint",
    endpoint: "tiny-ep",
    status: "Failed",
    failureReason: "The primary container for production variant AllTraffic did not pass the ping health check.",
    at: at(600),
  },
  res("endpoint", "zerostack:sagemaker:Endpoint", "failed", "endpoint Failed"),
];

export interface FakeCalls {
  up: { rehearse: boolean; stack: string }[];
  destroyed: string[];
  invoked: { prompt: string; maxNewTokens: number; temperature: number }[];
  attached: string[];
  aborted: string[];
  compared: string[][];
  /** each grid up: its cells and the rehearse toggle */
  upGrid: { rehearse: boolean; cells: string[] }[];
  previewedGrids: string[][];
}

export interface FakeOptions {
  stacks?: StackSummary[];
  attach?: Record<string, ProgressEvent[]>;
  upEvents?: ProgressEvent[];
  upError?: Error;
  /** Called on attach to emit events over time (until the signal aborts). */
  stream?: (onEvent: (e: ProgressEvent) => void, signal: AbortSignal) => void;
}

/** Emits the scripts synchronously (a burst), then resolves; attach waits for its abort. */
export function fakeBackend(options: FakeOptions = {}): { backend: Backend; calls: FakeCalls } {
  const calls: FakeCalls = {
    up: [],
    destroyed: [],
    invoked: [],
    attached: [],
    aborted: [],
    compared: [],
    upGrid: [],
    previewedGrids: [],
  };
  // the real grid expansion over the fake planner, on a 2-core machine (a rehearsal: one cell at a time)
  const planGrid: Backend["planGrid"] = (request) => planGridChoices(request, fakePlan, 2).result;
  let list = [...(options.stacks ?? stacks)];
  const backend: Backend = {
    sandbox: true,
    catalog: () => catalog,
    plan: fakePlan,
    planGrid,
    async previewGrid(request, onEvent) {
      const cells = planGrid(request).cells.map((c) => c.stack);
      calls.previewedGrids.push(cells);
      for (const stack of cells) {
        onEvent({ ...res("training-job", "zerostack:sagemaker:TrainingJob", "done"), urn: `urn:${stack}`, stack });
        onEvent({ ...res("endpoint", "zerostack:sagemaker:Endpoint", "done"), urn: `urn:${stack}:ep`, stack });
      }
      return { create: 2 * cells.length };
    },
    async upGrid(request, opts, onEvent) {
      const cells = planGrid(request).cells.map((c) => c.stack);
      calls.upGrid.push({ rehearse: opts.rehearse, cells });
      for (const stack of cells) {
        for (const e of options.upEvents ?? []) onEvent({ ...e, stack });
        onEvent({ type: "cell", grid: request.choices.name, stack, ok: true, exitCode: 0 });
      }
    },
    listStacks: async () => list,
    async preview(_spec, onEvent) {
      onEvent(res("training-job", "zerostack:sagemaker:TrainingJob", "done"));
      onEvent(res("endpoint", "zerostack:sagemaker:Endpoint", "done"));
      return { create: 2 };
    },
    async up(spec, opts, onEvent) {
      calls.up.push({ rehearse: opts.rehearse, stack: spec.name });
      for (const e of options.upEvents ?? []) onEvent(e);
      if (options.upError) throw options.upError;
    },
    attach(stack, onEvent, signal) {
      calls.attached.push(stack);
      for (const e of options.attach?.[stack] ?? []) onEvent(e);
      options.stream?.(onEvent, signal);
      return new Promise((resolve) => {
        const stop = () => {
          calls.aborted.push(stack);
          resolve();
        };
        signal.addEventListener("abort", stop, { once: true });
      });
    },
    async invoke(_stack, prompt, params) {
      calls.invoked.push({ prompt, ...params });
      return { text: `echo: ${prompt}`, latencyMs: 42 };
    },
    async compare(names) {
      calls.compared.push(names);
      // each experiment's row from its event script, as `compare` derives it from a job's record and log
      return compareResult(
        names.map((name, i) =>
          rowFromEvents(name, options.attach?.[name] ?? [], {
            axes: { zero: i % 2 === 0 ? "2" : "3", nodes: "2", backend: "accelerate" },
            status: list.find((s) => s.name === name)?.status ?? "unknown",
            costUsd: 1.5 * (i + 1),
          }),
        ),
      );
    },
    async destroy(stack, onEvent) {
      onEvent({ ...res("endpoint", "zerostack:sagemaker:Endpoint", "done"), op: "delete" });
      calls.destroyed.push(stack);
      list = list.filter((s) => s.name !== stack);
    },
  };
  return { backend, calls };
}
