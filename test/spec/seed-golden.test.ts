// The seed preset's plan reproduces the values SEED.md lists for the hand-driven recipe.
import { describe, expect, it } from "vitest";
import { derivePlan, specFromPreset } from "../../program/spec/index.js";

const plan = derivePlan(specFromPreset("seed"));

describe("seed preset (SEED.md)", () => {
  it("trains Flan-T5-XXL on 2 x ml.p4d.24xlarge with ZeRO-3 bf16 at lr 1e-4", () => {
    expect(plan.spec.model.id).toBe("google/flan-t5-xxl");
    expect(plan.training.instanceType).toBe("ml.p4d.24xlarge");
    expect(plan.training.instanceCount).toBe(2);
    expect(plan.spec.training.zero).toBe("3");
    expect(plan.training.hyperparameters.learning_rate).toBe("0.0001");
    expect(plan.training.hyperparameters.gradient_checkpointing).toBe("true");
    expect(plan.training.hyperparameters.save_on_each_node).toBe("true");
    expect(plan.training.hyperparameters.load_best_model_at_end).toBe("false");
    expect(plan.training.hyperparameters.output_dir).toMatch(/^\/tmp\//);
  });

  it("writes the seed's DeepSpeed config", () => {
    const ds = plan.training.deepspeedConfig;
    expect(ds.bf16).toEqual({ enabled: "auto" });
    expect(ds.optimizer.type).toBe("AdamW");
    expect(ds.scheduler?.type).toBe("WarmupLR");
    expect(ds.zero_optimization).toMatchObject({
      stage: 3,
      overlap_comm: true,
      contiguous_gradients: true,
      stage3_gather_16bit_weights_on_model_save: true,
    });
    expect(ds.train_batch_size).toBe("auto");
    expect(plan.training.batch.worldSize).toBe(16);
  });

  it("sets the seed's launcher environment with EFA", () => {
    expect(plan.training.environment).toMatchObject({
      NODE_NUMBER: "2",
      FI_PROVIDER: "efa",
      NCCL_PROTO: "simple",
      FI_EFA_USE_DEVICE_RDMA: "1",
      NCCL_DEBUG: "INFO",
    });
    expect(plan.training.environment.MODEL_S3_PATH).toMatch(/^s3:\/\/.+\/$/);
    expect(plan.training.environment.MODEL_S3_PATH).toBe(plan.training.modelS3Uri);
  });

  it("serves with Accelerate (engine=Python), TP 8 on ml.g5.48xlarge, s3url with trailing '/'", () => {
    const serving = plan.serving;
    expect(serving).not.toBeNull();
    expect(serving?.instanceType).toBe("ml.g5.48xlarge");
    expect(serving?.servingProperties.record).toMatchObject({
      engine: "Python",
      "option.tensor_parallel_degree": "8",
      "option.dtype": "bf16",
    });
    expect(serving?.servingProperties.record["option.s3url"]).toBe(plan.training.modelS3Uri);
    expect(serving?.servingProperties.record["option.s3url"]).toMatch(/\/$/);
    // The seed's DJL 0.21.0 DeepSpeed image as the SageMaker SDK's catalog lists it (the 2023 sample
    // named 0.21.0-deepspeed0.8.0-cu117, which the catalog does not carry).
    expect(serving?.imageUri).toBe(
      "763104351884.dkr.ecr.us-east-1.amazonaws.com/djl-inference:0.21.0-deepspeed0.8.3-cu117",
    );
  });

  it("waits about 2400 s for the container health check", () => {
    expect(serving()).toBeGreaterThanOrEqual(2200);
    expect(serving()).toBeLessThanOrEqual(2600);
    function serving() {
      return plan.serving?.healthCheckTimeoutSeconds ?? 0;
    }
  });

  it("has no errors and no ZeRO-2 warning; ZeRO-2 would warn", () => {
    expect(plan.errors).toEqual([]);
    expect(plan.warnings.map((w) => w.field)).not.toContain("training.zero");
    const zero2 = derivePlan(specFromPreset("seed", { zero: "2" }));
    expect(zero2.warnings.map((w) => w.field)).toContain("training.zero");
  });
});
