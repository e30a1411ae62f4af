// AWS SDK client settings from the environment: the standard credential chain and region, and
// AWS_ENDPOINT_URL pointing every client at an emulator (the sandbox) when set. Throttling and
// transient 5xx are the SDK's to ride out (adaptive retries: backoff plus a client-side rate
// limit once throttled); zerostack keeps no retry loop of its own.
import type { InitializeHandlerOptions, InitializeMiddleware, MetadataBearer } from "@smithy/types";

export interface ClientSettings {
  region: string;
  endpoint?: string;
  forcePathStyle?: boolean;
  maxAttempts: number;
  retryMode: "adaptive";
}

/** Attempts per call: enough to cross a bad minute of throttling, short of hiding an outage. */
export const MAX_ATTEMPTS = 8;

export function clientSettings(env: NodeJS.ProcessEnv = process.env): ClientSettings {
  const region = env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? "us-east-1";
  const endpoint = env.AWS_ENDPOINT_URL;
  const retries = { maxAttempts: MAX_ATTEMPTS, retryMode: "adaptive" as const };
  return endpoint ? { region, endpoint, forcePathStyle: true, ...retries } : { region, ...retries };
}

/** A call the SDK answered only after retrying (throttled, or a transient 5xx). */
export interface RetryReport {
  client: string;
  operation: string;
  attempts: number;
  delayMs: number;
}

interface MiddlewareHost {
  middlewareStack: {
    add(middleware: InitializeMiddleware<object, MetadataBearer>, options: InitializeHandlerOptions): void;
  };
}

/** Tells `onRetry` about every call of `client` that needed more than one attempt; returns the client. */
export function reportRetries<C extends MiddlewareHost>(client: C, onRetry: (report: RetryReport) => void): C {
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const result = await next(args);
      const { attempts = 1, totalRetryDelay = 0 } = result.output.$metadata ?? {};
      if (attempts > 1) {
        onRetry({
          client: String(context.clientName ?? "aws"),
          operation: String(context.commandName ?? "call"),
          attempts,
          delayMs: totalRetryDelay,
        });
      }
      return result;
    },
    { step: "initialize", name: "zerostackRetryReport" },
  );
  return client;
}

/** The diagnostic a retried call becomes: information, never an error. */
export function retryMessage(report: RetryReport): string {
  return `${report.client.replace(/Client$/, "")} ${report.operation.replace(/Command$/, "")}: answered after ${report.attempts} attempts (throttled or a transient error; the SDK waited ${Math.round(report.delayMs)} ms)`;
}
