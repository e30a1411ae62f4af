"""DeepSpeed's CPU ops build into one folder per venv when the venv is reached by its real path."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

import cpu_ops


def test_one_folder_by_the_real_path_and_a_folder_of_its_own_through_a_link(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = tmp_path / "venv"
    real.mkdir()
    link = tmp_path / "link"
    link.symlink_to(real)
    monkeypatch.setattr(sys, "prefix", str(real.resolve()))
    assert cpu_ops.extensions_dir() == str(real.resolve() / "torch-extensions")
    monkeypatch.setattr(sys, "prefix", str(link))
    through_link = Path(cpu_ops.extensions_dir())
    assert through_link.parent == real.resolve() / "torch-extensions"
    assert through_link.name != "torch-extensions"
