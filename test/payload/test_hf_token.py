"""The HF token reaches the job through Secrets Manager, never through its Environment."""

from __future__ import annotations

from pathlib import Path

import boto3
import pytest
from moto import mock_aws

import hf_token
from conftest import FAKE_AWS


@pytest.fixture
def aws(monkeypatch: pytest.MonkeyPatch) -> None:
    for key, value in FAKE_AWS.items():
        monkeypatch.setenv(key, value)


def test_local_rank_0_writes_the_secret_where_huggingface_hub_reads_it(aws: None, tmp_path: Path) -> None:
    with mock_aws():
        client = boto3.client("secretsmanager", region_name="us-east-1")
        arn = client.create_secret(Name="zerostack/exp/hf-token", SecretString="hf_secretValue123")["ARN"]
        env = {hf_token.SECRET_ARN_ENV: arn, "HF_HOME": str(tmp_path / "hf")}
        assert hf_token.provide_hf_token(env, client) is True
    path = tmp_path / "hf" / "token"
    assert path.read_text() == "hf_secretValue123"
    assert path.stat().st_mode & 0o777 == 0o600
    assert "HF_TOKEN" not in env  # nothing else carries it


def test_huggingface_hub_finds_the_token_there(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HF_HOME", str(tmp_path / "hf"))
    monkeypatch.delenv("HF_TOKEN_PATH", raising=False)
    assert hf_token.token_path() == tmp_path / "hf" / "token"


def test_a_job_without_a_token_reads_nothing(tmp_path: Path) -> None:
    class NoCalls:
        def get_secret_value(self, **_: object) -> None:
            raise AssertionError("no secret to read")

    assert hf_token.provide_hf_token({"HF_HOME": str(tmp_path)}, NoCalls()) is False
    assert not (tmp_path / "token").exists()


def test_a_secret_the_role_may_not_read_fails_the_job(aws: None, tmp_path: Path) -> None:
    with mock_aws():
        client = boto3.client("secretsmanager", region_name="us-east-1")
        missing = "arn:aws:secretsmanager:us-east-1:123456789012:secret:zerostack/none-AbCdEf"
        with pytest.raises(client.exceptions.ResourceNotFoundException):
            hf_token.provide_hf_token({hf_token.SECRET_ARN_ENV: missing, "HF_HOME": str(tmp_path)}, client)
