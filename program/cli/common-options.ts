// The flags every AWS-touching command shares (Pulumi's conventions where they exist).
import type { Command } from "commander";

export function withCommonOptions(cmd: Command): Command {
  return cmd
    .option("--json", "print JSON lines of progress events (schema v1; the last line is `done` or `error`)")
    .option("--sandbox", "use the local sandbox cloud (the default when no AWS credentials are found)")
    .option("--no-sandbox", "use the real AWS account of the standard credential chain")
    .option("--non-interactive", "never prompt");
}
