"""The AWS SDK for JavaScript v3 (what zerostack's providers use) sees the same behaviour.

Skipped where node or the project's @aws-sdk packages are not installed.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess

import pytest

from conftest import ROOT, Sandbox

SCRIPT = r"""
import {
  SageMakerClient, CreateTrainingJobCommand, DescribeTrainingJobCommand, StopTrainingJobCommand,
} from "@aws-sdk/client-sagemaker";
import { S3Client, CreateBucketCommand, PutObjectCommand } from "@aws-sdk/client-s3";
const config = { endpoint: process.env.SANDBOX_URL, region: "us-east-1" };
const s3 = new S3Client({ ...config, forcePathStyle: true });
await s3.send(new CreateBucketCommand({ Bucket: "zerostack-js" }));
await s3.send(new PutObjectCommand({ Bucket: "zerostack-js", Key: "code/sourcedir.tar.gz", Body: "0123456789" }));
const sagemaker = new SageMakerClient(config);
await sagemaker.send(new CreateTrainingJobCommand({
  TrainingJobName: "from-js", RoleArn: "arn:aws:iam::123456789012:role/zerostack",
  AlgorithmSpecification: { TrainingImage: "image", TrainingInputMode: "File" },
  OutputDataConfig: { S3OutputPath: "s3://zerostack-js/output" },
  ResourceConfig: { InstanceType: "ml.p5.48xlarge", InstanceCount: 2, VolumeSizeInGB: 100 },
  StoppingCondition: { MaxRuntimeInSeconds: 3600 },
  Environment: { MODEL_S3_PATH: "s3://zerostack-js/model/" },
}));
const created = await sagemaker.send(new DescribeTrainingJobCommand({ TrainingJobName: "from-js" }));
await sagemaker.send(new StopTrainingJobCommand({ TrainingJobName: "from-js" }));
const stopping = await sagemaker.send(new DescribeTrainingJobCommand({ TrainingJobName: "from-js" }));
console.log(JSON.stringify({ created: created.TrainingJobStatus, secondary: created.SecondaryStatus,
  environment: created.Environment, stopping: stopping.TrainingJobStatus }));
"""


def _node_ready() -> bool:
    return shutil.which("node") is not None and (ROOT / "node_modules/@aws-sdk/client-sagemaker").is_dir()


@pytest.mark.skipif(not _node_ready(), reason="node or @aws-sdk/client-sagemaker not installed")
def test_javascript_sdk_v3(sandbox: Sandbox) -> None:
    env = {**os.environ, "SANDBOX_URL": sandbox.url, "AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing"}
    result = subprocess.run(
        ["node", "--no-warnings", "--input-type=module", "-e", SCRIPT],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    seen = json.loads(result.stdout.strip().splitlines()[-1])
    assert seen == {
        "created": "InProgress",
        "secondary": "Starting",
        "environment": {"MODEL_S3_PATH": "s3://zerostack-js/model/"},
        "stopping": "Stopping",
    }
    assert sandbox.get("stats")["s3"]["put_object_bytes"] == 10
