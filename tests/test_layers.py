"""The layer contracts hold, and they really fail when a module reaches up a layer."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT

LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"


def _lint(tree: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(tree)}
    return subprocess.run(
        [str(LINT_IMPORTS), "--config", str(tree / "pyproject.toml"), "--no-cache"],
        cwd=tree,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def _copy(tmp_path: Path) -> Path:
    shutil.copytree(
        ROOT / "agent", tmp_path / "agent", ignore=shutil.ignore_patterns("__pycache__")
    )
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path


def test_a_matching_module_that_imports_the_client_breaks_the_contracts(tmp_path: Path) -> None:
    tree = _copy(tmp_path)
    assert _lint(tree).returncode == 0, "the contracts must hold on the real tree"
    grounding = tree / "agent" / "text" / "grounding.py"
    grounding.write_text(grounding.read_text() + "\nfrom agent.llm import client  # noqa\n")
    run = _lint(tree)
    assert run.returncode == 1
    assert "agent.text.grounding -> agent.llm.client" in run.stdout


def test_the_base_layer_may_not_import_a_sub_package(tmp_path: Path) -> None:
    tree = _copy(tmp_path)
    models = tree / "agent" / "models.py"
    models.write_text(models.read_text() + "\nimport agent.cli.main  # noqa\n")
    run = _lint(tree)
    assert run.returncode == 1
    assert "agent.models" in run.stdout and "BROKEN" in run.stdout
