// The flags that choose an experiment, shared by `plan`, `preview` and `up`.
import type { Command } from "commander";

export function withSpecOptions(cmd: Command): Command {
  return cmd
    .option("--preset <name>", "start from this preset (see `zerostack presets`)")
    .option("--spec <file>", "start from this ExperimentSpec JSON file")
    .option("--name <name>", "experiment (stack) name")
    .option("--region <region>", "AWS region")
    .option("--bucket <bucket>", "S3 bucket for datasets and model output")
    .option("--prefix <prefix>", "S3 key prefix inside the bucket")
    .option("--nodes <n>", "training nodes: 1, 2, 4, 8 or 16")
    .option("--zero <stage>", "ZeRO stage: 2, 3 or 3-offload")
    .option("--backend <backend>", "LMI backend: accelerate, deepspeed, fastertransformer, vllm, lmi-dist, trtllm")
    .option("--train-instance <type>", "training instance type, e.g. ml.p4d.24xlarge")
    .option("--serve-instance <type>", "serving instance type, e.g. ml.g5.48xlarge")
    .option("--tp <n>", "tensor parallel degree for serving")
    .option("--ttl <duration>", "endpoint time to live, e.g. 2h")
    .option("--epochs <n>", "training epochs")
    .option("--lr <rate>", "learning rate, e.g. 1e-4")
    .option("--max-runtime <duration>", "training MaxRuntimeInSeconds, e.g. 24h")
    .option("--train-hours <hours>", "expected training hours for the cost estimate (default: max runtime)")
    .option("--no-serving", "training only, no endpoint")
    .option(
      "--hf-token",
      "the job needs a Hugging Face token: read from HF_TOKEN and kept as a Pulumi secret of the stack",
    );
}
