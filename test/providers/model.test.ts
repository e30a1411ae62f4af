// The model provider against the SageMaker stand-in, through the real SDK client.
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { ForeignObjectError, SPEC_HASH_TAG } from "../../program/providers/lifecycle.js";
import { provider, type ModelInputs, type ModelOutputs } from "../../program/providers/model.js";
import { installStandIn, settle, useFakeClock } from "./aws-stand-in.js";

const aws = installStandIn();
afterAll(() => vi.unstubAllEnvs());

const inputs: ModelInputs = {
  name: "zs-demo-model-ab12",
  executionRoleArn: "arn:aws:iam::123456789012:role/zs-exec",
  image: "763104351884.dkr.ecr.us-east-1.amazonaws.com/djl-inference:0.33.0-lmi15.0.0-cu128",
  environment: { OPTION_MODEL_ID: "s3://b/model/" },
  tags: { [SPEC_HASH_TAG]: "m1", "zerostack:experiment": "demo" },
};

beforeEach(() => {
  aws.reset();
  useFakeClock();
});
afterEach(() => vi.useRealTimers());

describe("model create", () => {
  it("creates the model with its tags when none exists", async () => {
    const result = await settle(provider.create(inputs));
    expect(result).toMatchObject({
      ok: true,
      value: { id: inputs.name, outs: { arn: expect.stringContaining(":model/zs-demo-model-ab12") } },
    });
    expect(aws.actions()).toEqual(["DescribeModel", "CreateModel"]);
    expect(aws.tagsOf("model", inputs.name)).toEqual(inputs.tags);
  });

  it("adopts its own model left by a killed run", async () => {
    const arn = aws.seed("model", inputs.name, { ModelName: inputs.name }, inputs.tags);
    const result = await settle(provider.create(inputs));
    expect(result).toMatchObject({ ok: true, value: { outs: { arn } } });
    expect(aws.actions()).toEqual(["DescribeModel", "ListTags"]);
  });

  it("refuses a model of that name made from other inputs, and creates nothing", async () => {
    aws.seed("model", inputs.name, { ModelName: inputs.name }, { [SPEC_HASH_TAG]: "other" });
    const result = await settle(provider.create(inputs));
    expect(result.ok).toBe(false);
    expect((result as { error: Error }).error).toBeInstanceOf(ForeignObjectError);
    expect(aws.actions()).toEqual(["DescribeModel", "ListTags"]);
  });
});

describe("model diff and update", () => {
  it("a tags-only change updates the tags in place; the model is kept", async () => {
    const arn = aws.seed("model", inputs.name, { ModelName: inputs.name }, inputs.tags);
    const olds: ModelOutputs = { ...inputs, arn, modelDataUrl: "" };
    const news = { ...inputs, tags: { ...inputs.tags, owner: "ml-team" } };
    expect(await provider.diff(inputs.name, olds, news)).toEqual({
      changes: true,
      replaces: [],
      deleteBeforeReplace: true,
    });
    const result = await settle(provider.update(inputs.name, olds, news));
    expect(result).toMatchObject({ ok: true, value: { outs: { arn, tags: news.tags } } });
    expect(aws.actions()).toEqual(["AddTags"]);
    expect(aws.tagsOf("model", inputs.name)).toEqual(news.tags);
  });

  it("any other input replaces it (created beside the old one when the name changes)", async () => {
    const olds: ModelOutputs = { ...inputs, arn: "arn:m", modelDataUrl: "" };
    expect(
      await provider.diff(inputs.name, olds, { ...inputs, environment: { OPTION_MODEL_ID: "s3://b/other/" } }),
    ).toMatchObject({ replaces: ["environment"] });
    expect(
      await provider.diff(inputs.name, olds, { ...inputs, name: "zs-demo-model-cd34", image: "img:2" }),
    ).toMatchObject({ replaces: ["name", "image"], deleteBeforeReplace: false });
  });
});

describe("model delete", () => {
  it("deletes, and a model gone already is fine", async () => {
    const arn = aws.seed("model", inputs.name, { ModelName: inputs.name }, inputs.tags);
    expect((await settle(provider.delete(inputs.name, { ...inputs, arn, modelDataUrl: "" }))).ok).toBe(true);
    expect(aws.get("model", inputs.name)).toBeUndefined();
    expect((await settle(provider.delete(inputs.name, { ...inputs, arn, modelDataUrl: "" }))).ok).toBe(true);
  });
});
