// The lifecycle every SageMaker provider shares, on a fake clock: the backoff of waitUntil, its
// timeout and failure messages, the spec-hash check before adopting, tag updates, the immutable diff.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import {
  adoptIfOurs,
  ForeignObjectError,
  immutableDiff,
  SPEC_HASH_TAG,
  updateTags,
  waitUntil,
  waitUntilGone,
} from "../../program/providers/lifecycle.js";
import { gaps, settle, useFakeClock, type Call } from "./aws-stand-in.js";

/** A describe() that answers `statuses` one per call (the last one forever) and notes when it was called. */
function scripted(statuses: string[]) {
  const calls: Call[] = [];
  const describe = async () => {
    calls.push({ action: "Describe", input: {}, at: Date.now() });
    return {
      Status: statuses[Math.min(calls.length - 1, statuses.length - 1)]!,
      FailureReason: "CUDA out of memory on algo-2",
    };
  };
  return { calls, describe };
}

beforeEach(() => useFakeClock());
afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllEnvs();
});

describe("waitUntil's backoff", () => {
  it("doubles from the first interval and stays at its cap", async () => {
    const { calls, describe } = scripted([...Array(7).fill("Creating"), "InService"]);
    const result = await settle(
      waitUntil({
        what: "endpoint e",
        describe,
        done: (v) => v.Status === "InService",
        timeoutSeconds: 3600,
        intervalMs: 1000,
        maxIntervalMs: 8000,
      }),
    );
    expect(result).toMatchObject({ ok: true, value: { Status: "InService" } });
    expect(gaps(calls)).toEqual([1000, 2000, 4000, 8000, 8000, 8000, 8000]);
  });

  it("polls AWS politely by default: 5 s doubling to 30 s", async () => {
    vi.stubEnv("AWS_ENDPOINT_URL", undefined);
    vi.stubEnv("ZEROSTACK_POLL_MS", undefined);
    const { calls, describe } = scripted([...Array(6).fill("Creating"), "InService"]);
    await settle(
      waitUntil({ what: "endpoint e", describe, done: (v) => v.Status === "InService", timeoutSeconds: 3600 }),
    );
    expect(gaps(calls)).toEqual([5000, 10000, 20000, 30000, 30000, 30000]);
  });

  it("polls the emulator fast: 250 ms doubling to 1 s", async () => {
    vi.stubEnv("AWS_ENDPOINT_URL", "http://127.0.0.1:5000");
    vi.stubEnv("ZEROSTACK_POLL_MS", undefined);
    const { calls, describe } = scripted([...Array(5).fill("Creating"), "InService"]);
    await settle(
      waitUntil({ what: "endpoint e", describe, done: (v) => v.Status === "InService", timeoutSeconds: 60 }),
    );
    expect(gaps(calls)).toEqual([250, 500, 1000, 1000, 1000]);
  });
});

describe("waitUntil's ends", () => {
  it("gives up at the deadline without sleeping past it, naming the resource", async () => {
    const { calls, describe } = scripted(["Creating"]);
    const result = await settle(
      waitUntil({
        what: "endpoint zs-demo",
        describe,
        done: (v) => v.Status === "InService",
        timeoutSeconds: 60,
        intervalMs: 1000,
        maxIntervalMs: 8000,
      }),
    );
    expect(result.ok).toBe(false);
    const message = (result as { error: Error }).error.message;
    expect(message).toContain("endpoint zs-demo");
    expect(message).toContain("60s");
    expect(message).toContain("zerostack up");
    // polls at 0, 1, 3, 7, 15, 23, 31, 39, 47, 55 s; the next (63 s) would pass the deadline
    expect(calls.map((c) => c.at - calls[0]!.at)).toEqual([0, 1, 3, 7, 15, 23, 31, 39, 47, 55].map((s) => s * 1000));
  });

  it("gives up naming the last status it saw", async () => {
    const { describe } = scripted(["Creating", "Creating", "Updating"]);
    const result = await settle(
      waitUntil({
        what: "endpoint zs-demo",
        describe,
        done: (v) => v.Status === "InService",
        status: (v) => v.Status,
        timeoutSeconds: 60,
        intervalMs: 1000,
      }),
    );
    expect((result as { error: Error }).error.message).toMatch(/endpoint zs-demo.*Updating/);
  });

  it("throws the FailureReason of a failed status at once", async () => {
    const { calls, describe } = scripted(["Creating", "Failed"]);
    const result = await settle(
      waitUntil({
        what: "endpoint zs-demo",
        describe,
        done: (v) => v.Status === "InService",
        failed: (v) => (v.Status === "Failed" ? v.FailureReason : undefined),
        timeoutSeconds: 3600,
        intervalMs: 1000,
      }),
    );
    expect(result.ok).toBe(false);
    expect((result as { error: Error }).error.message).toBe("endpoint zs-demo failed: CUDA out of memory on algo-2");
    expect(calls).toHaveLength(2);
  });

  it("waitUntilGone ends on SageMaker's not-found answer and rethrows any other error", async () => {
    let n = 0;
    const notFound = Object.assign(
      new Error('Could not find model "arn:aws:sagemaker:us-east-1:123456789012:model/m".'),
      { name: "ValidationException" },
    );
    const gone = await settle(waitUntilGone("model m", async () => (++n < 3 ? {} : Promise.reject(notFound)), 60));
    expect(gone.ok).toBe(true);
    expect(n).toBe(3);
    const denied = Object.assign(new Error("User is not authorized to perform: sagemaker:DescribeModel"), {
      name: "AccessDeniedException",
    });
    const failed = await settle(waitUntilGone("model m", () => Promise.reject(denied), 60));
    expect(failed).toMatchObject({ ok: false, error: denied });
  });
});

