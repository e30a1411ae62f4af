// Destructive commands need --yes; on a TTY we ask, without one we refuse with the fix (exit 2).
import { BadInputError } from "../errors.js";

export async function confirmOrRequireYes(
  yes: boolean | undefined,
  nonInteractive: boolean | undefined,
  question: string,
  command: string,
): Promise<boolean> {
  if (yes) return true;
  if (nonInteractive || !process.stdin.isTTY) {
    throw new BadInputError(
      [{ field: "--yes", message: `${command} changes resources and needs confirmation`, allowed: "--yes" }],
      `run \`zerostack ${command} --yes\``,
    );
  }
  const { createInterface } = await import("node:readline/promises");
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    const answer = await rl.question(`${question} [y/N] `);
    return /^y(es)?$/i.test(answer.trim());
  } finally {
    rl.close();
  }
}
