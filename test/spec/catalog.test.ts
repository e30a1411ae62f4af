// The image catalog comes from the SageMaker SDK's own data (scripts/update-catalog), every preset
// uses images it lists for the preset's region, and bad image input is refused with the nearest
// tags (exit 2 through BadInputError).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { planFromFlags } from "../../program/spec/flags.js";
import { checkSpec, derivePlan, PRESET_NAMES, PRESETS, specFromPreset } from "../../program/spec/index.js";
import {
  availableIn,
  CATALOG_SOURCE,
  defaultServingImage,
  imagesCarrying,
  onlyOnLegacyImages,
  PAYLOAD_TRAINING_IMAGE,
  SDK_INSTANCE_GPUS,
  SERVING_IMAGES,
  servingImage,
  trainingImage,
} from "../../program/spec/images.js";
import { SERVING_INSTANCES, TRAINING_INSTANCES } from "../../program/spec/instances.js";
import { DLC_ACCOUNTS, REGIONS } from "../../program/spec/regions.js";
import { BadInputError } from "../../program/errors.js";
import { problemsOf, specWith } from "./helpers.js";

const root = join(import.meta.dirname, "..", "..");
const raw = JSON.parse(readFileSync(join(root, "program/spec/data/sagemaker-catalog.json"), "utf8")) as {
  source: Record<string, unknown>;
};

describe("the image catalog", () => {
  it("says where it came from: the SDK package, its version, the wheel's hash and the date", () => {
    expect(CATALOG_SOURCE).toMatchObject({
      package: "sagemaker-core",
      version: "2.27.0",
      path: "sagemaker/core/image_uri_config/",
    });
    expect(CATALOG_SOURCE.wheelSha256).toMatch(/^[0-9a-f]{64}$/);
    expect(CATALOG_SOURCE.generated).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(raw.source.by).toBe("scripts/update-catalog");
  });

  it("holds the LMI families the SDK lists, newest first, with the SDK's latest", () => {
    expect(SERVING_IMAGES[0]).toMatchObject({
      tag: "0.38.0-lmi29.0.0-cu130",
      family: "lmi",
      latest: true,
      legacy: false,
    });
    expect(new Set(SERVING_IMAGES.map((i) => i.family))).toEqual(
      new Set(["lmi", "tensorrtllm", "deepspeed", "fastertransformer"]),
    );
    expect(SERVING_IMAGES.every((i) => i.repository === "djl-inference")).toBe(true);
  });

  for (const name of PRESET_NAMES) {
    it(`preset ${name}: its images exist in the catalog for its region`, () => {
      const { spec } = PRESETS[name];
      const train = trainingImage(spec.training.image);
      const serve = servingImage(spec.serving.image);
      expect(train, spec.training.image).toBeDefined();
      expect(serve, spec.serving.image).toBeDefined();
      expect(availableIn(train!, spec.region)).toBe(true);
      expect(availableIn(serve!, spec.region)).toBe(true);
      expect(serve!.backends).toContain(spec.serving.backend);
    });
  }

  it("presets: decoder-only on the newest LMI with vLLM, T5 on the newest image that serves it, the seed on its own", () => {
    expect(PRESETS["llama-3.1-8b"].spec.serving).toMatchObject({ backend: "vllm", image: SERVING_IMAGES[0]?.tag });
    for (const t5 of ["flan-t5-xl", "tiny"] as const) {
      expect(PRESETS[t5].spec.serving.image).toBe(defaultServingImage(PRESETS[t5].spec.serving.backend));
      expect(PRESETS[t5].spec.serving.backend).toBe("accelerate");
    }
    expect(servingImage(PRESETS.seed.spec.serving.image)).toMatchObject({
      family: "deepspeed",
      djlVersion: "0.21.0",
      legacy: true,
    });
    for (const name of PRESET_NAMES) {
      const image = trainingImage(PRESETS[name].spec.training.image);
      expect(Number(image?.pytorch.split(".")[1]) >= 5 && image?.pytorch.startsWith("2.")).toBe(true);
    }
  });

  it("payload/train/requirements.txt follows the presets' training image", () => {
    const requirements = readFileSync(join(root, "payload/train/requirements.txt"), "utf8");
    expect(requirements).toContain(PAYLOAD_TRAINING_IMAGE);
    for (const name of PRESET_NAMES) expect(PRESETS[name].spec.training.image).toBe(PAYLOAD_TRAINING_IMAGE);
  });

  it("backends that no current image carries stay on legacy images only", () => {
    for (const backend of ["deepspeed", "fastertransformer", "lmi-dist"] as const) {
      expect(onlyOnLegacyImages(backend), backend).toBe(true);
      expect(imagesCarrying(backend).length).toBeGreaterThan(0);
    }
    for (const backend of ["vllm", "accelerate", "trtllm"] as const)
      expect(onlyOnLegacyImages(backend), backend).toBe(false);
    expect(imagesCarrying("lmi-dist")[0]).toBe("0.32.0-lmi14.0.0-cu126");
  });

  it("ECR accounts come from the catalog (the hand table had ap-northeast-3 wrong)", () => {
    expect(DLC_ACCOUNTS["us-east-1"]).toBe("763104351884");
    expect(DLC_ACCOUNTS["ap-northeast-3"]).toBe("364406365360");
    for (const region of REGIONS) expect(DLC_ACCOUNTS[region], region).toMatch(/^\d{12}$/);
  });

  it("GPU count and memory come from the SDK's instance_gpu_info.json where it lists the type", () => {
    for (const [type, info] of Object.entries({ ...TRAINING_INSTANCES, ...SERVING_INSTANCES })) {
      const sdk = SDK_INSTANCE_GPUS[type];
      expect(info.gpuSource, type).toBe(sdk === undefined ? "ec2-spec-page" : "sdk");
      if (sdk === undefined) continue;
      expect(info.gpus, type).toBe(sdk.gpus);
      expect(info.gpuMemoryGiB, type).toBeCloseTo(sdk.totalGpuMemoryMiB / sdk.gpus / 1024, 2);
    }
    expect(SDK_INSTANCE_GPUS["ml.p4d.24xlarge"]).toEqual({ gpus: 8, totalGpuMemoryMiB: 327680 });
  });
});

