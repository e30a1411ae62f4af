// Throttling is the AWS SDK's to ride out (adaptive retries, MAX_ATTEMPTS), and every call it had
// to retry becomes a report (a diagnostic in the watchers), never an error.
import { ListEndpointsCommand, SageMakerClient } from "@aws-sdk/client-sagemaker";
import type { HttpRequest, HttpResponse } from "@smithy/types";
import { describe, expect, it } from "vitest";
import {
  clientSettings,
  MAX_ATTEMPTS,
  type RetryReport,
  reportRetries,
  retryMessage,
} from "../../program/aws/clients.js";

/** SageMaker's throttling answer (AWS Common Errors: ThrottlingException, 400), `throttled` times, then a list. */
function throttlingThenOk(throttled: number) {
  let calls = 0;
  const answer = (statusCode: number, body: object): { response: HttpResponse } => {
    const bytes = new TextEncoder().encode(JSON.stringify(body));
    const headers = { "content-type": "application/x-amz-json-1.1", "content-length": String(bytes.length) };
    return { response: { statusCode, headers, body: bytes } };
  };
  return {
    calls: () => calls,
    handler: {
      async handle(_request: HttpRequest) {
        calls += 1;
        return calls <= throttled
          ? answer(400, { __type: "ThrottlingException", message: "Rate exceeded" })
          : answer(200, { Endpoints: [] });
      },
    },
  };
}

const client = (handler: object) =>
  new SageMakerClient({
    ...clientSettings({ AWS_REGION: "us-east-1", AWS_ENDPOINT_URL: "http://127.0.0.1:9" }),
    credentials: { accessKeyId: "a", secretAccessKey: "b" },
    requestHandler: handler as never,
  });

describe("AWS clients", () => {
  it("use the SDK's adaptive retries with MAX_ATTEMPTS, against AWS and an emulator alike", () => {
    expect(clientSettings({})).toMatchObject({ maxAttempts: MAX_ATTEMPTS, retryMode: "adaptive" });
    expect(clientSettings({ AWS_ENDPOINT_URL: "http://x" })).toMatchObject({
      maxAttempts: MAX_ATTEMPTS,
      retryMode: "adaptive",
    });
  });

  it("ride out throttling and report the retried call", async () => {
    const aws = throttlingThenOk(2);
    const reports: RetryReport[] = [];
    const sm = reportRetries(client(aws.handler), (r) => reports.push(r));
    await sm.send(new ListEndpointsCommand({}));
    expect(aws.calls()).toBe(3);
    expect(reports).toHaveLength(1);
    expect(reports[0]).toMatchObject({ operation: "ListEndpointsCommand", attempts: 3 });
    expect(retryMessage(reports[0]!)).toMatch(/^SageMaker ListEndpoints: answered after 3 attempts/);
  }, 30_000);

  it("report nothing for a call answered at once", async () => {
    const reports: RetryReport[] = [];
    await reportRetries(client(throttlingThenOk(0).handler), (r) => reports.push(r)).send(new ListEndpointsCommand({}));
    expect(reports).toEqual([]);
  });
});
