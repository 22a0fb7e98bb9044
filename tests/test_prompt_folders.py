"""A prompts folder of the user's own (KHABAR_PROMPTS_DIR, `prompts_dir`) that is damaged.

Each problem is one line naming the file, exit 2, before any request and before any output
exists. A template that was not UTF-8 was a UnicodeDecodeError traceback; a syntax error was
named without its folder or line; `khabar batch` left an empty output file behind.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import REASK, ROOT
from tests.test_cli import one_line_error, run

ARTICLE = REASK / "article.txt"
CASSETTE = REASK / "cassette.json"


def _latin1(folder: Path) -> None:
    (folder / "system.j2").write_bytes("Extrais les entités nommées, café.\n".encode("latin-1"))


def _no_user(folder: Path) -> None:
    (folder / "user.j2").unlink()


def _user_a_folder(folder: Path) -> None:
    (folder / "user.j2").unlink()
    (folder / "user.j2").mkdir()


def _syntax(folder: Path) -> None:
    (folder / "user.j2").write_text("Article:\n{% if %}\n{{ article }}\n", encoding="utf-8")


DAMAGE: list[tuple[str, Callable[[Path], None], str]] = [
    (
        "latin-1",
        _latin1,
        "prompt template {dir}/system.j2 is not valid UTF-8 (byte 0xe9 at offset 17): "
        "save it as UTF-8",
    ),
    (
        "no user.j2",
        _no_user,
        "cannot read prompt template {dir}/user.j2: No such file or directory; a prompts folder "
        "(KHABAR_PROMPTS_DIR, prompts_dir) holds system.j2 and user.j2",
    ),
    (
        "user.j2 a folder",
        _user_a_folder,
        "cannot read prompt template {dir}/user.j2: Is a directory; a prompts folder "
        "(KHABAR_PROMPTS_DIR, prompts_dir) holds system.j2 and user.j2",
    ),
    (
        "syntax error",
        _syntax,
        "prompt template {dir}/user.j2 line 2: Expected an expression, got 'end of statement "
        "block'",
    ),
]


@pytest.fixture
def prompts(tmp_path: Path) -> Path:
    folder = tmp_path / "my-prompts"
    shutil.copytree(ROOT / "prompts", folder)
    return folder


@pytest.mark.parametrize(
    ("damage", "expected"), [d[1:] for d in DAMAGE], ids=[d[0] for d in DAMAGE]
)
def test_a_damaged_template_is_one_line_naming_it(
    damage: Callable[[Path], None],
    expected: str,
    prompts: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    damage(prompts)
    monkeypatch.setenv("KHABAR_PROMPTS_DIR", str(prompts))
    output = tmp_path / "out.json"
    code, out, err = run(
        capsys, "extract", str(ARTICLE), "--replay", str(CASSETTE), "-o", str(output)
    )
    assert code == 2 and out == ""
    assert one_line_error(err) == expected.format(dir=prompts)
    assert not output.exists()


@pytest.mark.parametrize(
    ("make", "what"), [("nothing", "does not exist"), ("file", "is not a folder")]
)
def test_a_prompts_folder_that_is_not_one_is_named_from_the_config_file(
    make: str, what: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "prompts"
    if make == "file":
        folder.write_text("not a folder", encoding="utf-8")
    config = tmp_path / "khabar.toml"
    config.write_text(f'prompts_dir = "{folder}"\n', encoding="utf-8")
    code, _, err = run(
        capsys, "extract", str(ARTICLE), "--replay", str(CASSETTE), "--config", str(config)
    )
    assert code == 2
    assert one_line_error(err) == (
        f"prompts folder {folder} {what}: a prompts folder (KHABAR_PROMPTS_DIR, prompts_dir) "
        "holds system.j2 and user.j2"
    )


def test_batch_refuses_a_damaged_template_before_the_output_exists(
    prompts: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    _latin1(prompts)
    monkeypatch.setenv("KHABAR_PROMPTS_DIR", str(prompts))
    output = tmp_path / "out.jsonl"
    code, _, err = run(
        capsys, "batch", str(ARTICLE), "-o", str(output), "--base-url", "http://127.0.0.1:9/v1"
    )
    assert code == 2
    assert one_line_error(err).startswith(f"prompt template {prompts}/system.j2 is not valid UTF-8")
    assert not output.exists()


def test_a_template_saved_with_a_byte_order_mark_sends_the_same_prompt(
    prompts: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # Windows editors save UTF-8 with a BOM: it was sent to the model as the prompt's first
    # character, so a copy of the shipped templates no longer matched their recorded cassette
    for name in ("system.j2", "user.j2"):
        template = prompts / name
        template.write_bytes(b"\xef\xbb\xbf" + template.read_bytes())
    monkeypatch.setenv("KHABAR_PROMPTS_DIR", str(prompts))
    code, out, err = run(capsys, "extract", str(ARTICLE), "--replay", str(CASSETTE), "--json")
    assert code == 0, err
    assert '"participants"' in out