describe("adopting what a killed run left", () => {
  const arn = "arn:aws:sagemaker:us-east-1:123456789012:model/m";
  const ours = { [SPEC_HASH_TAG]: "abc123", "zerostack:experiment": "demo" };

  it("adopts an object whose spec-hash tag is ours", async () => {
    const listTags = vi.fn(async () => [{ Key: SPEC_HASH_TAG, Value: "abc123" }]);
    await expect(adoptIfOurs("model", "m", arn, ours, listTags)).resolves.toBeUndefined();
    expect(listTags).toHaveBeenCalledWith(arn);
  });

  it("refuses an object made from other inputs, or with no spec-hash at all", async () => {
    const other = adoptIfOurs("model", "m", arn, ours, async () => [{ Key: SPEC_HASH_TAG, Value: "fff999" }]);
    await expect(other).rejects.toThrow(ForeignObjectError);
    await expect(
      adoptIfOurs("model", "m", arn, ours, async () => [{ Key: SPEC_HASH_TAG, Value: "fff999" }]),
    ).rejects.toThrow(/model m already exists with zerostack:spec-hash=fff999, not abc123/);
    await expect(adoptIfOurs("model", "m", arn, ours, async () => [])).rejects.toThrow(/spec-hash=\(none\)/);
  });
});

describe("tags", () => {
  it("updateTags removes dropped keys and adds only new or changed ones", async () => {
    const send = { add: vi.fn(async () => ({})), remove: vi.fn(async () => ({})) };
    await updateTags("arn:x", { a: "1", b: "2", c: "3" }, { a: "1", b: "20", d: "4" }, send);
    expect(send.remove).toHaveBeenCalledExactlyOnceWith("arn:x", ["c"]);
    expect(send.add).toHaveBeenCalledExactlyOnceWith("arn:x", [
      { Key: "b", Value: "20" },
      { Key: "d", Value: "4" },
    ]);
    send.add.mockClear();
    send.remove.mockClear();
    await updateTags("arn:x", { a: "1" }, { a: "1" }, send);
    expect(send.add).not.toHaveBeenCalled();
    expect(send.remove).not.toHaveBeenCalled();
  });

  it("immutableDiff: a tags-only change is an update in place, any other input replaces", () => {
    const olds = { name: "m", image: "img:1", tags: { a: "1" } };
    const fields = ["name", "image", "tags"] as const;
    expect(immutableDiff(olds, { ...olds, tags: { a: "2" } }, [...fields])).toEqual({
      changes: true,
      replaces: [],
      deleteBeforeReplace: true,
    });
    expect(immutableDiff(olds, { ...olds, image: "img:2" }, [...fields])).toMatchObject({
      changes: true,
      replaces: ["image"],
    });
    expect(immutableDiff(olds, { ...olds, name: "m2", image: "img:2" }, [...fields])).toMatchObject({
      replaces: ["name", "image"],
      deleteBeforeReplace: false,
    });
    expect(immutableDiff(olds, { ...olds }, [...fields])).toMatchObject({ changes: false, replaces: [] });
  });
});
