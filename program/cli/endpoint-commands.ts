// invoke: send a prompt to an experiment's endpoint and print the answer and its latency.
import type { Command } from "commander";
import { BadInputError } from "../errors.js";
import { framed } from "./command-frame.js";
import { withCommonOptions } from "./common-options.js";

interface InvokeFlags {
  stack: string;
  prompt: string;
  maxNewTokens: string;
  temperature: string;
}

function positiveNumber(field: string, text: string, integer: boolean): number {
  const value = Number(text);
  if (!Number.isFinite(value) || value < 0 || (integer && !Number.isInteger(value))) {
    throw new BadInputError([
      {
        field,
        message: `${JSON.stringify(text)} is not a ${integer ? "whole " : ""}number >= 0`,
        allowed: integer ? "e.g. 64" : "e.g. 0.7",
      },
    ]);
  }
  return value;
}

export function registerEndpointCommands(program: Command, setExit: (code: number) => void): void {
  withCommonOptions(
    program
      .command("invoke")
      .description("send a prompt to an experiment's endpoint")
      .requiredOption("-s, --stack <name>", "experiment (stack) name")
      .requiredOption("-p, --prompt <text>", "the prompt")
      .option("--max-new-tokens <n>", "tokens to generate", "64")
      .option("--temperature <t>", "sampling temperature (0: greedy)", "0"),
  ).action(
    framed<InvokeFlags>({ action: "invoke" }, setExit, async (flags, { out, session }) => {
      const params = {
        maxNewTokens: positiveNumber("--max-new-tokens", flags.maxNewTokens, true),
        temperature: positiveNumber("--temperature", flags.temperature, false),
      };
      const { invokeExperiment } = await import("../app/invoke.js");
      const answer = await invokeExperiment(await session(), flags.stack, flags.prompt, params);
      out.result(answer, () => `${answer.text}\n(${answer.latencyMs} ms from ${answer.endpoint})`);
      return { stack: flags.stack };
    }),
  );
}
