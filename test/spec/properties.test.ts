import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { BadInputError, type Problem } from "../../program/errors.js";
import {
  batchMath,
  derivePlan,
  isValidSageMakerName,
  parseSpec,
  PRESET_NAMES,
  specFromPreset,
  specToJson,
  type SpecOverrides,
  type ExperimentSpec,
} from "../../program/spec/index.js";
import { SERVING_INSTANCES, SERVING_INSTANCE_TYPES, TRAINING_INSTANCE_TYPES } from "../../program/spec/instances.js";
import { BACKEND_NAMES } from "../../program/spec/backends.js";
import { SCHEDULE_NAME } from "../../program/spec/names.js";

const name = fc
  .tuple(
    fc.constantFrom(..."abcdefghijklmnopqrstuvwxyz"),
    fc.array(fc.constantFrom(..."abcdefghijklmnopqrstuvwxyz0123456789-"), { maxLength: 62 }),
  )
  .map(([first, rest]) => (first + rest.join("")).replace(/-+/g, "-").replace(/-$/, ""));

const overrides: fc.Arbitrary<SpecOverrides> = fc
  .record({
    name,
    nodes: fc.constantFrom(1, 2, 4, 8, 16),
    zero: fc.constantFrom("2", "3", "3-offload"),
    trainInstance: fc.constantFrom(...TRAINING_INSTANCE_TYPES),
    serveInstance: fc.constantFrom(...SERVING_INSTANCE_TYPES),
    tpPower: fc.nat({ max: 3 }),
    backend: fc.constantFrom(...BACKEND_NAMES),
    epochs: fc.integer({ min: 1, max: 10 }),
    learningRate: fc.double({ min: 1e-6, max: 1e-3, noNaN: true }),
    ttlSeconds: fc.integer({ min: 900, max: 86400 }),
    serving: fc.boolean(),
  })
  .map(({ tpPower, ...o }) => ({ ...o, tp: Math.min(2 ** tpPower, SERVING_INSTANCES[o.serveInstance].gpus) }));

describe("properties", () => {
  it("every valid spec gives valid names and consistent batch math; every rejection names fields", () => {
    let accepted = 0;
    let rejected = 0;
    fc.assert(
      fc.property(fc.constantFrom(...PRESET_NAMES), overrides, (preset, o) => {
        let spec: ExperimentSpec;
        try {
          spec = specFromPreset(preset, o);
        } catch (error) {
          expect(error).toBeInstanceOf(BadInputError);
          const problems = (error as BadInputError).problems;
          expect(problems.length).toBeGreaterThan(0);
          for (const p of problems) {
            expect(p.field).toMatch(/^[a-zA-Z]/);
            expect(p.allowed ?? "").not.toBe("");
          }
          rejected++;
          return;
        }
        accepted++;
        const plan = derivePlan(spec);
        for (const n of [plan.names.trainingJob, plan.names.model, plan.names.endpointConfig, plan.names.endpoint]) {
          expect(isValidSageMakerName(n), n).toBe(true);
        }
        expect(plan.names.ttlSchedule).toMatch(SCHEDULE_NAME);
        expect(
          new Set([plan.names.trainingJob, plan.names.model, plan.names.endpointConfig, plan.names.endpoint]).size,
        ).toBe(4);
        const m = batchMath(spec);
        expect(m.worldSize).toBe(m.gpusPerNode * spec.training.nodes);
        expect(m.globalBatch).toBe(m.microBatchPerGpu * m.worldSize * m.gradientAccumulationSteps);
        expect(plan.training.environment.NODE_NUMBER).toBe(String(spec.training.nodes));
        if (plan.serving) {
          const tp = Number(plan.serving.servingProperties.record["option.tensor_parallel_degree"]);
          expect(SERVING_INSTANCES[spec.serving.instanceType].gpus % tp).toBe(0);
        }
        expect(parseSpec(JSON.parse(specToJson(spec)))).toEqual(spec);
      }),
      { numRuns: 300 },
    );
    // Both branches must have been exercised, or the property proves nothing.
    expect(accepted).toBeGreaterThan(20);
    expect(rejected).toBeGreaterThan(20);
  });

  it("every corrupted field of a valid spec is reported under that field", () => {
    const valid = JSON.parse(specToJson(specFromPreset("seed"))) as Record<string, unknown>;
    const leaves: string[][] = [];
    const walk = (v: unknown, path: string[]) => {
      if (v !== null && typeof v === "object" && !Array.isArray(v) && Object.keys(v).length > 0) {
        for (const [k, x] of Object.entries(v)) walk(x, [...path, k]);
      } else leaves.push(path);
    };
    walk(valid, []);
    const garbage = fc.oneof(
      fc.constant(null),
      fc.constant(-1),
      fc.constant("§"),
      fc.constant([]),
      fc.constant({ junk: 1 }),
    );
    fc.assert(
      fc.property(fc.constantFrom(...leaves), garbage, (path, bad) => {
        const raw = structuredClone(valid);
        let at = raw as Record<string, unknown>;
        for (const key of path.slice(0, -1)) at = at[key] as Record<string, unknown>;
        const last = path[path.length - 1] as string;
        at[last] = bad;
        let problems: Problem[] | undefined;
        try {
          parseSpec(raw);
        } catch (error) {
          expect(error).toBeInstanceOf(BadInputError);
          problems = (error as BadInputError).problems;
        }
        if (problems === undefined) {
          // Only an empty tags/environment record may legitimately accept a `{junk: 1}`-like value.
          expect(["tags", "training.environment"]).toContain(path.join("."));
          return;
        }
        expect(problems.some((p) => p.field === path.join(".") || p.field.startsWith(`${path.join(".")}.`))).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});
