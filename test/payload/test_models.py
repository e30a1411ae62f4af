"""models.py: the base model staged in S3 is pulled by local rank 0 with s5cmd (seed tip 13)."""

from __future__ import annotations

from pathlib import Path

import pytest

import models
import tiny_model
import transfer
from arguments import ModelArguments
from conftest import BUCKET


def test_model_from_s3_is_staged_on_the_node_and_loads(
    tmp_path: Path, s3_env: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    base = tmp_path / "base"
    tiny_model.model().save_pretrained(base)
    tiny_model.tokenizer().save_pretrained(base)
    transfer.upload_folder(base, f"s3://{BUCKET}/base-models/tiny/")

    monkeypatch.setenv("TMPDIR", str(tmp_path / "node-tmp"))
    monkeypatch.setattr("tempfile.tempdir", None)  # let tempfile read TMPDIR again
    (tmp_path / "node-tmp").mkdir()
    args = ModelArguments(model_id="my-org/tiny", model_source="s3", model_s3_uri=f"s3://{BUCKET}/base-models/tiny")
    location = models.fetch(args)
    assert location == str(tmp_path / "node-tmp" / "base-model")
    model = models.load_model(args, location, seed=1)
    tokenizer = models.load_tokenizer(args, location)
    assert model.config.d_model == 64 and tokenizer("abc")["input_ids"][:3] == [100, 101, 102]


def test_hub_is_the_default_for_other_ids_and_config_for_tiny() -> None:
    assert ModelArguments(model_id="google/flan-t5-xl").model_source == "hub"
    assert ModelArguments().model_source == "config"


def test_tiny_is_seq2seq_only() -> None:
    with pytest.raises(ValueError, match="seq2seq"):
        models.load_model(ModelArguments(model_kind="causal"), "zerostack/tiny-t5", seed=0)
