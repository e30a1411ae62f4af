import { describe, expect, it } from "vitest";
import { awsTagList, resourceTags, specHash, TAG_KEYS } from "../../program/spec/index.js";
import { userTagProblems } from "../../program/spec/tags.js";
import { canonicalJson } from "../../program/spec/canonical.js";
import { specWith } from "./helpers.js";

describe("resourceTags", () => {
  it("carries experiment, stack, preset and spec hash, after the user's tags", () => {
    const spec = specWith((s) => (s.tags = { team: "ml", [TAG_KEYS.preset]: "forged" }));
    const tags = resourceTags(spec, "seed-stack");
    expect(tags).toMatchObject({
      team: "ml",
      "zerostack:experiment": "seed",
      "zerostack:stack": "seed-stack",
      "zerostack:preset": "seed",
    });
    expect(tags["zerostack:spec-hash"]).toMatch(/^[0-9a-f]{16}$/);
    expect(awsTagList({ a: "1" })).toEqual([{ Key: "a", Value: "1" }]);
  });

  it("hashes what matters: not tags or TTL, but any training or serving change", () => {
    const base = specHash(specWith());
    expect(specHash(specWith((s) => (s.tags = { a: "b" })))).toBe(base);
    expect(specHash(specWith((s) => (s.serving.ttlSeconds = 3600)))).toBe(base);
    expect(specHash(specWith((s) => (s.training.nodes = 4)))).not.toBe(base);
    expect(specHash(specWith((s) => (s.serving.dtype = "fp16")))).not.toBe(base);
  });

  it("canonical JSON ignores key order and undefined members", () => {
    expect(canonicalJson({ b: 1, a: { d: undefined, c: [2, { z: 1, y: 2 }] } })).toBe(
      '{"a":{"c":[2,{"y":2,"z":1}]},"b":1}',
    );
  });
});

describe("userTagProblems", () => {
  it("accepts ordinary tags", () => {
    expect(userTagProblems({ team: "ml", "cost-center": "1234", "a b:c/d=e+f-g@h": "ok" })).toEqual([]);
  });

  it("rejects reserved prefixes, bad characters and lengths, naming the tag", () => {
    const problems = userTagProblems({
      "aws:x": "1",
      "zerostack:stack": "2",
      "bad#": "3",
      ["k".repeat(129)]: "4",
      long: "v".repeat(257),
    });
    const fields = problems.map((p) => p.field);
    expect(fields).toContain("tags.aws:x");
    expect(fields).toContain("tags.zerostack:stack");
    expect(fields).toContain("tags.bad#");
    expect(fields).toContain(`tags.${"k".repeat(129)}`);
    expect(fields).toContain("tags.long");
  });

  it("counts zerostack's own tags against AWS's 50", () => {
    const many = Object.fromEntries(Array.from({ length: 46 }, (_, i) => [`t${i}`, "x"]));
    expect(userTagProblems(many)[0]).toMatchObject({ field: "tags", allowed: "at most 45 tags" });
    delete many.t0;
    expect(userTagProblems(many)).toEqual([]);
  });
});
