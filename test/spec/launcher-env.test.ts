import { describe, expect, it } from "vitest";
import { launcherEnv } from "../../program/spec/index.js";
import { specWith } from "./helpers.js";

const S3 = "s3://b/p/model/";

describe("launcherEnv", () => {
  it.each(["ml.p4d.24xlarge", "ml.p4de.24xlarge", "ml.p5.48xlarge"] as const)(
    "sets the EFA RDMA variables on %s",
    (type) => {
      const env = launcherEnv(
        specWith((s) => (s.training.instanceType = type)),
        S3,
      );
      expect(env).toMatchObject({ FI_PROVIDER: "efa", NCCL_PROTO: "simple", FI_EFA_USE_DEVICE_RDMA: "1" });
    },
  );

  it.each(["ml.g5.12xlarge", "ml.g5.48xlarge", "ml.g6.48xlarge"] as const)(
    "leaves them out on %s (no GPUDirect RDMA)",
    (type) => {
      const env = launcherEnv(
        specWith((s) => (s.training.instanceType = type)),
        S3,
      );
      expect(Object.keys(env).filter((k) => k.startsWith("FI_") || k === "NCCL_PROTO")).toEqual([]);
    },
  );

  it("tells the launcher the node count, the upload path and NCCL settings", () => {
    const env = launcherEnv(
      specWith((s) => {
        s.training.nodes = 4;
        s.training.ncclDebug = "WARN";
      }),
      S3,
    );
    expect(env).toMatchObject({ NODE_NUMBER: "4", MODEL_S3_PATH: S3, NCCL_DEBUG: "WARN", NCCL_SOCKET_IFNAME: "eth0" });
  });

  it("passes the user's extra variables through, but never over the derived ones", () => {
    const env = launcherEnv(
      specWith((s) => (s.training.environment = { TOKENIZERS_PARALLELISM: "false", NODE_NUMBER: "99" })),
      S3,
    );
    expect(env.TOKENIZERS_PARALLELISM).toBe("false");
    expect(env.NODE_NUMBER).toBe("2");
  });
});
