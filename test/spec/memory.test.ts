import { describe, expect, it } from "vitest";
import { servingMemory, trainingMemory } from "../../program/spec/index.js";
import { largestLayerParams, GIB } from "../../program/spec/memory.js";
import { specFromPreset } from "../../program/spec/overrides.js";
import { specWith } from "./helpers.js";

const PSI = 11_135_332_352;

describe("trainingMemory", () => {
  it("ZeRO-3 partitions params, grads and optimizer states over all GPUs (16 bytes/param + a sub-group's fp32 grads)", () => {
    const m = trainingMemory(specWith());
    const n = 16;
    expect(m.perGpu.params).toBeCloseTo((2 * PSI) / n, 0);
    expect(m.perGpu.grads).toBeCloseTo((2 * PSI) / n, 0);
    expect(m.perGpu.optimizer).toBeCloseTo((12 * PSI) / n, 0);
    expect(m.perGpu.buffers).toBeCloseTo(
      4 * Math.min(1e9, PSI / n) + 2 * largestLayerParams(specWith().model.sizes),
      0,
    );
    expect(m.fits).toBe(true);
  });

  it("ZeRO-2 keeps the full 16-bit params on every GPU", () => {
    const m = trainingMemory(specWith((s) => (s.training.zero = "2")));
    expect(m.perGpu.params).toBe(2 * PSI);
    expect(m.perGpu.optimizer).toBeCloseTo((12 * PSI) / 16, 0);
    // The seed's ZeRO-2 run was "nearly full" on 40 GB A100s without an OOM.
    expect(m.gpuFraction).toBeGreaterThan(0.8);
    expect(m.gpuFraction).toBeLessThan(1);
  });

  it("more nodes means less per GPU under ZeRO-3", () => {
    const two = trainingMemory(specWith()).perGpu.total;
    const four = trainingMemory(specWith((s) => (s.training.nodes = 4))).perGpu.total;
    expect(four).toBeLessThan(two);
  });

  it("3-offload moves model states to host memory", () => {
    const m = trainingMemory(specWith((s) => (s.training.zero = "3-offload")));
    expect(m.perGpu.params + m.perGpu.grads + m.perGpu.optimizer).toBe(0);
    expect(m.hostBytesPerNode).toBeCloseTo(((18 * PSI) / 2) * 1.5, 0);
  });

  it("gradient checkpointing shrinks activations", () => {
    const on = trainingMemory(specWith()).perGpu.activations;
    const off = trainingMemory(specWith((s) => (s.training.hyperparameters.gradientCheckpointing = false))).perGpu
      .activations;
    expect(off).toBeGreaterThan(3 * on);
  });

  it("an 11B model does not fit one A10G node under ZeRO-2", () => {
    expect(
      trainingMemory(
        specWith((s) => {
          s.training.zero = "2";
          s.training.instanceType = "ml.g5.12xlarge";
          s.training.nodes = 1;
        }),
      ).fits,
    ).toBe(false);
  });
});

describe("servingMemory", () => {
  it("weights per GPU = 2 bytes x params / tp", () => {
    const m = servingMemory(specWith());
    expect(m.perGpu.weights).toBeCloseTo((2 * PSI) / 8, 0);
    expect(m.fits).toBe(true);
  });

  it("the whole 11B model on one 24 GiB GPU is nearly full, and does not fit with a batch", () => {
    const m = servingMemory(
      specWith((s) => {
        s.serving.instanceType = "ml.g5.2xlarge";
        s.serving.tensorParallelDegree = 1;
      }),
    );
    expect(m.perGpu.weights / GIB).toBeGreaterThan(20);
    expect(m.gpuFraction).toBeGreaterThan(0.9);
    const batched = servingMemory(
      specWith((s) => {
        s.serving.instanceType = "ml.g5.2xlarge";
        s.serving.tensorParallelDegree = 1;
        s.serving.maxRollingBatchSize = 8;
      }),
    );
    expect(batched.fits).toBe(false);
  });

  it("a larger rolling batch reserves more KV cache", () => {
    const small = servingMemory(specWith((s) => (s.serving.maxRollingBatchSize = 8), "llama-3.1-8b")).perGpu.kvCache;
    const big = servingMemory(specWith((s) => (s.serving.maxRollingBatchSize = 64), "llama-3.1-8b")).perGpu.kvCache;
    expect(big).toBeCloseTo(small * 8, 0);
  });

  // bench/RESULTS.md (issue 14): one H200, DeepSpeed 0.19.8, bf16, peak torch.cuda.max_memory_allocated.
  const h200 = {
    gpus: 1,
    gpuModel: "H200",
    gpuMemoryGiB: 140.4,
    hostMemoryGiB: 125,
    efa: false,
    gpuDirectRdma: false,
    bf16: true,
    gpuSource: "ec2-spec-page" as const,
  };
  const measured: Array<[string, "flan-t5-xl" | "llama-3.1-8b", "2" | "3" | "3-offload", number, boolean, number]> = [
    ["flan-t5-xl ZeRO-2", "flan-t5-xl", "2", 16, true, 57.11],
    ["flan-t5-xl ZeRO-3", "flan-t5-xl", "3", 16, true, 47.21],
    ["flan-t5-xl ZeRO-2 without checkpointing", "flan-t5-xl", "2", 16, false, 105.17],
    ["flan-t5-xl ZeRO-3 without checkpointing", "flan-t5-xl", "3", 16, false, 105.48],
    ["flan-t5-xl ZeRO-3 offload", "flan-t5-xl", "3-offload", 16, true, 4.98],
    ["Llama-3.1-8B ZeRO-3", "llama-3.1-8b", "3", 4, true, 128.5],
  ];
  for (const [name, preset, zero, batch, checkpointing, gib] of measured) {
    it(`predicts the measured peak within 15%: ${name} (${gib} GiB)`, () => {
      const spec = specFromPreset(preset);
      spec.training.zero = zero;
      spec.training.hyperparameters.perDeviceTrainBatchSize = batch;
      spec.training.hyperparameters.gradientAccumulationSteps = 1;
      spec.training.hyperparameters.gradientCheckpointing = checkpointing;
      const predicted = trainingMemory(spec, h200).perGpu.total / 1024 ** 3;
      expect(Math.abs(predicted / gib - 1)).toBeLessThan(0.15);
    });
  }
});
