import { describe, expect, it } from "vitest";
import { checkSpec, type ExperimentSpec, type Finding } from "../../program/spec/index.js";
import { specWith } from "./helpers.js";

const findings = (edit: (s: ExperimentSpec) => void, preset = "seed") => checkSpec(specWith(edit, preset));
const errorsAt = (list: Finding[], field: string) => list.filter((f) => f.severity === "error" && f.field === field);
const warningsAt = (list: Finding[], field: string) =>
  list.filter((f) => f.severity === "warning" && f.field === field);

describe("guards", () => {
  it("every preset passes without errors", () => {
    for (const preset of ["seed", "flan-t5-xl", "llama-3.1-8b", "tiny"]) {
      expect(
        checkSpec(specWith(undefined, preset)).filter((f) => f.severity === "error"),
        preset,
      ).toEqual([]);
    }
  });

  it("refuses deepspeed on a DJL 0.21 image, whose DeepSpeed handler loads neither T5 nor Llama", () => {
    const list = errorsAt(
      findings((s) => (s.serving.backend = "deepspeed")),
      "serving.backend",
    );
    expect(list).toHaveLength(1);
    expect(list[0]?.value).toContain("serving.image 0.21.0-deepspeed0.8.3-cu117");
    expect(list[0]?.fix).toContain("--serve-image 0.23.0-deepspeed0.9.5-cu118");
    const newer = findings((s) => {
      s.serving.backend = "deepspeed";
      s.serving.image = "0.23.0-deepspeed0.9.5-cu118";
    });
    expect(errorsAt(newer, "serving.backend")).toEqual([]);
  });

  it("refuses a built-in handler on a djl-deepspeed or djl-fastertransformer image whose transformers cannot read safetensors", () => {
    const pair = (backend: string, image: string, handler: "builtin" | "custom" = "builtin") =>
      errorsAt(
        findings((s) => {
          (s.serving as { backend: string }).backend = backend;
          s.serving.image = image;
          s.serving.handler = handler;
        }),
        "serving.backend",
      );
    const deepspeed = pair("deepspeed", "0.22.1-deepspeed0.9.2-cu118");
    expect(deepspeed).toHaveLength(1);
    expect(deepspeed[0]?.value).toBe("deepspeed on serving.image 0.22.1-deepspeed0.9.2-cu118");
    expect(deepspeed[0]?.message).toContain("cannot read the model.safetensors");
    expect(deepspeed[0]?.fix).toBe("use --serve-image 0.23.0-deepspeed0.9.5-cu118");
    const accelerate = pair("accelerate", "0.21.0-deepspeed0.8.3-cu117");
    expect(accelerate).toHaveLength(1);
    expect(accelerate[0]?.fix).toContain("set serving.handler to custom");
    expect(pair("accelerate", "0.21.0-deepspeed0.8.3-cu117", "custom")).toEqual([]);
    const ft21 = pair("fastertransformer", "0.21.0-fastertransformer5.3.0-cu117");
    expect(ft21[0]?.message).toContain("no built-in FasterTransformer handler");
    expect(pair("fastertransformer", "0.22.1-fastertransformer5.3.0-cu118")).toHaveLength(1);
    expect(pair("fastertransformer", "0.23.0-fastertransformer5.3.0-cu118")).toEqual([]);
    expect(pair("deepspeed", "0.23.0-deepspeed0.9.5-cu118")).toEqual([]);
  });

  it("every finding names a field, the value, what is allowed and the fix", () => {
    const list = findings((s) => {
      s.training.zero = "2";
      s.serving.tensorParallelDegree = 3;
    });
    expect(list.length).toBeGreaterThan(1);
    for (const f of list) {
      expect(f.field).not.toBe("");
      expect(f.allowed).not.toBe("");
      expect(f.fix).not.toBe("");
      expect(f.message).not.toBe("");
    }
  });

  it("warns on ZeRO-2 across nodes and suggests ZeRO-3, but not on one node", () => {
    const multi = warningsAt(
      findings((s) => (s.training.zero = "2")),
      "training.zero",
    );
    expect(multi).toHaveLength(1);
    expect(multi[0]?.fix).toContain("--zero 3");
    expect(
      warningsAt(
        findings((s) => {
          s.training.zero = "2";
          s.training.nodes = 1;
          s.training.instanceType = "ml.p4de.24xlarge";
        }),
        "training.zero",
      ),
    ).toEqual([]);
  });

  it("the TP degree must divide the serving GPU count and not exceed it", () => {
    expect(
      errorsAt(
        findings((s) => (s.serving.tensorParallelDegree = 16)),
        "serving.tensorParallelDegree",
      )[0]?.allowed,
    ).toBe("1, 2, 4, 8");
    expect(
      errorsAt(
        findings((s) => (s.serving.tensorParallelDegree = 6)),
        "serving.tensorParallelDegree",
      ),
    ).not.toEqual([]);
    expect(
      errorsAt(
        findings((s) => (s.serving.tensorParallelDegree = 4)),
        "serving.tensorParallelDegree",
      ),
    ).toEqual([]);
  });

  it("head-sharding backends need the heads to divide by TP", () => {
    const list = findings((s) => {
      s.model.sizes.heads = 6;
      s.serving.tensorParallelDegree = 4;
    }, "llama-3.1-8b");
    const errors = errorsAt(list, "serving.tensorParallelDegree");
    expect(errors).toHaveLength(1);
    expect(errors[0]?.message).toContain("6 heads");
  });

  it("the backend must exist on the chosen image", () => {
    const list = findings((s) => {
      s.serving.backend = "deepspeed";
      s.serving.image = "0.22.1-fastertransformer5.3.0-cu118";
    });
    const [error] = errorsAt(list, "serving.image");
    expect(error?.allowed).toContain("0.27.0-deepspeed0.12.6-cu121");
    expect(error?.message).toContain("no current LMI image carries deepspeed");
  });

  it("the backend must serve the model kind", () => {
    const [error] = errorsAt(
      findings((s) => {
        s.serving.backend = "vllm";
        s.serving.image = "0.31.0-lmi13.0.0-cu124";
        s.serving.handler = "builtin";
      }),
      "serving.backend",
    );
    expect(error?.allowed).not.toContain("vllm");
    expect(error?.allowed).toContain("accelerate");
  });

  it("the custom handler runs only with accelerate", () => {
    expect(
      errorsAt(
        findings((s) => {
          s.serving.backend = "deepspeed";
        }),
        "serving.handler",
      ),
    ).toHaveLength(1);
  });

  it("the model must fit in training and serving", () => {
    expect(
      errorsAt(
        findings((s) => {
          s.training.zero = "2";
          s.training.instanceType = "ml.g5.12xlarge";
          s.training.nodes = 1;
        }),
        "training.instanceType",
      ),
    ).toHaveLength(1);
    // 11B in bf16 on one A10G: the SDK's 24 GiB leaves it nearly full; a rolling batch overflows it
    expect(
      warningsAt(
        findings((s) => {
          s.serving.instanceType = "ml.g5.2xlarge";
          s.serving.tensorParallelDegree = 1;
        }),
        "serving.instanceType",
      ),
    ).toHaveLength(1);
    expect(
      errorsAt(
        findings((s) => {
          s.serving.instanceType = "ml.g5.2xlarge";
          s.serving.tensorParallelDegree = 1;
          s.serving.maxRollingBatchSize = 8;
        }),
        "serving.instanceType",
      ),
    ).toHaveLength(1);
  });

  it("ZeRO-3 offload needs enough host memory", () => {
    expect(
      errorsAt(
        findings((s) => {
          s.training.zero = "3-offload";
          s.training.instanceType = "ml.g5.2xlarge";
          s.training.nodes = 1;
        }),
        "training.zero",
      ),
    ).toHaveLength(1);
  });

  it("EFA variables only where EFA with RDMA exists; reserved names never", () => {
    const onG5 = findings((s) => {
      s.training.instanceType = "ml.g5.48xlarge";
      s.training.environment = { FI_PROVIDER: "efa" };
    });
    expect(errorsAt(onG5, "training.environment.FI_PROVIDER")).toHaveLength(1);
    expect(
      errorsAt(
        findings((s) => (s.training.environment = { FI_PROVIDER: "efa" })),
        "training.environment.FI_PROVIDER",
      ),
    ).toEqual([]);
    const token = errorsAt(
      findings((s) => (s.training.environment = { HF_TOKEN: "hf_x" })),
      "training.environment.HF_TOKEN",
    );
    expect(token[0]?.fix).toContain("hfToken");
  });

  it("a gated hub model needs hfToken", () => {
    expect(
      errorsAt(
        findings((s) => (s.hfToken = false), "llama-3.1-8b"),
        "hfToken",
      ),
    ).toHaveLength(1);
  });

  it("model source and S3 location agree", () => {
    expect(
      errorsAt(
        findings((s) => (s.model.source = "s3")),
        "model.s3Uri",
      ),
    ).toHaveLength(1);
    expect(
      errorsAt(
        findings((s) => (s.model.s3Uri = "s3://b/m/")),
        "model.s3Uri",
      ),
    ).toHaveLength(1);
    expect(
      errorsAt(
        findings((s) => {
          s.model.source = "s3";
          s.model.s3Uri = "s3://b/m/";
        }),
        "model.s3Uri",
      ),
    ).toEqual([]);
  });

  it("spot wait time rules", () => {
    expect(
      errorsAt(
        findings((s) => (s.training.maxWaitSeconds = 90000)),
        "training.maxWaitSeconds",
      ),
    ).toHaveLength(1);
    expect(
      errorsAt(
        findings((s) => {
          s.training.spot = true;
          s.training.maxWaitSeconds = 600;
        }),
        "training.maxWaitSeconds",
      ),
    ).toHaveLength(1);
  });

  it("warns on an unusual learning rate and on fp16 T5 serving", () => {
    expect(
      warningsAt(
        findings((s) => (s.training.hyperparameters.learningRate = 0.5)),
        "training.hyperparameters.learningRate",
      ),
    ).toHaveLength(1);
    expect(
      warningsAt(
        findings((s) => (s.serving.dtype = "fp16")),
        "serving.dtype",
      ),
    ).toHaveLength(1);
  });

  it("ignores serving settings of a training-only experiment", () => {
    expect(
      findings((s) => {
        s.serving.enabled = false;
        s.serving.tensorParallelDegree = 3;
        s.serving.backend = "vllm";
      }).filter((f) => f.field.startsWith("serving.")),
    ).toEqual([]);
  });

  it("bad user tags are errors on the tag", () => {
    expect(
      errorsAt(
        findings((s) => (s.tags = { "aws:owner": "me" })),
        "tags.aws:owner",
      ),
    ).toHaveLength(1);
  });
});
