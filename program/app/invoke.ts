// InvokeEndpoint for the Invoke screen, through @aws-sdk/client-sagemaker-runtime when it is
// installed (not yet a dependency: then a NotAvailableError says what to add).
import { NotAvailableError, type GenerationParams, type InvokeResult } from "../../tui/backend.js";
import { clientSettings } from "../aws/clients.js";

interface RuntimeModule {
  SageMakerRuntimeClient: new (settings: object) => { send(command: object): Promise<{ Body?: Uint8Array }> };
  InvokeEndpointCommand: new (input: object) => object;
}

const RUNTIME = "@aws-sdk/client-sagemaker-runtime";

async function runtime(): Promise<RuntimeModule> {
  try {
    // a variable specifier: the package is optional until it is a dependency
    return (await import(RUNTIME)) as RuntimeModule;
  } catch {
    throw new NotAvailableError("invoke", `invoking an endpoint needs ${RUNTIME}, which is not installed`, `add ${RUNTIME} to package.json dependencies and run npm install`);
  }
}

/** The LMI answer: {generated_text}, [{generated_text}], or plain text. */
export function answerText(body: string): string {
  try {
    const parsed: unknown = JSON.parse(body);
    const first = Array.isArray(parsed) ? parsed[0] : parsed;
    if (first && typeof first === "object" && "generated_text" in first) return String((first as { generated_text: unknown }).generated_text);
    return typeof parsed === "string" ? parsed : JSON.stringify(parsed);
  } catch {
    return body;
  }
}

export async function invokeEndpoint(endpointName: string, prompt: string, params: GenerationParams): Promise<InvokeResult> {
  const { SageMakerRuntimeClient, InvokeEndpointCommand } = await runtime();
  const client = new SageMakerRuntimeClient(clientSettings());
  const body = JSON.stringify({ inputs: prompt, parameters: { max_new_tokens: params.maxNewTokens, temperature: params.temperature } });
  const started = performance.now();
  const response = await client.send(new InvokeEndpointCommand({ EndpointName: endpointName, Body: new TextEncoder().encode(body), ContentType: "application/json", Accept: "application/json" }));
  const latencyMs = Math.round(performance.now() - started);
  return { text: answerText(new TextDecoder().decode(response.Body ?? new Uint8Array())), latencyMs };
}
