"""The layers of docs/ARCHITECTURE.md hold: checked with import-linter (contracts in pyproject.toml)."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_stages_only_import_what_lies_below_them():
    exe = Path(sys.executable).with_name("lint-imports")
    res = subprocess.run([str(exe), "--config", str(ROOT / "pyproject.toml"), "--no-cache"],
                         cwd=ROOT, capture_output=True, text=True)
    assert res.returncode == 0, res.stdout[-3000:] + res.stderr[-2000:]
    assert "0 broken" in res.stdout


def test_modality_and_arguments_do_not_import_each_other():
    import grimp

    graph = grimp.build_graph("storyline")
    assert not graph.chain_exists(importer="storyline.events.modality", imported="storyline.events.arguments")
