import { describe, expect, it } from "vitest";
import { batchMath, deepspeedConfig, trainingMemory } from "../../program/spec/index.js";
import { specWith } from "./helpers.js";

describe("deepspeedConfig", () => {
  it("leaves the scheduler to the Trainer without warm-up steps (DeepSpeed >= 0.18 refuses WarmupLR with 0)", () => {
    const none = deepspeedConfig(specWith((s) => (s.training.hyperparameters.warmupSteps = 0)));
    expect(none.scheduler).toBeUndefined();
    expect(deepspeedConfig(specWith((s) => (s.training.hyperparameters.warmupSteps = 2))).scheduler?.type).toBe(
      "WarmupLR",
    );
  });

  it("stage 3 gathers 16-bit weights on save and leaves HF-known values to the Trainer", () => {
    const ds = deepspeedConfig(specWith());
    expect(ds.bf16).toEqual({ enabled: "auto" });
    expect(ds.fp16).toBeUndefined();
    expect(ds.optimizer).toEqual({
      type: "AdamW",
      params: { lr: "auto", betas: "auto", eps: "auto", weight_decay: "auto" },
    });
    expect(ds.scheduler?.type).toBe("WarmupLR");
    expect(Object.values(ds.scheduler!.params).every((v) => v === "auto")).toBe(true);
    expect(ds.zero_optimization).toMatchObject({
      stage: 3,
      overlap_comm: true,
      contiguous_gradients: true,
      reduce_bucket_size: "auto",
      stage3_prefetch_bucket_size: "auto",
      stage3_param_persistence_threshold: "auto",
      stage3_gather_16bit_weights_on_model_save: true,
    });
    expect(ds.zero_optimization.offload_optimizer).toBeUndefined();
    for (const key of [
      "train_batch_size",
      "train_micro_batch_size_per_gpu",
      "gradient_accumulation_steps",
      "gradient_clipping",
    ] as const) {
      expect(ds[key]).toBe("auto");
    }
  });

  it("stage 2 has no stage-3 keys", () => {
    const zero = deepspeedConfig(specWith((s) => (s.training.zero = "2"))).zero_optimization;
    expect(zero.stage).toBe(2);
    expect(zero.overlap_comm).toBe(true);
    expect(zero.contiguous_gradients).toBe(true);
    expect(Object.keys(zero).filter((k) => k.startsWith("stage3"))).toEqual([]);
  });

  it("stage 3 makes each transformer block one hooked leaf (a tenth of a block's params); offload keeps DeepSpeed's hooks", () => {
    const t5xl = specWith((s) => (s.training.zero = "3"), "flan-t5-xl");
    const threshold = deepspeedConfig(t5xl).zero_optimization.stage3_module_granularity_threshold ?? 0;
    // flan-t5-xl (d_model 2048, d_ff 5120 gated, 32 heads x 64): a decoder block holds 2 attentions
    // (4 x 2048^2 each) and the gated FFN (3 x 2048 x 5120) over 22 counted layers; an encoder block
    // 1 attention + FFN over 15. DeepSpeed makes a module a leaf when params / layers <= threshold.
    const decoderBlock = (2 * 4 * 2048 * 2048 + 3 * 2048 * 5120) / 22;
    const encoderBlock = (4 * 2048 * 2048 + 3 * 2048 * 5120) / 15;
    expect(threshold).toBeGreaterThanOrEqual(Math.max(decoderBlock, encoderBlock));
    // what the H200 run used (bench/RESULTS.md): 5e6 gives the same leaves
    expect(threshold).toBeGreaterThanOrEqual(5e6);
    const offload = specWith((s) => (s.training.zero = "3-offload"), "flan-t5-xl");
    expect(deepspeedConfig(offload).zero_optimization.stage3_module_granularity_threshold).toBeUndefined();
    // the tiny model's stacks are under DeepSpeed's 1e9 leaf limit: each would become one leaf whole
    const tiny = specWith((s) => (s.training.zero = "3"), "tiny");
    expect(deepspeedConfig(tiny).zero_optimization.stage3_module_granularity_threshold).toBeUndefined();
  });

  it("stage 2 takes 5e8 buckets where they fit beside everything else, DeepSpeed's auto where they do not", () => {
    const onH100s = specWith((s) => {
      s.training.zero = "2";
      s.training.instanceType = "ml.p5.48xlarge";
    }, "flan-t5-xl");
    expect(deepspeedConfig(onH100s).zero_optimization).toMatchObject({
      reduce_bucket_size: 5e8,
      allgather_bucket_size: 5e8,
    });
    // 4 x A10G (24 GiB): overlap_comm's 4.5 x both buckets in 16-bit is 9 GB more per GPU
    const onA10Gs = specWith((s) => {
      s.training.zero = "2";
      s.training.instanceType = "ml.g5.12xlarge";
      s.training.hyperparameters.perDeviceTrainBatchSize = 1;
    }, "flan-t5-xl");
    expect(trainingMemory(onA10Gs).fits).toBe(true);
    expect(deepspeedConfig(onA10Gs).zero_optimization).toMatchObject({
      reduce_bucket_size: "auto",
      allgather_bucket_size: 2e8,
    });
  });

  it("3-offload puts optimizer and params on the CPU", () => {
    const zero = deepspeedConfig(specWith((s) => (s.training.zero = "3-offload"))).zero_optimization;
    expect(zero.stage).toBe(3);
    expect(zero.offload_optimizer).toEqual({ device: "cpu", pin_memory: true });
    expect(zero.offload_param).toEqual({ device: "cpu", pin_memory: true });
  });

  it("fp16 training gets dynamic loss scaling instead of bf16", () => {
    const ds = deepspeedConfig(specWith((s) => (s.training.precision = "fp16")));
    expect(ds.bf16).toBeUndefined();
    expect(ds.fp16).toMatchObject({ enabled: "auto", loss_scale: 0 });
  });

  it("is JSON (no functions, no undefined left behind in the stage-3 block)", () => {
    const ds = deepspeedConfig(specWith());
    expect(JSON.parse(JSON.stringify(ds))).toEqual(ds);
  });
});

describe("batchMath", () => {
  it("global batch = micro x GPUs/node x nodes x grad-accum", () => {
    const m = batchMath(
      specWith((s) => {
        s.training.hyperparameters.perDeviceTrainBatchSize = 4;
        s.training.hyperparameters.gradientAccumulationSteps = 3;
        s.training.nodes = 4;
      }),
    );
    expect(m).toEqual({
      microBatchPerGpu: 4,
      gpusPerNode: 8,
      nodes: 4,
      worldSize: 32,
      gradientAccumulationSteps: 3,
      globalBatch: 384,
    });
  });

  it("uses the instance's GPU count", () => {
    expect(batchMath(specWith((s) => (s.training.instanceType = "ml.g5.12xlarge"))).gpusPerNode).toBe(4);
  });
});
