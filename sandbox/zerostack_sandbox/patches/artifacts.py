"""Model artifacts in S3, as the payload leaves them.

zerostack's payload has world rank 0 upload the uncompressed model folder with `s5cmd sync` to the
prefix in the job's `MODEL_S3_PATH` environment variable (SEED.md, tips 1 and 10); without it the
sandbox uses SageMaker's own place, `<S3OutputPath>/<job>/output/model/` (DescribeTrainingJob,
ModelArtifacts). The files are tiny but real: a loadable safetensors file and JSON configs.
"""

from __future__ import annotations

import json
import struct
from urllib.parse import urlparse

from moto.s3.exceptions import MissingBucket
from moto.s3.models import s3_backends


def model_uri(job_name: str, environment: dict[str, str], output_data_config: dict[str, str]) -> str:
    if environment.get("MODEL_S3_PATH"):
        return environment["MODEL_S3_PATH"].rstrip("/") + "/"
    output = (output_data_config or {}).get("S3OutputPath", "s3://sagemaker-sandbox").rstrip("/")
    return f"{output}/{job_name}/output/model/"


def _safetensors() -> bytes:
    """One 4x4 float32 tensor in the safetensors layout (8-byte header size, JSON header, data)."""
    header = {
        "__metadata__": {"format": "pt"},
        "shared.weight": {"dtype": "F32", "shape": [4, 4], "data_offsets": [0, 64]},
    }
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * (-len(text) % 8)
    data = b"".join(struct.pack("<f", (index % 5) / 10) for index in range(16))
    return struct.pack("<Q", len(text)) + text + data


def model_files(job_name: str) -> dict[str, bytes]:
    config = {
        "architectures": ["T5ForConditionalGeneration"],
        "model_type": "t5",
        "d_model": 4,
        "num_layers": 1,
        "vocab_size": 4,
        "torch_dtype": "bfloat16",
        "transformers_version": "4.44.2",
        "_zerostack_sandbox": {"training_job": job_name},
    }
    generation = {"decoder_start_token_id": 0, "eos_token_id": 1, "pad_token_id": 0}
    special = {"eos_token": "</s>", "pad_token": "<pad>", "unk_token": "<unk>"}
    tokenizer = {
        "version": "1.0",
        "model": {"type": "Unigram", "vocab": [["<pad>", 0.0], ["</s>", 0.0], ["<unk>", 0.0], ["▁", -1.0]]},
    }
    tokenizer_config = {"tokenizer_class": "T5Tokenizer", "model_max_length": 512, **special}
    dumps = lambda value: json.dumps(value, indent=2).encode()  # noqa: E731
    return {
        "config.json": dumps(config),
        "generation_config.json": dumps(generation),
        "model.safetensors": _safetensors(),
        "special_tokens_map.json": dumps(special),
        "tokenizer.json": dumps(tokenizer),
        "tokenizer_config.json": dumps(tokenizer_config),
    }


def upload_model(account_id: str, job_name: str, uri: str) -> str | None:
    """Write the model folder under `uri`; return an s5cmd-like error instead of raising."""
    parsed = urlparse(uri)
    if parsed.scheme != "s3" or not parsed.netloc:
        return f'ERROR "sync /tmp/output/asset/ {uri}": invalid S3 URI'
    backend = s3_backends[account_id]["aws"]
    try:
        backend.get_bucket(parsed.netloc)
    except MissingBucket:
        return f'ERROR "sync /tmp/output/asset/ {uri}": NoSuchBucket: The specified bucket does not exist'
    prefix = parsed.path.lstrip("/")
    for name, body in model_files(job_name).items():
        backend.put_object(parsed.netloc, f"{prefix}{name}", body)
    return None
