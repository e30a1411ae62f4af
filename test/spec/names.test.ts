import { describe, expect, it } from "vitest";
import { fitName, isValidSageMakerName, resourceNames } from "../../program/spec/index.js";
import { specWith } from "./helpers.js";

describe("resourceNames", () => {
  it("gives distinct, valid names per resource kind", () => {
    const n = resourceNames(specWith());
    const sm = [n.trainingJob, n.model, n.endpointConfig, n.endpoint];
    expect(new Set(sm).size).toBe(4);
    for (const name of sm) expect(isValidSageMakerName(name)).toBe(true);
    expect(n.trainingJob).toMatch(/^seed-[0-9a-f]{6}-train$/);
    expect(n.model).toMatch(/-model$/);
    expect(n.endpointConfig).toMatch(/-epc$/);
    expect(n.endpoint).toBe("seed-ep");
  });

  it("is deterministic and independent of key order", () => {
    const a = specWith();
    const reversed = (v: unknown): unknown =>
      v !== null && typeof v === "object" && !Array.isArray(v)
        ? Object.fromEntries(
            Object.entries(v)
              .reverse()
              .map(([k, x]) => [k, reversed(x)]),
          )
        : v;
    const b = reversed(a) as typeof a;
    expect(Object.keys(b)[0]).toBe("tags");
    expect(resourceNames(b)).toEqual(resourceNames(a));
  });

  it("renames the training job when training changes, but not when only the TTL or tags change", () => {
    const base = resourceNames(specWith());
    const lr = resourceNames(specWith((s) => (s.training.hyperparameters.learningRate = 2e-4)));
    expect(lr.trainingJob).not.toBe(base.trainingJob);
    expect(lr.model).not.toBe(base.model); // the model is built from the new job's output
    const ttl = resourceNames(
      specWith((s) => {
        s.serving.ttlSeconds = 7200;
        s.tags = { team: "ml" };
      }),
    );
    expect(ttl).toEqual(base);
  });

  it("gives a new endpoint config, but the same endpoint and job, when serving changes", () => {
    const base = resourceNames(specWith());
    const other = resourceNames(specWith((s) => (s.serving.tensorParallelDegree = 4)));
    expect(other.endpointConfig).not.toBe(base.endpointConfig);
    expect(other.endpoint).toBe(base.endpoint);
    expect(other.trainingJob).toBe(base.trainingJob);
  });

  it("puts the model under the bucket and prefix with a trailing slash", () => {
    const n = resourceNames(specWith((s) => (s.output = { bucket: "my-bucket", prefix: "a/b/" })));
    expect(n.modelS3Uri).toMatch(/^s3:\/\/my-bucket\/a\/b\/seed\/seed-[0-9a-f]{6}-train\/model\/$/);
  });
});

describe("fitName", () => {
  it("keeps short names whole", () => {
    expect(fitName("abc", "ep")).toBe("abc-ep");
  });

  it("truncates long names to 63 with a hash, and two long names sharing a prefix stay distinct", () => {
    const a = fitName(`${"x".repeat(60)}-one`, "abcdef-train");
    const b = fitName(`${"x".repeat(60)}-two`, "abcdef-train");
    expect(a.length).toBeLessThanOrEqual(63);
    expect(a).toMatch(/-[0-9a-f]{6}-abcdef-train$/);
    expect(a).not.toBe(b);
    expect(isValidSageMakerName(a)).toBe(true);
  });

  it("does not leave a double hyphen where it cuts", () => {
    const name = fitName(`${"a".repeat(40)}-${"b".repeat(30)}`, "abcdef-train");
    expect(name).not.toMatch(/--/);
  });
});

describe("isValidSageMakerName", () => {
  it.each([
    ["a", true],
    ["a-b", true],
    ["a--b", true],
    ["-a", false],
    ["a-", false],
    ["a_b", false],
    ["a".repeat(63), true],
    ["a".repeat(64), false],
  ])("%s -> %s", (name, ok) => {
    expect(isValidSageMakerName(name)).toBe(ok);
  });
});
