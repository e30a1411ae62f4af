// The base config: defaults, and bad input refused with every field named.
import { describe, expect, it } from "vitest";
import { lifecycleRules } from "../../program/base/bucket-rules.js";
import { parseBaseConfig } from "../../program/base/config.js";
import { objectTagging } from "../../program/providers/object-tags.js";
import { BadInputError } from "../../program/errors.js";

function problems(raw: unknown): string[] {
  try {
    parseBaseConfig(raw);
  } catch (error) {
    expect(error).toBeInstanceOf(BadInputError);
    return (error as BadInputError).problems.map((p) => p.field);
  }
  throw new Error("expected a BadInputError");
}

describe("base config", () => {
  it("fills the defaults", () => {
    expect(parseBaseConfig({ region: "us-east-1" })).toEqual({
      region: "us-east-1",
      prefix: "zerostack",
      versioning: false,
      encryption: "AES256",
      sourceBundleExpirationDays: 30,
      servingCodeExpirationDays: 90,
      abortIncompleteUploadDays: 7,
      noncurrentVersionExpirationDays: 30,
      forceDestroy: false,
      tags: {},
    });
  });

  it("names every bad field at once", () => {
    expect(
      problems({
        region: "mars-1",
        existingExecutionRoleArn: "arn:aws:iam::123:user/x",
        existingBucket: "Bad_Bucket",
        sourceBundleExpirationDays: 0,
        extra: 1,
      }).sort(),
    ).toEqual(
      [
        "base.existingBucket",
        "base.existingExecutionRoleArn",
        "base.extra",
        "base.region",
        "base.sourceBundleExpirationDays",
      ].sort(),
    );
  });

  it("refuses contradictions", () => {
    expect(problems({ region: "us-east-1", bucketName: "a-bucket", existingBucket: "b-bucket" })).toEqual([
      "base.bucketName",
    ]);
    expect(problems({ region: "us-east-1", kmsKeyArn: "arn:aws:kms:us-east-1:111122223333:key/abc" })).toEqual([
      "base.kmsKeyArn",
    ]);
    expect(problems({ region: "us-east-1", existingBucket: "b-bucket", versioning: true })).toEqual([
      "base.existingBucket",
    ]);
    expect(problems({ region: "us-east-1", tags: { "aws:x": "1" } })).toEqual(["base.tags.aws:x"]);
  });

  it("takes bring-your-own ARNs", () => {
    const c = parseBaseConfig({
      region: "us-east-1",
      existingExecutionRoleArn: "arn:aws:iam::111122223333:role/path/sm",
      existingSchedulerRoleArn: "arn:aws:iam::111122223333:role/sch",
    });
    expect(c.existingExecutionRoleArn).toBe("arn:aws:iam::111122223333:role/path/sm");
  });
});

describe("lifecycle rules", () => {
  it("select by tag alone when the prefix is the whole bucket", () => {
    const rules = lifecycleRules(parseBaseConfig({ region: "us-east-1", prefix: "" }));
    expect(rules.map((r) => r.filter)).toEqual([
      { tag: { key: "zerostack:object", value: "source-bundle" } },
      { tag: { key: "zerostack:object", value: "serving-code" } },
      {},
    ]);
  });

  it("the uploads' Tagging parameter matches the rules' tag", () => {
    expect(objectTagging("source-bundle")).toBe("zerostack%3Aobject=source-bundle");
    expect(new URLSearchParams(objectTagging("serving-code")).get("zerostack:object")).toBe("serving-code");
  });
});
