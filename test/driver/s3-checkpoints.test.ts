// Pulumi's S3 backend URLs (gocloud.dev blob URLs) as the bucket, prefix and endpoint ls reads.
import { describe, expect, it } from "vitest";
import { s3Backend } from "../../program/driver/s3-checkpoints.js";

describe("s3Backend", () => {
  it("reads the bucket, the prefix and an emulator's endpoint", () => {
    expect(s3Backend("s3://team-state")).toEqual({ bucket: "team-state", prefix: "" });
    expect(s3Backend("s3://team-state/zerostack/prod/")).toEqual({ bucket: "team-state", prefix: "zerostack/prod" });
    expect(s3Backend("s3://b?endpoint=127.0.0.1:4566&s3ForcePathStyle=true&region=eu-west-1")).toEqual({
      bucket: "b",
      prefix: "",
      endpoint: "http://127.0.0.1:4566",
      region: "eu-west-1",
    });
  });

  it("is undefined for the other backends", () => {
    for (const url of [undefined, "file:///home/me/.zerostack/state", "https://api.pulumi.com", "gs://b", "azblob://c"])
      expect(s3Backend(url)).toBeUndefined();
  });
});
