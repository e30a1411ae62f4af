// `zerostack base up|preview|destroy|show`: the base stack's commands. Parsing only; the work is
// in program/driver/base-operations.ts (Automation API) and program/base/base-stack.ts (the program).
import type { Command } from "commander";
import type { BaseConfigInput } from "../base/config.js";
import { BASE_STACK } from "../base/base-names.js";
import { framed } from "./command-frame.js";

interface BaseFlags {
  json?: boolean;
  yes?: boolean;
  nonInteractive?: boolean;
  force?: boolean;
  region?: string;
  prefix?: string;
  bucketName?: string;
  existingBucket?: string;
  existingExecutionRoleArn?: string;
  existingSchedulerRoleArn?: string;
  versioning?: boolean;
  encryption?: string;
  kmsKeyArn?: string;
  sourceBundleExpirationDays?: number;
  servingCodeExpirationDays?: number;
  forceDestroy?: boolean;
  tag?: string[];
  reset?: boolean;
}

const int = (value: string) => (/^\d+$/.test(value) ? Number(value) : Number.NaN);
const collect = (value: string, previous: string[] = []) => [...previous, value];

function withConfigOptions(cmd: Command): Command {
  return cmd
    .option(
      "--region <region>",
      "AWS region of the bucket and of the endpoints the scheduler role may delete (default AWS_REGION)",
    )
    .option("--prefix <prefix>", "S3 key prefix the execution role may use (default zerostack)")
    .option("--bucket-name <name>", "name of the bucket to create (default zerostack-<account>-<region>)")
    .option("--existing-bucket <name>", "bring your own bucket: create none")
    .option("--existing-execution-role-arn <arn>", "bring your own SageMaker execution role: create none")
    .option(
      "--existing-scheduler-role-arn <arn>",
      "bring your own scheduler role (trusts scheduler.amazonaws.com, may sagemaker:DeleteEndpoint): create none",
    )
    .option("--versioning", "keep object versions (old ones expire)")
    .option("--no-versioning", "no object versions")
    .option("--encryption <algorithm>", "AES256 (SSE-S3) or aws:kms")
    .option("--kms-key-arn <arn>", "customer-managed KMS key for aws:kms (default: the AWS-managed key)")
    .option("--source-bundle-expiration-days <n>", "days before an uploaded sourcedir bundle expires (default 30)", int)
    .option(
      "--serving-code-expiration-days <n>",
      "days before an uploaded serving code tarball expires (default 90)",
      int,
    )
    .option("--force-destroy", "let `base destroy` delete a bucket that still holds objects")
    .option("--tag <key=value>", "a tag on every object of the base stack (repeatable)", collect)
    .option("--reset", "forget the settings stored by the last `base up`: only these flags and the defaults count")
    .option("--json", "print JSON lines of progress events (schema v1; the last line is `done` or `error`)")
    .option("--non-interactive", "never prompt");
}

/** Flags -> config overrides; flags not given stay undefined (the stored config keeps its value). */
export function overridesFrom(flags: BaseFlags): Partial<BaseConfigInput> {
  const tags = flags.tag
    ? Object.fromEntries(
        flags.tag.map((t) => {
          const [key = "", ...value] = t.split("=");
          return [key, value.join("=")];
        }),
      )
    : undefined;
  return {
    region: flags.region as BaseConfigInput["region"] | undefined,
    prefix: flags.prefix,
    bucketName: flags.bucketName,
    existingBucket: flags.existingBucket,
    existingExecutionRoleArn: flags.existingExecutionRoleArn,
    existingSchedulerRoleArn: flags.existingSchedulerRoleArn,
    versioning: flags.versioning,
    encryption: flags.encryption as BaseConfigInput["encryption"] | undefined,
    kmsKeyArn: flags.kmsKeyArn,
    sourceBundleExpirationDays: flags.sourceBundleExpirationDays,
    servingCodeExpirationDays: flags.servingCodeExpirationDays,
    forceDestroy: flags.forceDestroy,
    tags,
  };
}

export function registerBaseCommands(program: Command, setExit: (code: number) => void): void {
  const base = program
    .command("base")
    .description("the account's shared bucket and roles (one `base` stack; experiments read its outputs)");
  // always the real account's backend: the sandbox seeds its own base
  const ctx = () => ({ sandbox: false, env: process.env });

  withConfigOptions(base.command("up").description("create or update the bucket and roles (or record your own)"))
    .option("-y, --yes", "do not ask for confirmation")
    .action(
      framed<BaseFlags>({ action: "base up", timed: true }, setExit, async (flags, { out, confirm }) => {
        await confirm("Create or update zerostack's base stack (bucket and IAM roles)?");
        const { upBase } = await import("../driver/base-operations.js");
        await upBase(ctx(), overridesFrom(flags), { onEvent: (e) => out.event(e), reset: flags.reset ?? false });
        return { stack: BASE_STACK };
      }),
    );

  withConfigOptions(base.command("preview").description("show what `base up` would change")).action(
    framed<BaseFlags>({ action: "base preview", timed: true }, setExit, async (flags, { out }) => {
      const { previewBase } = await import("../driver/base-operations.js");
      const changes = await previewBase(ctx(), overridesFrom(flags), {
        onEvent: (e) => out.event(e),
        reset: flags.reset ?? false,
      });
      out.event({ type: "summary", changes });
      return { stack: BASE_STACK };
    }),
  );

  base
    .command("destroy")
    .description("delete the bucket and roles zerostack created (refused while experiments still have resources)")
    .option("-y, --yes", "do not ask for confirmation")
    .option("--force", "destroy even while experiment stacks still have resources")
    .option("--json", "print JSON lines of progress events")
    .option("--non-interactive", "never prompt")
    .action(
      framed<BaseFlags>({ action: "base destroy", timed: true }, setExit, async (flags, { out, confirm }) => {
        await confirm("Destroy zerostack's base stack (bucket and IAM roles)?");
        const { destroyBase } = await import("../driver/base-operations.js");
        await destroyBase(ctx(), { onEvent: (e) => out.event(e), force: flags.force ?? false });
        return { stack: BASE_STACK };
      }),
    );

  base
    .command("show")
    .description("print the bucket and roles experiments will use (bring-your-own variables, else the base stack)")
    .option("--json", "print the result as JSON")
    .action(
      framed<BaseFlags>({ action: "base show" }, setExit, async (_flags, { out }) => {
        const { resolveBase } = await import("../driver/resolve-base.js");
        const resolved = await resolveBase();
        out.result(resolved, () =>
          Object.entries(resolved)
            .map(([k, v]) => `${k}\t${v}`)
            .join("\n"),
        );
        return { stack: BASE_STACK };
      }),
    );
}
