import { describe, expect, it } from "vitest";
import { type Checkpoint, stackOutputsOf } from "../../program/driver/checkpoints.js";

const secret = (ciphertext: string) => ({
  "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270",
  ciphertext,
});

describe("stackOutputsOf", () => {
  it("reads the root stack's outputs and masks every secret, at any depth", () => {
    const checkpoint: Checkpoint = {
      checkpoint: {
        latest: {
          resources: [
            { type: "pulumi-nodejs:dynamic/zerostack:TrainingJob", outputs: { jobName: "not-a-stack-output" } },
            {
              type: "pulumi:pulumi:Stack",
              outputs: {
                endpointName: "tiny-ep",
                billableSeconds: 12,
                token: secret("v1:abc"),
                consoleUrls: { endpoint: "https://x", key: secret("v1:def"), list: [1, secret("v1:ghi")] },
              },
            },
          ],
        },
      },
    };
    expect(stackOutputsOf(checkpoint)).toEqual({
      endpointName: { value: "tiny-ep", secret: false },
      billableSeconds: { value: 12, secret: false },
      token: { value: "[secret]", secret: true },
      consoleUrls: { value: { endpoint: "https://x", key: "[secret]", list: [1, "[secret]"] }, secret: false },
    });
  });

  it("gives no outputs for a checkpoint without a root stack resource", () => {
    expect(stackOutputsOf({ checkpoint: { latest: { resources: [] } } })).toEqual({});
    expect(stackOutputsOf({})).toEqual({});
  });
});
