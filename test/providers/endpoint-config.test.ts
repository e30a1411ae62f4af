// The endpoint-config provider against the SageMaker stand-in, through the real SDK client.
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import {
  provider,
  type EndpointConfigInputs,
  type EndpointConfigOutputs,
} from "../../program/providers/endpoint-config.js";
import { ForeignObjectError, SPEC_HASH_TAG } from "../../program/providers/lifecycle.js";
import { installStandIn, settle, useFakeClock } from "./aws-stand-in.js";

const aws = installStandIn();
afterAll(() => vi.unstubAllEnvs());

const inputs: EndpointConfigInputs = {
  name: "zs-demo-cfg-1111",
  modelName: "zs-demo-model-ab12",
  instanceType: "ml.g6e.2xlarge",
  instanceCount: 1,
  variantName: "AllTraffic",
  healthCheckTimeoutSeconds: 1500,
  modelDownloadTimeoutSeconds: 1500,
  tags: { [SPEC_HASH_TAG]: "c1", "zerostack:experiment": "demo" },
};

beforeEach(() => {
  aws.reset();
  aws.seed("model", inputs.modelName, { ModelName: inputs.modelName });
  useFakeClock();
});
afterEach(() => vi.useRealTimers());

describe("endpoint config", () => {
  it("creates the config for its model with the health-check and download timeouts", async () => {
    const result = await settle(provider.create(inputs));
    expect(result).toMatchObject({
      ok: true,
      value: { id: inputs.name, outs: { arn: expect.stringContaining(":endpoint-config/zs-demo-cfg-1111") } },
    });
    expect(aws.callsOf("CreateEndpointConfig")[0]?.input.ProductionVariants).toEqual([
      expect.objectContaining({
        ModelName: inputs.modelName,
        ContainerStartupHealthCheckTimeoutInSeconds: 1500,
        ModelDataDownloadTimeoutInSeconds: 1500,
      }),
    ]);
  });

  it("adopts its own config and refuses one made from other inputs", async () => {
    aws.seed("endpoint-config", inputs.name, { EndpointConfigName: inputs.name }, inputs.tags);
    expect((await settle(provider.create(inputs))).ok).toBe(true);
    aws.reset();
    aws.seed("endpoint-config", inputs.name, { EndpointConfigName: inputs.name }, { [SPEC_HASH_TAG]: "other" });
    const refused = await settle(provider.create(inputs));
    expect(refused.ok).toBe(false);
    expect((refused as { error: Error }).error).toBeInstanceOf(ForeignObjectError);
    expect(aws.actions()).not.toContain("CreateEndpointConfig");
  });

  it("a tags-only change updates the tags in place; any other input replaces it", async () => {
    const arn = aws.seed("endpoint-config", inputs.name, { EndpointConfigName: inputs.name }, inputs.tags);
    const olds: EndpointConfigOutputs = { ...inputs, arn };
    const news = { ...inputs, tags: { [SPEC_HASH_TAG]: "c1" } };
    expect(await provider.diff(inputs.name, olds, news)).toEqual({
      changes: true,
      replaces: [],
      deleteBeforeReplace: true,
    });
    const result = await settle(provider.update(inputs.name, olds, news));
    expect(result).toMatchObject({ ok: true, value: { outs: { arn, tags: news.tags } } });
    expect(aws.actions()).toEqual(["DeleteTags"]);
    expect(aws.tagsOf("endpoint-config", inputs.name)).toEqual(news.tags);
    expect(await provider.diff(inputs.name, olds, { ...inputs, instanceType: "ml.g6e.12xlarge" })).toMatchObject({
      replaces: ["instanceType"],
    });
  });
});
