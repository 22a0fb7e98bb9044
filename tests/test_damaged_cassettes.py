"""A cassette that is valid JSON but not shaped like a cassette is refused when it is loaded.

Before, each of these replayed into the SDK or instructor and failed there: a traceback
(`meta` a list), "cannot reach http://reference.invalid/v1: 'response'; is the server running?",
"list index out of range", or "has no answer left (all 1 used)" for an answer that was never
given. Now one line names the file and what is wrong, through `khabar extract --replay` and
through the documented test helpers (`agent.testing`).
"""

from __future__ import annotations

import copy
import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from agent.errors import ReplayError
from agent.testing import replay, replay_client
from tests.conftest import REASK
from tests.test_cli import one_line_error, run

ARTICLE = REASK / "article.txt"
GOOD: dict[str, Any] = json.loads((REASK / "cassette.json").read_text(encoding="utf-8"))

Edit = Callable[[dict[str, Any]], Any]


def _set(path: str, value: Any) -> Edit:
    """An edit putting `value` at a dotted path (list items by number)."""

    def edit(data: dict[str, Any]) -> None:
        *parents, last = path.split(".")
        node: Any = data
        for part in parents:
            node = node[int(part)] if isinstance(node, list) else node[part]
        node[int(last) if isinstance(node, list) else last] = value

    return edit


def _drop(path: str) -> Edit:
    def edit(data: dict[str, Any]) -> None:
        *parents, last = path.split(".")
        node: Any = data
        for part in parents:
            node = node[int(part)] if isinstance(node, list) else node[part]
        del node[last]

    return edit


BODY = "exchanges.0.response.body"
DAMAGE: list[tuple[str, Edit, str]] = [
    ("no exchanges", _drop("exchanges"), 'it has no "exchanges" list'),
    ("exchanges an object", _set("exchanges", {}), '"exchanges" is an object, not a list'),
    ("an exchange a number", _set("exchanges.0", 5), "exchange 1 of 2 is a number, not an"),
    ("no response", _drop("exchanges.1.response"), 'exchange 2 of 2 has no "response"'),
    ("no request", _drop("exchanges.0.request"), 'exchange 1 of 2 has no "request"'),
    ("no path", _drop("exchanges.0.request.path"), 'exchange 1 of 2 has no request "path"'),
    ("body a list", _set(BODY, [1]), "answers with a body that is a list, not a chat completion"),
    ("body text", _set(BODY, "ok"), "answers with a body that is a string, not a chat completion"),
    ("no choices", _set(f"{BODY}.choices", []), 'answers with no choices (an empty "choices"'),
    ("choices gone", _drop(f"{BODY}.choices"), 'answers with no "choices" list'),
    ("choice null", _set(f"{BODY}.choices.0", None), 'a first choice that holds no "message"'),
    ("status text", _set("exchanges.0.response.status", "x"), "response \"status\" of 'x', not"),
    ("headers a list", _set("exchanges.0.response.headers", [1]), 'response "headers" that are'),
    ("meta a list", _set("meta", [1]), '"meta" is a list, not an object'),
    ("settings a list", _set("meta.settings", [1]), '"meta.settings" is a list, not an object'),
    ("model a number", _set("meta.model", 5), '"meta.model" is a number, not a string'),
    ("unknown setting", _set("meta.settings.bogus", 1), "recorded settings name 'bogus'"),
    ("bad setting", _set("meta.settings.temperature", -3), "recorded settings are invalid"),
]


def _damaged(tmp_path: Path, edit: Edit) -> Path:
    data = copy.deepcopy(GOOD)
    edit(data)
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


@pytest.mark.parametrize(("edit", "expected"), [d[1:] for d in DAMAGE], ids=[d[0] for d in DAMAGE])
def test_extract_replay_names_the_damage(
    edit: Edit, expected: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cassette = _damaged(tmp_path, edit)
    output = tmp_path / "result.json"
    code, out, err = run(
        capsys, "extract", str(ARTICLE), "--replay", str(cassette), "-o", str(output)
    )
    line = one_line_error(err)
    assert code == 1 and out == ""
    assert line.startswith(f"cassette {cassette} is damaged: "), line
    assert expected in line, line
    assert line.endswith("restore it or record it again"), line
    assert not output.exists()


def test_a_damaged_cassette_is_refused_by_the_test_helpers(tmp_path: Path) -> None:
    """`agent.testing.replay_client` and `replay` (the pytest plugin's `khabar_replay`) raise
    the same ReplayError, not a KeyError from inside a test run."""
    cassette = _damaged(tmp_path, _set(f"{BODY}.choices", []))
    with pytest.raises(ReplayError, match=r"bad\.json is damaged: exchange 1 of 2 answers with no"):
        replay_client(cassette)
    case = tmp_path / "case"
    case.mkdir()
    shutil.copyfile(ARTICLE, case / "article.txt")
    shutil.copyfile(cassette, case / "cassette.json")
    with pytest.raises(ReplayError, match=r"cassette\.json is damaged: exchange 1 of 2 answers"):
        replay(case)


def test_a_recorded_error_answer_may_carry_any_body(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Only successful chat completions must be shaped like one: a recorded 500 with a text body
    is what a server sent, and replays as that server's error."""
    data = copy.deepcopy(GOOD)
    data["exchanges"] = [
        {
            "request": data["exchanges"][0]["request"],
            "response": {"status": 400, "headers": {}, "body": "<html>bad gateway</html>"},
        }
    ]
    cassette = tmp_path / "error.json"
    cassette.write_text(json.dumps(data), encoding="utf-8")
    code, _, err = run(capsys, "extract", str(ARTICLE), "--replay", str(cassette))
    line = one_line_error(err)
    assert code == 1
    assert "HTTP 400" in line and "damaged" not in line, line
