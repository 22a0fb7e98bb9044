"""docs/architecture.md stays true: every module of the package is in its table."""

from __future__ import annotations

import re

from tests.conftest import ROOT


def test_every_module_is_in_the_architecture_table() -> None:
    doc = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    listed = set(re.findall(r"^\| `(agent/[\w/]+\.py)` \|", doc, flags=re.MULTILINE))
    modules = {
        p.relative_to(ROOT).as_posix()
        for p in (ROOT / "agent").rglob("*.py")
        if p.name != "__main__.py" and not (p.name == "__init__.py" and p.parent.name != "agent")
    }
    assert modules - listed == set(), "add these to docs/architecture.md"
    assert listed - modules == set(), "docs/architecture.md lists modules that do not exist"
