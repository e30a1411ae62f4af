// What the TUI asks of the rest of zerostack. tui/ only renders state and sends intents; the
// implementation (program/app/backend.ts) drives Pulumi and AWS, and is loaded with a dynamic
// import after the first frame. Only types and one error class live here: nothing heavy.
import type { ProgressEvent } from "../events.js";
import type { CompareResult } from "./compare-table.js";

export type { ProgressEvent };
export type { CompareResult, CompareRow, LossPoint } from "./compare-table.js";
export type OnEvent = (event: ProgressEvent) => void;

/** The user's choices on the New experiment screen; the backend turns them into a spec. */
export interface Choices {
  preset: string;
  name: string;
  nodes: number;
  zero: string;
  trainInstance: string;
  serveInstance: string;
  backend: string;
  tp: number;
  epochs: number;
  learningRate: number;
  ttlSeconds: number;
  serving: boolean;
}
export type ChoiceKey = keyof Choices;

export interface PresetChoice {
  name: string;
  description: string;
  defaults: Choices;
}

/** Everything a choice may be set to, and the spec field each choice sets (guards name those). */
export interface Catalog {
  presets: PresetChoice[];
  options: {
    nodes: number[];
    zero: string[];
    trainInstance: string[];
    serveInstance: string[];
    backend: string[];
    tp: number[];
    epochs: number[];
    learningRate: number[];
    ttlSeconds: number[];
  };
  fields: Record<ChoiceKey, string>;
}

export interface PlanFinding {
  severity: "error" | "warning";
  /** Dotted spec field, e.g. `training.zero`. */
  field: string;
  message: string;
  fix?: string;
}

export interface CostSummary {
  totalUsd: number;
  maxTotalUsd: number;
  trainingUsdPerHour: number;
  servingUsdPerHour: number | null;
  estimated: boolean;
  /** Where the prices came from: "list price, 2026-12-01" or "offline table, 2025-01, estimated". */
  prices: string;
  spot: boolean;
}

/** An opaque, validated spec document: the TUI passes it back to preview and up unchanged. */
export interface SpecDocument {
  readonly name: string;
  readonly preset: string;
  readonly [key: string]: unknown;
}

export interface PlanResult {
  /** null while guard or schema errors remain: nothing can be previewed or created. */
  spec: SpecDocument | null;
  stack: string;
  findings: PlanFinding[];
  cost: CostSummary | null;
}

/** `expired`: past its TTL deadline; `endpoint-gone`: a refresh found the endpoint deleted outside zerostack. */
export type StackStatus = "updating" | "ready" | "failed" | "expired" | "endpoint-gone" | "empty" | "unknown";

export interface StackSummary {
  name: string;
  status: StackStatus;
  preset?: string;
  /** ISO time the experiment was created: its age counts from here. */
  createdAt?: string;
  /** ISO time of the last update. */
  updatedAt?: string;
  resourceCount: number;
  costUsd?: number;
  /** ISO time the endpoint's TTL schedule deletes it. */
  ttlExpiresAt?: string;
}

export interface GenerationParams {
  maxNewTokens: number;
  temperature: number;
}

export interface InvokeResult {
  text: string;
  latencyMs: number;
}

export interface UpOptions {
  /** Run the real payload locally in the sandbox instead of the simulated timeline. */
  rehearse: boolean;
}

export interface Backend {
  readonly sandbox: boolean;
  catalog(): Catalog;
  /** Pure: choices -> spec, guard findings and cost. Never touches AWS. */
  plan(choices: Choices): PlanResult;
  listStacks(): Promise<StackSummary[]>;
  /** Preview diff: resource events stream through onEvent; resolves with the change counts. */
  preview(spec: SpecDocument, onEvent: OnEvent, signal: AbortSignal): Promise<Record<string, number>>;
  up(spec: SpecDocument, options: UpOptions, onEvent: OnEvent, signal: AbortSignal): Promise<void>;
  /** Streams what an existing experiment is doing until the signal aborts. */
  attach(stack: string, onEvent: OnEvent, signal: AbortSignal): Promise<void>;
  invoke(stack: string, prompt: string, params: GenerationParams): Promise<InvokeResult>;
  /** Destroys every resource, then removes the stack. */
  destroy(stack: string, onEvent: OnEvent): Promise<void>;
  /** The experiments side by side: the axes that differ, losses, throughput, time, cost; loss series. */
  compare(stacks: string[]): Promise<CompareResult>;
}

/** Any thrown value as what the UI shows: a message and, where known, the next step. */
export function problemOf(error: unknown): { message: string; nextStep?: string } {
  if (error instanceof Error) {
    const nextStep = (error as { nextStep?: unknown }).nextStep;
    return typeof nextStep === "string" ? { message: error.message, nextStep } : { message: error.message };
  }
  return { message: String(error) };
}
