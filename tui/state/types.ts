// The TUI's whole state: one tree, changed only by the reducer. Components render it.
import type {
  Catalog,
  CompareResult,
  Choices,
  GenerationParams,
  GridExtras,
  GridPlanResult,
  GridRequest,
  PlanResult,
  SpecDocument,
  StackSummary,
} from "../../program/app/contract.js";
import type { ProgressEvent, ResourceOp, ResourceStatus } from "../../program/events.js";

export type Screen = "stacks" | "new" | "plan" | "run" | "invoke" | "teardown" | "compare";

export interface ErrorView {
  message: string;
  nextStep?: string;
}

export interface ResourceRow {
  urn: string;
  name: string;
  resourceType: string;
  op: ResourceOp;
  status: ResourceStatus;
  message?: string;
}

export interface Transition {
  status: string;
  secondaryStatus: string;
  /** ms since the epoch */
  at: number;
}

export interface LogLine {
  id: number;
  host: string;
  line: string;
}

export interface RunState {
  stack: string;
  action: "up" | "attach" | "preview" | "destroy";
  phase: "running" | "done" | "failed";
  startedAt: number;
  finishedAt?: number;
  resources: ResourceRow[];
  job?: string;
  timeline: Transition[];
  failureReason?: string;
  hosts: string[];
  /** The last lines of each host (bounded). */
  logs: Record<string, string[]>;
  selectedHost: number;
  /** What <Static> prints: grows, and starts over (new gen) on a host switch or when full. */
  feed: { gen: number; items: LogLine[] };
  nextLogId: number;
  /** Loss by step, bounded by halving the resolution when full. */
  loss: number[];
  lossStride: number;
  /** Loss points received, all of them. */
  lossPoints: number;
  endpoint?: { name: string; status: string; failureReason?: string };
  costUsd?: number;
  /** the plan's estimate: expected cost and its ceiling */
  estimate?: { expectedUsd: number; maxUsd: number };
  outputs?: Record<string, unknown>;
  changes?: Record<string, number>;
  diagnostics: string[];
  error?: ErrorView;
}

export interface FormState {
  choices: Choices | null;
  focus: number;
  rehearse: boolean;
  plan: PlanResult | null;
  /** the choices `plan` was made from: a plan of older choices (a key faster than the planner) is stale */
  plannedFrom?: Choices;
  /** the values an axis takes beyond its choice's own (`+` adds one): any makes the form a grid */
  extras: GridExtras;
  /** the grid's plan (its cells, bad cells, total cost); null when no axis has several values */
  grid: GridPlanResult | null;
  /** the extras `grid` was made from */
  plannedExtras?: GridExtras;
  /** Enter came while the plan of the choices on screen was still being made: it opens when it is */
  submitWhenPlanned?: boolean;
  notice?: string;
}

export interface InvokeState {
  stack: string;
  prompt: string;
  params: GenerationParams;
  focus: 0 | 1 | 2;
  phase: "idle" | "running" | "done" | "failed";
  answer?: string;
  latencyMs?: number;
  error?: ErrorView;
}

export interface TeardownState {
  stacks: string[];
  phase: "confirm" | "running" | "done" | "failed";
  /** Stacks gone so far. */
  removed: string[];
  error?: ErrorView;
}

export interface CompareState {
  stacks: string[];
  phase: "loading" | "ready" | "failed";
  result?: CompareResult;
  error?: ErrorView;
}

export type Command =
  | { id: number; kind: "list" }
  | { id: number; kind: "plan"; choices: Choices; extras?: GridExtras }
  | { id: number; kind: "preview-grid"; grid: string; request: GridRequest }
  | { id: number; kind: "up-grid"; grid: string; cells: string[]; request: GridRequest; rehearse: boolean }
  | { id: number; kind: "preview"; stack: string; spec: SpecDocument }
  | { id: number; kind: "up"; stack: string; spec: SpecDocument; rehearse: boolean }
  | { id: number; kind: "attach"; stack: string }
  | { id: number; kind: "detach"; stack: string }
  | { id: number; kind: "destroy"; stacks: string[] }
  | { id: number; kind: "invoke"; stack: string; prompt: string; params: GenerationParams }
  | { id: number; kind: "compare"; stacks: string[] }
  | { id: number; kind: "exit" };
export type CommandInput = Command extends infer C ? (C extends Command ? Omit<C, "id"> : never) : never;

export interface State {
  screen: Screen;
  help: boolean;
  sandbox: boolean;
  backend: "loading" | "ready" | "failed";
  backendError?: ErrorView;
  catalog: Catalog | null;
  now: number;
  stacks: { items: StackSummary[]; phase: "loading" | "ready" | "failed"; error?: ErrorView; selected: number };
  form: FormState;
  preview: RunState | null;
  runs: Record<string, RunState>;
  /** The stack the Run and Invoke screens show. */
  current?: string;
  invoke: InvokeState | null;
  teardown: TeardownState | null;
  /** Experiments marked (space) on the Stacks screen for Compare. */
  marked: string[];
  compare: CompareState | null;
  notice?: string;
  commands: Command[];
  nextCommandId: number;
}

export type RunTarget = "run" | "preview";

/** What keys produce. */
export type Intent =
  | { type: "move"; delta: number }
  | { type: "cycle"; delta: number }
  | { type: "text"; text: string }
  | { type: "erase" }
  | { type: "submit" }
  | { type: "confirm" }
  | { type: "back" }
  | { type: "help" }
  | { type: "open" }
  | { type: "create" }
  | { type: "destroy" }
  | { type: "destroy-finished" }
  | { type: "refresh" }
  | { type: "invoke" }
  | { type: "host"; delta: number }
  | { type: "toggle-rehearse" }
  | { type: "add-value" }
  | { type: "remove-value" }
  | { type: "mark" }
  | { type: "compare" }
  | { type: "quit" };

/** What the backend tells: results and events, delivered in batches on the shared tick. */
export type Report =
  | { type: "backend-ready"; sandbox: boolean; catalog: Catalog }
  | { type: "backend-failed"; problem: ErrorView }
  | { type: "stacks-loaded"; items: StackSummary[] }
  | { type: "stacks-failed"; problem: ErrorView }
  | { type: "planned"; result: PlanResult; choices: Choices; grid?: GridPlanResult; extras?: GridExtras }
  | { type: "events"; to: RunTarget; stack: string; events: ProgressEvent[] }
  | { type: "run-started"; to: RunTarget; stack: string; action: RunState["action"]; at: number }
  | { type: "run-finished"; to: RunTarget; stack: string; at: number; problem?: ErrorView }
  | { type: "invoked"; text: string; latencyMs: number }
  | { type: "invoke-failed"; problem: ErrorView }
  | { type: "removed"; stack: string }
  | { type: "compared"; result: CompareResult }
  | { type: "compare-failed"; problem: ErrorView }
  | { type: "teardown-finished"; problem?: ErrorView };

export type Action = Intent | Report | { type: "tick"; now: number } | { type: "batch"; actions: Action[] };
