// experiment(plan): the inline Pulumi program of one experiment, a plain async function that
// builds the resources from the spec's derived plan and returns its outputs. Training only, or
// training -> model -> endpoint config -> endpoint (+ TTL schedule).
import type { Plan } from "../spec/index.js";
import { shortHash } from "../spec/canonical.js";
import { SPEC_HASH_TAG } from "../providers/lifecycle.js";
import { parseS3Uri } from "../providers/s3-client.js";
import type { SourceBundle } from "../providers/source-bundle.js";
import type { BaseOutputs } from "../base/outputs.js";
import {
  buildTrainingSource,
  type ServingCode,
  servingCode,
  trainingSource,
  trainingSourceTarget,
} from "./experiment-sources.js";
import { Endpoint, EndpointConfig, HfTokenSecret, SageMakerModel, TrainingJob, TtlSchedule } from "./resources.js";

export interface ExperimentOptions {
  base: BaseOutputs;
  /** the checkout's payload/ folder */
  payloadDir: string;
  /** when the endpoint's TTL schedule deletes it (ISO, UTC); kept in the stack config */
  ttlExpiresAt?: string;
  /** the stack's HF token, hashed (program/providers/hf-token-secret.ts hfTokenHash): the value itself is never an input */
  hfTokenHash?: string;
  /** the training source bundle, built already (`up` stages it while the engine starts); else built here */
  source?: Promise<SourceBundle>;
  /** the serving code and its bundle, built already (`up` hashes them first); else built here */
  code?: Promise<ServingCode | undefined>;
}

export function consoleUrls(region: string, jobName: string, endpointName?: string): Record<string, string> {
  const home = `https://${region}.console.aws.amazon.com/sagemaker/home?region=${region}#`;
  return {
    trainingJob: `${home}/jobs/${jobName}`,
    ...(endpointName ? { endpoint: `${home}/endpoints/${endpointName}` } : {}),
  };
}

