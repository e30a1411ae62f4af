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

/** The choices that may take several values on the New experiment screen: the grid's axes (`up --zero 2,3`). */
export const GRID_CHOICES = ["zero", "nodes", "backend", "trainInstance", "learningRate", "epochs"] as const;
export type GridChoiceKey = (typeof GRID_CHOICES)[number];

/** The values an axis takes beyond its choice's own: any set makes the choices a grid. */
export type GridExtras = { [K in GridChoiceKey]?: Array<Choices[K]> };

/** A grid as the form chose it: the TUI passes it back to preview and up unchanged. */
export interface GridRequest {
  choices: Choices;
  extras: GridExtras;
}

export interface GridCellPlan {
  /** the cell's experiment (and stack) name: `<name>-z3-n2` */
  stack: string;
  /** the value of each varying axis, as the CLI's flags spell it */
  values: Record<string, string>;
  plan: PlanResult;
}

export interface GridPlanResult {
  /** the grid's name: the experiment name its cells extend */
  name: string;
  /** `ZeRO 2,3 × nodes 1,2` */
  axes: Array<{ label: string; values: string[] }>;
  cells: GridCellPlan[];
  /** every error of every cell, named `<cell>: <field>`; nothing is created while any remains */
  problems: PlanFinding[];
  /** the total over the cells; null while a cell has no cost (its spec has errors) */
  expectedUsd: number | null;
  maxUsd: number | null;
  /** cells run at once */
  parallel: number;
  /** with rehearse on: cells at once, and why fewer (a machine short of cores) */
  rehearsal: { parallel: number; note?: string };
}

export interface Backend {
  readonly sandbox: boolean;
  catalog(): Catalog;
  /** Pure: choices -> spec, guard findings and cost. Never touches AWS. */
  plan(choices: Choices): PlanResult;
  listStacks(): Promise<StackSummary[]>;
  /** Pure: a grid's cells (one plan each), its bad cells and its total cost. Never touches AWS. */
  planGrid(request: GridRequest): GridPlanResult;
  /** Previews every cell (events carry the cell's stack); resolves with the change counts of all. */
  previewGrid(request: GridRequest, onEvent: OnEvent, signal: AbortSignal): Promise<Record<string, number>>;
  /** Creates every cell, each in its own stack; `cell` events say how each ended; throws naming failed cells. */
  upGrid(request: GridRequest, options: UpOptions, onEvent: OnEvent, signal: AbortSignal): Promise<void>;
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
