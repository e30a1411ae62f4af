// The endpoint provider against the SageMaker stand-in, through the real SDK client, on a fake clock.
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { provider, type EndpointInputs, type EndpointOutputs } from "../../program/providers/endpoint.js";
import { ForeignObjectError, SPEC_HASH_TAG } from "../../program/providers/lifecycle.js";
import { gaps, installStandIn, settle, useFakeClock } from "./aws-stand-in.js";

const aws = installStandIn();
afterAll(() => vi.unstubAllEnvs());

const inputs: EndpointInputs = {
  name: "zs-demo",
  configName: "zs-demo-cfg-1111",
  tags: { [SPEC_HASH_TAG]: "e1", "zerostack:experiment": "demo" },
  waitTimeoutSeconds: 1800,
};

function outputsOf(i: EndpointInputs, arn: string): EndpointOutputs {
  return { ...i, arn, status: "InService", createdAt: "2026-12-01T10:00:00.000Z" };
}

beforeEach(() => {
  aws.reset();
  aws.seed("endpoint-config", inputs.configName, { EndpointConfigName: inputs.configName });
  useFakeClock();
});
afterEach(() => vi.useRealTimers());

describe("endpoint create", () => {
  it("creates, then waits for InService polling 5 s doubling to a 30 s cap", async () => {
    aws.plan.endpoint = [...Array(6).fill({}), { EndpointStatus: "InService" }];
    const result = await settle(provider.create(inputs));
    expect(result).toMatchObject({
      ok: true,
      value: {
        id: "zs-demo",
        outs: {
          status: "InService",
          arn: expect.stringContaining(":endpoint/zs-demo"),
          createdAt: expect.stringMatching(/^\d{4}-/),
        },
      },
    });
    expect(aws.callsOf("CreateEndpoint")).toHaveLength(1);
    expect(aws.tagsOf("endpoint", "zs-demo")).toEqual(inputs.tags);
    // the first Describe is the existence check, right before CreateEndpoint
    const waits = aws.callsOf("DescribeEndpoint").slice(1);
    expect(gaps(waits)).toEqual([5000, 10000, 20000, 30000, 30000, 30000, 30000]);
  });

  it("throws the endpoint's FailureReason when it fails", async () => {
    aws.plan.endpoint = [
      {},
      {
        EndpointStatus: "Failed",
        FailureReason: "The primary container for production variant AllTraffic did not pass the ping health check.",
      },
    ];
    const result = await settle(provider.create(inputs));
    expect(result.ok).toBe(false);
    expect((result as { error: Error }).error.message).toBe(
      "endpoint zs-demo failed: The primary container for production variant AllTraffic did not pass the ping health check.",
    );
    // a failed create leaves nothing behind (Pulumi records nothing of it: destroy would never delete it)
    expect(aws.actions()).toContain("DeleteEndpoint");
    await expect(provider.read("zs-demo", undefined)).resolves.toMatchObject({ id: "" });
  });

  it("gives up after waitTimeoutSeconds with a message naming the endpoint", async () => {
    aws.plan.endpoint = []; // stays Creating
    const result = await settle(provider.create({ ...inputs, waitTimeoutSeconds: 120 }));
    expect(result.ok).toBe(false);
    expect((result as { error: Error }).error.message).toMatch(
      /^endpoint zs-demo: still not done after 120s \(last status Creating\)/,
    );
    // 0, 5, 15, 35, 65, 95 s: the next poll (125 s) would be past the deadline; then one look
    // whether it Failed (to clean up): it did not, so it stays for the next `up` to wait on
    const waits = aws.callsOf("DescribeEndpoint").slice(1);
    expect(waits.map((c) => (c.at - waits[0]!.at) / 1000)).toEqual([0, 5, 15, 35, 65, 95, 95]);
    expect(aws.actions()).not.toContain("DeleteEndpoint");
  });

  it("adopts its own endpoint left by a killed run, and waits for it without creating another", async () => {
    aws.seed(
      "endpoint",
      "zs-demo",
      { EndpointName: "zs-demo", EndpointConfigName: inputs.configName, EndpointStatus: "Creating" },
      inputs.tags,
      [{ EndpointStatus: "InService" }],
    );
    const result = await settle(provider.create(inputs));
    expect(result).toMatchObject({ ok: true, value: { outs: { status: "InService" } } });
    expect(aws.actions()).not.toContain("CreateEndpoint");
    expect(aws.actions()).not.toContain("UpdateEndpoint");
  });

  it("refuses an endpoint of that name made from other inputs, and leaves it alone", async () => {
    aws.seed(
      "endpoint",
      "zs-demo",
      { EndpointName: "zs-demo", EndpointConfigName: "someone-elses", EndpointStatus: "InService" },
      { [SPEC_HASH_TAG]: "other" },
    );
    const result = await settle(provider.create(inputs));
    expect(result.ok).toBe(false);
    expect((result as { error: Error }).error).toBeInstanceOf(ForeignObjectError);
    expect((result as { error: Error }).error.message).toMatch(
      /endpoint zs-demo already exists with zerostack:spec-hash=other, not e1/,
    );
    expect(aws.actions()).toEqual(["DescribeEndpoint", "ListTags"]);
    expect(aws.get("endpoint", "zs-demo")?.fields.EndpointConfigName).toBe("someone-elses");
  });
});

