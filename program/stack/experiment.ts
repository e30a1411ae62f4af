// experiment(spec): the inline Pulumi program of one experiment, a plain function that builds
// resources from derivations of the spec and returns its outputs.
import * as pulumi from "@pulumi/pulumi";
import type { BaseOutputs } from "./base-outputs.js";
import { SageMakerModel } from "./resources.js";
import { SPEC_HASH_TAG } from "../providers/lifecycle.js";
import { createHash } from "node:crypto";

/** The walking skeleton's spec; issue 4's ExperimentSpec replaces it. */
export interface SkeletonSpec {
  name: string;
  preset: string;
}

export function stackNameOf(spec: SkeletonSpec): string {
  return spec.name;
}

export function experiment(spec: SkeletonSpec, base: BaseOutputs): () => Promise<Record<string, unknown>> {
  return async () => {
    const specHash = createHash("sha256").update(JSON.stringify(spec)).digest("hex").slice(0, 12);
    const tags = {
      "zerostack:experiment": spec.name,
      "zerostack:stack": stackNameOf(spec),
      "zerostack:preset": spec.preset,
      [SPEC_HASH_TAG]: specHash,
    };
    const model = new SageMakerModel("model", {
      name: `${spec.name}-model-${specHash.slice(0, 8)}`,
      executionRoleArn: base.executionRoleArn,
      image: `763104351884.dkr.ecr.${base.region}.amazonaws.com/djl-inference:0.31.0-lmi13.0.0-cu124`,
      modelDataUrl: `s3://${base.bucket}/${spec.name}/serving/code.tar.gz`,
      environment: {},
      tags,
    });
    return {
      modelName: model.name,
      modelArn: model.arn,
      specHash: pulumi.output(specHash),
    };
  };
}
