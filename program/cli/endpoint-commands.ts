// invoke: send a prompt to an experiment's endpoint and print the answer and its latency.
import type { Command } from "commander";
import { BadInputError } from "../errors.js";
import { runCommand } from "./run-command.js";
import { openSession } from "./session.js";
import { withCommonOptions } from "./common-options.js";

function positiveNumber(field: string, text: string, integer: boolean): number {
  const value = Number(text);
  if (!Number.isFinite(value) || value < 0 || (integer && !Number.isInteger(value))) {
    throw new BadInputError([{ field, message: `${JSON.stringify(text)} is not a ${integer ? "whole " : ""}number >= 0`, allowed: integer ? "e.g. 64" : "e.g. 0.7" }]);
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
  ).action((flags: { stack: string; prompt: string; maxNewTokens: string; temperature: string; json?: boolean; sandbox?: boolean }) =>
    runCommand("invoke", flags.json ?? false, async ({ out }) => {
      const params = { maxNewTokens: positiveNumber("--max-new-tokens", flags.maxNewTokens, true), temperature: positiveNumber("--temperature", flags.temperature, false) };
      const session = await openSession(flags.sandbox, out);
      const [{ readWatchTarget }, { invokeEndpoint }] = await Promise.all([import("../driver/experiment-stack.js"), import("../app/invoke.js")]);
      const { endpoint } = await readWatchTarget(session, flags.stack);
      if (!endpoint) throw new BadInputError([{ field: "--stack", message: `${flags.stack} has no endpoint (training only)`, allowed: "an experiment created with serving" }]);
      const answer = await invokeEndpoint(endpoint, flags.prompt, params);
      out.result({ endpoint, ...answer }, () => `${answer.text}\n(${answer.latencyMs} ms from ${endpoint})`);
      if (out.json) out.event({ type: "done", action: "invoke", stack: flags.stack, ok: true, seconds: answer.latencyMs / 1000 });
    }).then(setExit),
  );
}