describe("endpoint diff and update", () => {
  let olds: EndpointOutputs;
  beforeEach(() => {
    const arn = aws.seed(
      "endpoint",
      "zs-demo",
      { EndpointName: "zs-demo", EndpointConfigName: inputs.configName, EndpointStatus: "InService" },
      inputs.tags,
    );
    olds = outputsOf(inputs, arn);
  });

  it("a tags-only change updates the tags in place: no replacement, no UpdateEndpoint", async () => {
    const news = { ...inputs, tags: { [SPEC_HASH_TAG]: "e1", owner: "ml-team" } };
    expect(await provider.diff("zs-demo", olds, news)).toEqual({
      changes: true,
      replaces: [],
      deleteBeforeReplace: true,
    });
    const result = await settle(provider.update("zs-demo", olds, news));
    expect(result).toMatchObject({ ok: true, value: { outs: { tags: news.tags, status: "InService" } } });
    expect(aws.tagsOf("endpoint", "zs-demo")).toEqual(news.tags);
    expect(aws.actions()).not.toContain("UpdateEndpoint");
    expect(aws.actions().filter((a) => /^(Create|Delete)Endpoint$/.test(a))).toEqual([]);
  });

  it("a new config is an UpdateEndpoint in place (never a replacement), waited for until InService on it", async () => {
    aws.seed("endpoint-config", "zs-demo-cfg-2222", { EndpointConfigName: "zs-demo-cfg-2222" });
    const news = { ...inputs, configName: "zs-demo-cfg-2222" };
    expect(await provider.diff("zs-demo", olds, news)).toMatchObject({ changes: true, replaces: [] });
    aws.plan.endpoint = [{}, {}, { EndpointStatus: "InService", EndpointConfigName: "zs-demo-cfg-2222" }];
    const result = await settle(provider.update("zs-demo", olds, news));
    expect(result).toMatchObject({
      ok: true,
      value: { outs: { configName: "zs-demo-cfg-2222", status: "InService" } },
    });
    expect(aws.callsOf("UpdateEndpoint").map((c) => c.input)).toEqual([
      { EndpointName: "zs-demo", EndpointConfigName: "zs-demo-cfg-2222" },
    ]);
    expect(aws.actions().filter((a) => /^(Create|Delete)Endpoint$/.test(a))).toEqual([]);
  });

  it("only a new name replaces the endpoint", async () => {
    expect(await provider.diff("zs-demo", olds, { ...inputs, name: "zs-other" })).toMatchObject({
      changes: true,
      replaces: ["name"],
    });
    expect(await provider.diff("zs-demo", olds, { ...inputs })).toMatchObject({ changes: false, replaces: [] });
  });
});

describe("endpoint delete", () => {
  it("deletes and waits until SageMaker no longer finds it", async () => {
    aws.seed(
      "endpoint",
      "zs-demo",
      { EndpointName: "zs-demo", EndpointConfigName: inputs.configName, EndpointStatus: "InService" },
      inputs.tags,
    );
    const result = await settle(provider.delete("zs-demo", outputsOf(inputs, "")));
    expect(result.ok).toBe(true);
    expect(aws.get("endpoint", "zs-demo")).toBeUndefined();
    expect(aws.actions()).toEqual(["DeleteEndpoint", "DescribeEndpoint", "DescribeEndpoint"]);
  });

  it("an endpoint deleted already (by its TTL) is fine", async () => {
    const result = await settle(provider.delete("zs-demo", outputsOf(inputs, "")));
    expect(result.ok).toBe(true);
    expect(aws.actions()).toEqual(["DeleteEndpoint"]);
  });
});
