"""patches.PATCHES stays true to the code: each entry's module exists and each test it cites is there."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from zerostack_sandbox.patches import PATCHES, Patch

ROOT = Path(__file__).resolve().parents[2]
PACKAGE_DIR = ROOT / "sandbox" / "zerostack_sandbox"
TEST_REFERENCE = re.compile(r"(test/[\w/]+\.py)(?:::(\w+))?")


def module_path(module: str) -> Path | None:
    """`module` is named from patches/ (training_jobs) or from the package (rehearsal.training)."""
    for base in (PACKAGE_DIR / "patches", PACKAGE_DIR):
        relative = Path(*module.split("."))
        for candidate in (base / relative.with_suffix(".py"), base / relative / "__init__.py"):
            if candidate.is_file():
                return candidate
    return None


@pytest.mark.parametrize("patch", PATCHES, ids=lambda patch: patch.name)
def test_patch_names_its_module_and_tests(patch: Patch) -> None:
    assert module_path(patch.module) is not None, f"{patch.name}: no module {patch.module}"
    references = TEST_REFERENCE.findall(patch.test)
    assert references, f"{patch.name}: `test` names no test file"
    for file, function in references:
        path = ROOT / file
        assert path.is_file(), f"{patch.name}: {file} does not exist"
        if function:
            assert re.search(rf"^def {function}\(", path.read_text(), re.MULTILINE), (
                f"{patch.name}: no {file}::{function}"
            )
