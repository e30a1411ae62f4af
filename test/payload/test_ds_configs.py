"""test/payload/ds_configs are what program/spec/deepspeed.ts derives for the tiny preset today.

The two-node runs and the rehearsals train with those files; this re-derives them through the
built TypeScript (dist/, written by scripts/bootstrap) so a change to the derivation cannot leave
the CPU proof testing an old config. Skipped without the build.
"""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest

from conftest import DS_CONFIGS, ROOT, derived_ds_config

DERIVATION = ROOT / "dist" / "program" / "spec" / "deepspeed.js"
PRESETS = ROOT / "dist" / "program" / "spec" / "presets.js"
NODE = ROOT / ".toolchain" / "bin" / "node"
SCRIPT = """
const [deepspeed, presets] = process.argv.slice(1);
Promise.all([import(deepspeed), import(presets)]).then(([d, p]) => {
  const spec = p.PRESETS.tiny.spec;
  const out = {};
  for (const zero of ["2", "3", "3-offload"]) {
    out[zero] = d.deepspeedConfig({ ...spec, training: { ...spec.training, zero } });
  }
  console.log(JSON.stringify(out));
});
"""


@pytest.mark.skipif(not DERIVATION.is_file(), reason="no TypeScript build (run scripts/bootstrap)")
def test_the_fixtures_are_the_derivations_output() -> None:
    node = str(NODE) if NODE.exists() else shutil.which("node")
    if node is None:
        pytest.skip("no node")
    derived = json.loads(
        subprocess.run(
            [node, "-e", SCRIPT, str(DERIVATION), str(PRESETS)], check=True, capture_output=True, text=True, timeout=60
        ).stdout
    )
    assert sorted(p.stem for p in DS_CONFIGS.glob("*.json")) == ["zero-2", "zero-3", "zero-3-offload"]
    for zero, config in derived.items():
        assert derived_ds_config(zero) == config, f"regenerate test/payload/ds_configs/zero-{zero}.json"
