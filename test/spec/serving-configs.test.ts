// test/payload/serving_configs.json is what this program generates for every pair of the catalog
// (serving image x backend it carries x model kind the backend serves, plus the custom handler):
// the serving.properties and tarball files of the real derivation (derivePlan, servingCodeFiles's
// rule), or the guard errors that refuse the pair (exit 2). test/payload/test_builtin_handlers.py
// feeds each generated file to a stand-in of the image's own handler and its properties
// validation. This test fails when the file differs from what the code generates today;
// ZEROSTACK_WRITE_FIXTURES=1 rewrites it.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { BACKENDS, type Backend } from "../../program/spec/backends.js";
import {
  derivePlan,
  type ExperimentSpec,
  presetInput,
  specFromInput,
  specFromPreset,
} from "../../program/spec/index.js";
import { BadInputError } from "../../program/errors.js";
import { SERVING_IMAGES } from "../../program/spec/images.js";
import { SERVING_INSTANCES, type ServingInstanceType } from "../../program/spec/instances.js";
import { servingCodeFiles } from "../../program/stack/experiment-sources.js";

const FIXTURE = join(import.meta.dirname, "..", "payload", "serving_configs.json");
const PAYLOAD = join(import.meta.dirname, "..", "..", "payload");

interface Pair {
  image: string;
  family: string;
  djl: string;
  backend: Backend;
  kind: string;
  handler: "builtin" | "custom";
  preset: string;
  model: string;
  instanceType: string;
  gpus: number;
  tensorParallelDegree: number;
  dtype: string;
  modelS3Uri: string;
  /** Guard errors: the pair is refused before anything is created. */
  refused: Array<{ field: string; message: string }>;
  /** serving.properties as generated (absent when refused). */
  servingProperties?: string;
  /** The files of the serving tarball besides serving.properties. */
  codeFiles: string[];
}

// seq2seq: the seed's T5-XXL on 8 GPUs and Flan-T5-XL on one; causal: Llama 3.1 8B on 4 GPUs.
const PRESETS_BY_KIND = { seq2seq: ["seed", "flan-t5-xl"], causal: ["llama-3.1-8b"] } as const;

function generate(): Pair[] {
  const pairs: Pair[] = [];
  for (const image of [...SERVING_IMAGES].reverse()) {
    for (const backend of image.backends) {
      for (const kind of BACKENDS[backend].kinds) {
        for (const preset of PRESETS_BY_KIND[kind]) {
          const handlers: Array<"builtin" | "custom"> = backend === "accelerate" ? ["builtin", "custom"] : ["builtin"];
          for (const handler of handlers) {
            const raw = presetInput(preset);
            (raw.serving as { handler: string }).handler = handler;
            let spec: ExperimentSpec | undefined;
            let refused: Pair["refused"] = [];
            try {
              spec = specFromInput(raw, { backend, serveImage: image.tag });
            } catch (error) {
              if (!(error instanceof BadInputError)) throw error;
              refused = error.problems.map((p) => ({ field: p.field, message: p.message }));
            }
            const checked = spec ?? specFromPreset(preset);
            const plan = derivePlan(checked);
            const instance = SERVING_INSTANCES[checked.serving.instanceType as ServingInstanceType];
            pairs.push({
              image: image.tag,
              family: image.family,
              djl: image.djlVersion,
              backend,
              kind,
              handler,
              preset,
              model: checked.model.id,
              instanceType: checked.serving.instanceType,
              gpus: instance.gpus,
              tensorParallelDegree: checked.serving.tensorParallelDegree,
              dtype: checked.serving.dtype,
              modelS3Uri: plan.training.modelS3Uri,
              refused,
              ...(spec === undefined || plan.serving == null
                ? {}
                : { servingProperties: plan.serving.servingProperties.text }),
              codeFiles:
                spec === undefined
                  ? []
                  : Object.keys(servingCodeFiles(plan, PAYLOAD)).filter((f) => f !== "serving.properties"),
            });
          }
        }
      }
    }
  }
  return pairs;
}

describe("test/payload/serving_configs.json", () => {
  it("is what the program generates today for every catalog pair", () => {
    const text = `${JSON.stringify(generate(), null, 1)}\n`;
    if (process.env.ZEROSTACK_WRITE_FIXTURES === "1") writeFileSync(FIXTURE, text);
    expect(
      readFileSync(FIXTURE, "utf8"),
      "run ZEROSTACK_WRITE_FIXTURES=1 vitest run test/spec/serving-configs.test.ts",
    ).toBe(text);
  });

  it("covers every image of the catalog and every backend it carries", () => {
    const pairs = JSON.parse(readFileSync(FIXTURE, "utf8")) as Pair[];
    for (const image of SERVING_IMAGES)
      for (const backend of image.backends)
        expect(
          pairs.some((p) => p.image === image.tag && p.backend === backend),
          `${image.tag} ${backend}`,
        ).toBe(true);
  });
});
