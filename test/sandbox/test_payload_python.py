"""The sandbox runs the payload's Python by the venv's real folder (one DeepSpeed op build per venv)."""

from __future__ import annotations

from pathlib import Path

from zerostack_sandbox.rehearsal.settings import by_real_venv


def test_a_linked_venv_is_reached_by_its_real_folder(tmp_path: Path) -> None:
    real = tmp_path / "cache" / "venv" / "payload-abc"
    (real / "bin").mkdir(parents=True)
    (real / "pyvenv.cfg").write_text("home = /usr/bin\n")
    (real / "bin" / "python").symlink_to("/usr/bin/python3")  # a venv's interpreter is itself a link
    link = tmp_path / "clone" / ".toolchain" / "venv-payload"
    link.parent.mkdir(parents=True)
    link.symlink_to(real)
    resolved = by_real_venv(link / "bin" / "python")
    assert resolved == real.resolve() / "bin" / "python"  # the venv's folder resolved, not its interpreter
    assert resolved.is_symlink()


def test_a_python_outside_a_venv_is_left_alone() -> None:
    assert by_real_venv(Path("/usr/bin/python3")) == Path("/usr/bin/python3")
