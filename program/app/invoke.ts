// InvokeEndpoint, for the Invoke screen and `zerostack invoke`: LMI's JSON request in, the
// generated text and the round-trip latency out.
import { InvokeEndpointCommand, SageMakerRuntimeClient } from "@aws-sdk/client-sagemaker-runtime";
import type { GenerationParams, InvokeResult } from "./contract.js";
import { clientSettings } from "../aws/clients.js";
import { readWatchTarget } from "../driver/experiment-stack.js";
import type { DriverContext } from "../driver/workspace.js";
import { BadInputError } from "../errors.js";

/** The LMI answer: {generated_text}, [{generated_text}], {outputs} (payload/serve), or plain text. */
export function answerText(body: string): string {
  try {
    const parsed: unknown = JSON.parse(body);
    const first = Array.isArray(parsed) ? parsed[0] : parsed;
    if (first && typeof first === "object" && "generated_text" in first)
      return String((first as { generated_text: unknown }).generated_text);
    if (first && typeof first === "object" && "outputs" in first) {
      const outputs = (first as { outputs: unknown }).outputs;
      return Array.isArray(outputs) ? outputs.map(String).join("\n") : String(outputs);
    }
    return typeof parsed === "string" ? parsed : JSON.stringify(parsed);
  } catch {
    return body;
  }
}

export async function invokeEndpoint(
  endpointName: string,
  prompt: string,
  params: GenerationParams,
): Promise<InvokeResult> {
  const client = new SageMakerRuntimeClient(clientSettings());
  const body = JSON.stringify({
    inputs: prompt,
    parameters: { max_new_tokens: params.maxNewTokens, temperature: params.temperature },
  });
  const started = performance.now();
  const response = await client.send(
    new InvokeEndpointCommand({
      EndpointName: endpointName,
      Body: new TextEncoder().encode(body),
      ContentType: "application/json",
      Accept: "application/json",
    }),
  );
  const latencyMs = Math.round(performance.now() - started);
  return { text: answerText(new TextDecoder().decode(response.Body ?? new Uint8Array())), latencyMs };
}

/** Invokes an experiment's endpoint; an experiment without one (training only) is bad input. */
export async function invokeExperiment(
  ctx: DriverContext,
  stack: string,
  prompt: string,
  params: GenerationParams,
): Promise<InvokeResult & { endpoint: string }> {
  const { endpoint } = await readWatchTarget(ctx, stack);
  if (!endpoint) {
    throw new BadInputError(
      [
        {
          field: "--stack",
          message: `${stack} has no endpoint (training only)`,
          allowed: "an experiment created with serving",
        },
      ],
      `run \`zerostack up --stack ${stack}\` with serving enabled, then invoke`,
    );
  }
  return { endpoint, ...(await invokeEndpoint(endpoint, prompt, params)) };
}
