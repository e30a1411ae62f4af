// Everything one spec implies, in one object: the Pulumi program, the plan screen and
// `zerostack plan` read this and never recompute a derivation themselves.
import { estimateCost, type CostEstimate } from "./cost.js";
import { batchMath, deepspeedConfig, type BatchMath, type DeepSpeedConfig } from "./deepspeed.js";
import { checkSpec, errorsOf, warningsOf, type Finding } from "./guards.js";
import { healthCheckTimeoutSeconds } from "./health-check.js";
import { DEEPSPEED_CONFIG_FILE, hyperparameters } from "./hyperparameters.js";
import { servingImageUri, trainingImageUri } from "./images.js";
import { launcherEnv } from "./launcher-env.js";
import type { PriceBook } from "./prices.js";
import { servingMemory, trainingMemory, type ServingMemory, type TrainingMemory } from "./memory.js";
import { resourceNames, type PayloadHashes, type ResourceNames } from "./names.js";
import type { ExperimentSpec } from "./schema.js";
import { servingProperties, type ServingProperties } from "./serving-properties.js";
import { resourceTags, specHash } from "./tags.js";
import {
  metricDefinitions,
  stoppingCondition,
  type MetricDefinition,
  type StoppingCondition,
} from "./training-job-request.js";

export interface TrainingPlan {
  jobName: string;
  imageUri: string;
  instanceType: string;
  instanceCount: number;
  hyperparameters: Record<string, string>;
  environment: Record<string, string>;
  deepspeedConfig: DeepSpeedConfig;
  /** Where in the source bundle the DeepSpeed JSON goes (the `deepspeed` hyperparameter). */
  deepspeedConfigFile: string;
  batch: BatchMath;
  stoppingCondition: StoppingCondition;
  metricDefinitions: MetricDefinition[];
  /** s3 prefixes of the `training` and `test` input channels. */
  channels: { training: string; test: string };
  outputS3Uri: string;
  modelS3Uri: string;
  memory: TrainingMemory;
}

export interface ServingPlan {
  modelName: string;
  endpointConfigName: string;
  endpointName: string;
  ttlScheduleName: string;
  imageUri: string;
  instanceType: string;
  instanceCount: number;
  servingProperties: ServingProperties;
  /** ContainerStartupHealthCheckTimeoutInSeconds and ModelDataDownloadTimeoutInSeconds. */
  healthCheckTimeoutSeconds: number;
  ttlSeconds: number;
  codeS3Prefix: string;
  memory: ServingMemory;
}

export interface Plan {
  spec: ExperimentSpec;
  specHash: string;
  names: ResourceNames;
  tags: Record<string, string>;
  training: TrainingPlan;
  /** null for a training-only experiment. */
  serving: ServingPlan | null;
  warnings: Finding[];
  /** Empty for a spec that came through parseSpec. */
  errors: Finding[];
  cost: CostEstimate;
}

export interface PlanOptions {
  trainingHours?: number;
  stackName?: string;
  /** hashes of payload/train and payload/serve, so that changed code gets new job and model names */
  payload?: PayloadHashes;
  /** List prices (program/providers/pricing.ts loadPriceBook); the offline table when absent. */
  prices?: PriceBook;
}

export function derivePlan(spec: ExperimentSpec, options: PlanOptions = {}): Plan {
  const names = resourceNames(spec, options.payload);
  const findings = checkSpec(spec);
  const training: TrainingPlan = {
    jobName: names.trainingJob,
    imageUri: trainingImageUri(spec.region, spec.training.image),
    instanceType: spec.training.instanceType,
    instanceCount: spec.training.nodes,
    hyperparameters: hyperparameters(spec),
    environment: launcherEnv(spec, names.modelS3Uri),
    deepspeedConfig: deepspeedConfig(spec),
    deepspeedConfigFile: DEEPSPEED_CONFIG_FILE,
    batch: batchMath(spec),
    stoppingCondition: stoppingCondition(spec),
    metricDefinitions: metricDefinitions(),
    channels: { training: spec.dataset.train, test: spec.dataset.test },
    outputS3Uri: names.outputS3Uri,
    modelS3Uri: names.modelS3Uri,
    memory: trainingMemory(spec),
  };
  const serving: ServingPlan | null = spec.serving.enabled
    ? {
        modelName: names.model,
        endpointConfigName: names.endpointConfig,
        endpointName: names.endpoint,
        ttlScheduleName: names.ttlSchedule,
        imageUri: servingImageUri(spec.region, spec.serving.image),
        instanceType: spec.serving.instanceType,
        instanceCount: spec.serving.instanceCount,
        servingProperties: servingProperties(spec, names.modelS3Uri),
        healthCheckTimeoutSeconds: healthCheckTimeoutSeconds(spec),
        ttlSeconds: spec.serving.ttlSeconds,
        codeS3Prefix: names.servingCodeS3Prefix,
        memory: servingMemory(spec),
      }
    : null;
  return {
    spec,
    specHash: specHash(spec),
    names,
    tags: resourceTags(spec, options.stackName ?? names.stack),
    training,
    serving,
    warnings: warningsOf(findings),
    errors: errorsOf(findings),
    cost: estimateCost(spec, {
      ...(options.trainingHours === undefined ? {} : { trainingHours: options.trainingHours }),
      ...(options.prices === undefined ? {} : { prices: options.prices }),
    }),
  };
}
