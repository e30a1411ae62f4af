"""The Hugging Face token, read from AWS Secrets Manager on each node's local rank 0.

zerostack never puts the token in the job's Environment, which DescribeTrainingJob shows in
plaintext (and so does CloudTrail): the job gets the secret's ARN as HF_TOKEN_SECRET_ARN, and the
execution role may read zerostack's secrets alone. Before any download, local rank 0 of each node
reads the secret and writes it where huggingface_hub looks for a token (its token file, under
HF_HOME), so every rank of the node finds it; nothing prints it.
"""

from __future__ import annotations

import os
from collections.abc import MutableMapping
from pathlib import Path
from typing import Any

import distributed

SECRET_ARN_ENV = "HF_TOKEN_SECRET_ARN"


def token_path(env: MutableMapping[str, str] = os.environ) -> Path:
    """huggingface_hub's token file: $HF_TOKEN_PATH, else $HF_HOME/token, else ~/.cache/huggingface/token."""
    if env.get("HF_TOKEN_PATH"):
        return Path(env["HF_TOKEN_PATH"])
    home = env.get("HF_HOME") or os.path.join(env.get("XDG_CACHE_HOME", os.path.expanduser("~/.cache")), "huggingface")
    return Path(home) / "token"


def read_secret(arn: str, client: Any = None) -> str:
    """The secret's value (GetSecretValue by ARN); the region and endpoint come from the environment."""
    if client is None:
        import boto3  # only a job with a token needs it

        client = boto3.client("secretsmanager")
    return str(client.get_secret_value(SecretId=arn)["SecretString"])


def provide_hf_token(env: MutableMapping[str, str] = os.environ, client: Any = None) -> bool:
    """Fetch the token once per node and leave it in the token file; False when the job has none."""
    arn = env.get(SECRET_ARN_ENV)
    if not arn:
        return False
    path = token_path(env)
    with distributed.local_main_only() as is_main:
        if is_main:
            token = read_secret(arn, client)
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(token)
            path.chmod(0o600)
    return True
