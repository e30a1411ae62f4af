// The spec module's public face: the TUI, the CLI and the Pulumi program import from here.
export {
  SPEC_VERSION,
  ZERO_STAGES,
  experimentSpecSchema,
  type ExperimentSpec,
  type ZeroStage,
  type Hyperparameters,
} from "./schema.js";
export { parseSpec, specToJson } from "./parse.js";
export {
  specFromPreset,
  specFromInput,
  applyOverrides,
  presetInput,
  OVERRIDE_FIELDS,
  type SpecOverrides,
} from "./overrides.js";
export { PRESETS, PRESET_NAMES, DEFAULT_BUCKET, DEFAULT_PREFIX, type Preset, type PresetName } from "./presets.js";
export { derivePlan, type Plan, type PlanOptions, type TrainingPlan, type ServingPlan } from "./derive.js";
export { resourceNames, fitName, isValidSageMakerName, type ResourceNames, type PayloadHashes } from "./names.js";
export { resourceTags, awsTagList, specHash, TAG_KEYS } from "./tags.js";
export { estimateCost, type CostEstimate, type CostOptions } from "./cost.js";
export { offlinePriceBook, priceLabel, type PriceBook } from "./prices.js";
export { parseSageMakerPriceList, type ListPrices } from "./price-list.js";
export { checkSpec, type Finding } from "./guards.js";
export { batchMath, deepspeedConfig, type DeepSpeedConfig, type BatchMath } from "./deepspeed.js";
export { launcherEnv } from "./launcher-env.js";
export { servingProperties } from "./serving-properties.js";
export { healthCheckTimeoutSeconds } from "./health-check.js";
export { hyperparameters } from "./hyperparameters.js";
export { stoppingCondition, metricDefinitions } from "./training-job-request.js";
export { trainingMemory, servingMemory } from "./memory.js";
export { formatPlan, formatPresets, formatCost, presetSummaries, type PresetSummary } from "./format.js";
export { parseDuration } from "./duration.js";