describe("bad image input", () => {
  it("a serving image not in the catalog is an error on serving.image naming the nearest tags", () => {
    const [error] = checkSpec(specWith((s) => (s.serving.image = "0.38.0-lmi29.0.0-cu128"), "llama-3.1-8b")).filter(
      (f) => f.severity === "error",
    );
    expect(error).toMatchObject({ field: "serving.image", value: "0.38.0-lmi29.0.0-cu128" });
    expect(error?.allowed).toContain("0.38.0-lmi29.0.0-cu130");
  });

  it("the seed's 2023 tag as the sample wrote it is refused, pointing at the catalog's 0.21.0 image", () => {
    const [error] = checkSpec(specWith((s) => (s.serving.image = "0.21.0-deepspeed0.8.0-cu117"))).filter(
      (f) => f.field === "serving.image" && f.severity === "error",
    );
    expect(error?.allowed.split(": ")[1]?.split(", ")[0]).toBe("0.21.0-deepspeed0.8.3-cu117");
  });

  it("an image the catalog has but not in the region is an error naming the region", () => {
    const lmiOnly = SERVING_IMAGES.find((i) => i.tag === "0.38.0-lmi29.0.0-cu130")!;
    const missing = REGIONS.find((r) => !availableIn(lmiOnly, r));
    if (missing === undefined) return; // published everywhere zerostack plans for
    const list = checkSpec(specWith((s) => (s.region = missing), "llama-3.1-8b"));
    expect(list.find((f) => f.field === "serving.image" && f.severity === "error")?.message).toContain(missing);
  });

  it("a training image not in the catalog names the nearest ones; the plain PyTorch DLC lacks transformers", () => {
    const [old] = checkSpec(
      specWith((s) => (s.training.image = "huggingface-pytorch-training:2.1.0-transformers4.36.0-gpu-py310-cu121")),
    ).filter((f) => f.field === "training.image");
    expect(old?.severity).toBe("error");
    expect(old?.allowed).toContain("huggingface-pytorch-training:2.1.0-transformers4.36.0-gpu-py310-cu121-ubuntu20.04");
    const [plain] = checkSpec(specWith((s) => (s.training.image = "pytorch-training:2.9.0-gpu-py312"))).filter(
      (f) => f.field === "training.image",
    );
    expect(plain).toMatchObject({ severity: "error", allowed: "a huggingface-pytorch-training image" });
  });

  it("a backend the image does not carry names the images that do", () => {
    const [error] = checkSpec(specWith((s) => (s.serving.backend = "deepspeed"), "flan-t5-xl")).filter(
      (f) => f.field === "serving.image" && f.severity === "error",
    );
    expect(error?.message).toContain("does not carry the deepspeed backend");
    expect(error?.message).toContain("no current LMI image carries deepspeed");
    expect(error?.allowed).toContain("0.27.0-deepspeed0.12.6-cu121");
  });

  it("the shape is checked by the schema, the catalog by the guard; both reach the user as BadInputError (exit 2)", () => {
    const [problem, ...rest] = problemsOf(() =>
      specFromPreset("llama-3.1-8b", { serveImage: "0.99.0-lmi99.0.0-cu999" }),
    );
    expect(rest).toEqual([]);
    expect(problem?.field).toBe("serving.image");
    expect(problem?.allowed).toMatch(/^nearest in us-east-1: 0\.38\.0-lmi29\.0\.0-cu130, /);
    expect(new BadInputError([problem!]).exitCode).toBe(2);
    expect(derivePlan(specWith((s) => (s.serving.image = "0.99.0-lmi99.0.0-cu999"))).serving?.imageUri).toContain(
      "not in the catalog",
    );
    expect(planFromFlags({ preset: "llama-3.1-8b", backend: "trtllm" }, () => "").spec.serving.image).toBe(
      "0.33.0-tensorrtllm0.21.0-cu128",
    );
    expect(() => specFromPreset("tiny", { serveImage: "latest; rm -rf /" })).toThrow(/serving\.image/);
  });
});
