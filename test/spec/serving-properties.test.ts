import { describe, expect, it } from "vitest";
import { servingProperties } from "../../program/spec/index.js";
import { specWith } from "./helpers.js";
import type { ExperimentSpec } from "../../program/spec/index.js";

const S3 = "s3://b/p/model";
const withBackend = (backend: ExperimentSpec["serving"]["backend"], preset = "llama-3.1-8b") =>
  specWith((s) => {
    s.serving.backend = backend;
    s.serving.handler = "builtin";
  }, preset);

describe("servingProperties", () => {
  it("accelerate on a legacy image: Python engine, entry point, s3url with trailing slash", () => {
    const { record, text } = servingProperties(specWith(), S3);
    expect(record).toEqual({
      engine: "Python",
      "option.entryPoint": "model.py",
      "option.s3url": "s3://b/p/model/",
      "option.tensor_parallel_degree": "8",
      "option.dtype": "bf16",
    });
    expect(text).toBe(
      "engine=Python\noption.entryPoint=model.py\noption.s3url=s3://b/p/model/\noption.tensor_parallel_degree=8\noption.dtype=bf16\n",
    );
  });

  it("the builtin accelerate handler is djl_python.huggingface", () => {
    expect(
      servingProperties(
        specWith((s) => (s.serving.handler = "builtin")),
        S3,
      ).record["option.entryPoint"],
    ).toBe("djl_python.huggingface");
  });

  it("deepspeed and fastertransformer name their handler: DJL 0.21 has no default entry point", () => {
    for (const [backend, engine, entry] of [
      ["deepspeed", "DeepSpeed", "djl_python.deepspeed"],
      ["fastertransformer", "FasterTransformer", "djl_python.fastertransformer"],
    ] as const) {
      const { record } = servingProperties(withBackend(backend, "seed"), S3);
      expect(record.engine).toBe(engine);
      expect(record["option.entryPoint"]).toBe(entry);
      expect(record["option.s3url"]).toBe("s3://b/p/model/");
      expect(record["option.rolling_batch"]).toBeUndefined();
      expect(record["option.max_rolling_batch_size"]).toBeUndefined();
    }
  });

  it("from DJL 0.22 the weights are option.model_id (0.27 and later read nothing else)", () => {
    const on = (tag: string) =>
      servingProperties(
        specWith((s) => (s.serving.image = tag)),
        S3,
      ).record;
    expect(on("0.22.1-deepspeed0.9.2-cu118")["option.model_id"]).toBe("s3://b/p/model/");
    expect(on("0.22.1-deepspeed0.9.2-cu118")["option.s3url"]).toBeUndefined();
    expect(on("0.21.0-deepspeed0.8.3-cu117")["option.s3url"]).toBe("s3://b/p/model/");
  });

  it("the T5 presets on the newest LMI image: model_id, the HF handler, rolling batch off", () => {
    for (const preset of ["flan-t5-xl", "tiny"]) {
      const { record } = servingProperties(
        specWith(() => undefined, preset),
        S3,
      );
      expect(record).toEqual({
        engine: "Python",
        "option.entryPoint": "djl_python.huggingface",
        "option.model_id": "s3://b/p/model/",
        "option.tensor_parallel_degree": "1",
        "option.dtype": "bf16",
        "option.rolling_batch": "disable",
      });
    }
  });

  it("vllm: async mode from LMI v17 (DJL 0.35), rolling_batch=vllm before; model_id either way", () => {
    const vllm = servingProperties(withBackend("vllm"), S3).record;
    expect(vllm).toMatchObject({
      engine: "Python",
      "option.async_mode": "true",
      "option.rolling_batch": "disable",
      "option.model_id": "s3://b/p/model/",
      "option.max_rolling_batch_size": "32",
      "option.tensor_parallel_degree": "4",
    });
    expect(vllm["option.s3url"]).toBeUndefined();
    expect(vllm["option.max_model_len"]).toBe("1280");
    const older = servingProperties(
      specWith((s) => {
        s.serving.image = "0.31.0-lmi13.0.0-cu124";
      }, "llama-3.1-8b"),
      S3,
    ).record;
    expect(older["option.rolling_batch"]).toBe("vllm");
    expect(older["option.async_mode"]).toBeUndefined();
    const dist = servingProperties(
      specWith((s) => {
        s.serving.backend = "lmi-dist";
        s.serving.image = "0.31.0-lmi13.0.0-cu124";
      }, "llama-3.1-8b"),
      S3,
    ).record;
    expect(dist).toMatchObject({ engine: "MPI", "option.rolling_batch": "lmi-dist" });
  });

  it("trtllm runs under MPI and leaves the KV bound to its compile step", () => {
    const trt = servingProperties(withBackend("trtllm"), S3).record;
    expect(trt).toMatchObject({
      engine: "MPI",
      "option.rolling_batch": "trtllm",
      "option.model_id": "s3://b/p/model/",
    });
    expect(trt["option.max_model_len"]).toBeUndefined();
  });

  it("the built-in HF handler with TP > 1 on DJL 0.30+ gets device_map auto (rolling batch off derives none)", () => {
    const on = (tag: string, preset: string, handler: "builtin" | "custom" = "builtin") =>
      servingProperties(
        specWith((s) => {
          s.serving.image = tag;
          s.serving.handler = handler;
        }, preset),
        S3,
      ).record;
    // the seed's T5-XXL on 8 GPUs and Llama 3.1 8B on 4 (accelerate): sharded over the TP GPUs
    for (const tag of ["0.38.0-lmi29.0.0-cu130", "0.31.0-lmi13.0.0-cu124", "0.30.0-lmi12.0.0-cu124"]) {
      expect(on(tag, "seed")["option.device_map"], tag).toBe("auto");
      expect(on(tag, "seed")["option.tensor_parallel_degree"]).toBe("8");
    }
    // DJL 0.29 and older derive device_map "auto" from the TP degree themselves
    expect(on("0.29.0-lmi11.0.0-cu124", "seed")["option.device_map"]).toBeUndefined();
    expect(on("0.27.0-deepspeed0.12.6-cu121", "seed")["option.device_map"]).toBeUndefined();
    // one GPU needs no map; the custom handler picks its own (payload/serve/model.py)
    expect(on("0.38.0-lmi29.0.0-cu130", "flan-t5-xl")["option.device_map"]).toBeUndefined();
    expect(on("0.38.0-lmi29.0.0-cu130", "seed", "custom")["option.device_map"]).toBeUndefined();
  });

  it("TensorRT-LLM's LLM API (DJL 0.33+) gets its own dtype names; older trtllm images DJL's", () => {
    const trt = (tag: string, dtype: "bf16" | "fp16") =>
      servingProperties(
        specWith((s) => {
          s.serving.backend = "trtllm";
          s.serving.handler = "builtin";
          s.serving.image = tag;
          s.serving.dtype = dtype;
        }, "llama-3.1-8b"),
        S3,
      ).record["option.dtype"];
    expect(trt("0.33.0-tensorrtllm0.21.0-cu128", "bf16")).toBe("bfloat16");
    expect(trt("0.33.0-tensorrtllm0.21.0-cu128", "fp16")).toBe("float16");
    expect(trt("0.32.0-tensorrtllm0.12.0-cu125", "bf16")).toBe("bf16");
  });

  it("never serves fp32", () => {
    for (const dtype of ["bf16", "fp16"] as const) {
      expect(
        servingProperties(
          specWith((s) => (s.serving.dtype = dtype)),
          S3,
        ).record["option.dtype"],
      ).toBe(dtype);
    }
  });

  it("does not double the trailing slash", () => {
    expect(servingProperties(specWith(), "s3://b/m/").record["option.s3url"]).toBe("s3://b/m/");
  });
});