export function experiment(plan: Plan, opts: ExperimentOptions): () => Promise<Record<string, unknown>> {
  return async () => {
    const { spec, training, serving } = plan;
    // each object's spec-hash tag is the hash of its own inputs: a create that finds an object
    // under its deterministic name adopts it only when it was made from exactly these inputs
    const tagged = <T extends object>(inputs: T) => ({
      ...inputs,
      tags: { ...plan.tags, [SPEC_HASH_TAG]: shortHash(inputs, 16) },
    });
    const { dir: sourceDir, files: sourceFiles } = trainingSource(plan, opts.payloadDir);
    const source = await (opts.source ?? buildTrainingSource(plan, opts.payloadDir));
    const waitSlack = 3600;

    // the HF token lives in Secrets Manager; the job gets the secret's ARN (never the token)
    const secret =
      spec.hfToken && opts.hfTokenHash
        ? new HfTokenSecret("hf-token", tagged({ name: plan.names.hfTokenSecret, tokenHash: opts.hfTokenHash }))
        : undefined;

    const job = new TrainingJob("training-job", {
      ...tagged({
        name: training.jobName,
        roleArn: opts.base.executionRoleArn,
        image: training.imageUri,
        instanceType: training.instanceType,
        instanceCount: training.instanceCount,
        volumeSizeGb: 200,
        sourceDir,
        sourceFiles,
        sourceSha256: source.sha256,
        ...trainingSourceTarget(plan),
        entryPoint: "start.py",
        channels: training.channels,
        environment: training.environment,
        hyperparameters: training.hyperparameters,
        maxRuntimeSeconds: training.stoppingCondition.MaxRuntimeInSeconds,
        ...(training.stoppingCondition.MaxWaitTimeInSeconds
          ? {
              spot: {
                maxWaitSeconds: training.stoppingCondition.MaxWaitTimeInSeconds,
                checkpointS3Uri: `${training.outputS3Uri}checkpoints/`,
              },
            }
          : {}),
        metricDefinitions: training.metricDefinitions.map((m) => ({ Name: m.Name, Regex: m.Regex })),
        outputS3Uri: training.outputS3Uri,
        waitTimeoutSeconds:
          (training.stoppingCondition.MaxWaitTimeInSeconds ?? training.stoppingCondition.MaxRuntimeInSeconds) +
          waitSlack,
      }),
      // known only once the secret exists, so outside the job's spec-hash (its name depends on neither)
      ...(secret ? { hfTokenSecretArn: secret.arn } : {}),
    });

    const outputs: Record<string, unknown> = {
      // a teammate's `up` reuses it (the token itself is in Secrets Manager): program/driver/experiment-stack.ts
      ...(secret && opts.hfTokenHash ? { hfTokenHash: opts.hfTokenHash } : {}),
      trainingJobName: job.name,
      trainingJobStatus: job.status,
      billableSeconds: job.billableSeconds,
      modelS3Uri: job.modelS3Uri,
      sourceS3Uri: job.sourceS3Uri,
      specHash: plan.specHash,
      preset: spec.preset,
      // the grid this experiment is a cell of: `ls --grid` reads it from the state alone
      ...(spec.grid ? { grid: spec.grid } : {}),
      // what `ls` and `attach` need, readable from the state alone (program/driver/inventory.ts)
      watch: { trainingJob: training.jobName, ...(serving ? { endpoint: serving.endpointName } : {}), cost: plan.cost },
      consoleUrls: consoleUrls(spec.region, training.jobName, serving?.endpointName),
    };
    if (!serving) return outputs;

    const served = await (opts.code ?? servingCode(plan, opts.payloadDir));
    if (!served) throw new Error("servingCode gave no code for a plan with serving"); // a bug, never bad input
    const { files: codeFiles, bundle: code } = served;
    const { bucket, key } = parseS3Uri(serving.codeS3Prefix.replace(/\/+$/, ""));
    // names come from the plan (plain values, so they can be hashed); dependsOn orders the graph
    const model = new SageMakerModel(
      "model",
      tagged({
        name: serving.modelName,
        executionRoleArn: opts.base.executionRoleArn,
        image: serving.imageUri,
        code: { files: codeFiles, sha256: code.sha256, bucket, prefix: key },
        environment: {},
      }),
      { dependsOn: [job] },
    );
    const config = new EndpointConfig(
      "endpoint-config",
      tagged({
        name: serving.endpointConfigName,
        modelName: serving.modelName,
        instanceType: serving.instanceType,
        instanceCount: serving.instanceCount,
        variantName: "AllTraffic",
        healthCheckTimeoutSeconds: serving.healthCheckTimeoutSeconds,
        modelDownloadTimeoutSeconds: serving.healthCheckTimeoutSeconds,
      }),
      { dependsOn: [model] },
    );
    // the endpoint outlives config changes (UpdateEndpoint), so its hash covers its name alone
    const endpoint = new Endpoint(
      "endpoint",
      {
        ...tagged({ name: serving.endpointName }),
        configName: serving.endpointConfigName,
        // instance start-up, then the container's download and health check
        waitTimeoutSeconds: 900 + 2 * serving.healthCheckTimeoutSeconds,
      },
      { dependsOn: [config] },
    );
    outputs.modelName = model.name;
    outputs.endpointName = endpoint.name;
    outputs.endpointStatus = endpoint.status;
    outputs.endpointCreatedAt = endpoint.createdAt;
    if (opts.ttlExpiresAt) {
      const ttl = new TtlSchedule("endpoint-ttl", {
        name: serving.ttlScheduleName,
        endpointName: endpoint.name,
        expiresAt: opts.ttlExpiresAt,
        roleArn: opts.base.schedulerRoleArn,
      });
      outputs.ttlExpiresAt = ttl.expiresAt;
    }
    return outputs;
  };
}
