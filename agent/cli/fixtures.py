"""`khabar fixtures`: check, re-record and accept the recorded fixture suite.

    khabar fixtures check [PATH]     replay every case, diff against golden.json, exit 1 on change
    khabar fixtures record [PATH]    re-make cassettes (endpoint, or answers.json if hand-written)
    khabar fixtures accept [PATH]    write golden.json from the current results, after review

`record` and `accept` show what would change and ask before writing; `--yes` confirms in
scripts, and with no terminal to ask and no `--yes` they refuse with one line.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click
from rich.console import Console
from rich.table import Table
from rich.text import Text

from agent.views.plain import console as plain_console
from agent.views.plain import plain

if TYPE_CHECKING:
    from agent.fixtures.diff import Change
    from agent.fixtures.suite import Case, Outcome, Recording

DEFAULT_PATH = "fixtures"
_STYLE = {
    "ok": "green",
    "changed": "yellow",
    "stale": "magenta",
    "no golden": "cyan",
    "failed": "red",
    "unchanged": "green",
}


def _console() -> Console:
    # Wide when piped (CI logs), so diff rows stay on one line; the terminal's width otherwise.
    return plain_console(width=None if sys.stdout.isatty() else 200)


@click.group("fixtures")
def fixtures() -> None:
    """The recorded fixture suite: cases with an article, a cassette and a golden result."""


_path_argument = click.argument(
    "path", type=click.Path(path_type=Path), default=DEFAULT_PATH, required=False
)
_yes_option = click.option("--yes", "-y", is_flag=True, help="Confirm overwriting (for scripts).")


@fixtures.command("check")
@_path_argument
@click.pass_context
def check(ctx: click.Context, path: Path) -> None:
    """Replay every case under PATH and compare with its golden file; exit 1 on any difference."""
    from agent.fixtures.suite import Status, check_case, discover

    outcomes = [check_case(case) for case in discover(path)]
    console = _console()
    console.print(_summary_table(outcomes))
    changes = [(o.case.name, c) for o in outcomes for c in o.changes]
    if changes:
        console.print(_changes_table(changes))
    failed = sum(1 for o in outcomes if o.status is Status.FAILED)
    differ = sum(1 for o in outcomes if o.status not in (Status.OK, Status.FAILED))
    if failed or differ:
        # a failed case (a damaged or missing file) names its own cure in its row: recording
        # or accepting is advice for cases that replayed and differ
        said = [f"{differ} of {len(outcomes)} case(s) differ"] if differ else []
        said += (
            [f"{failed} of {len(outcomes)} case(s) failed (each row says why)"] if failed else []
        )
        advice = (
            " Review, then `khabar fixtures record` (stale cassettes) or "
            "`khabar fixtures accept` (new goldens)."
            if differ
            else ""
        )
        console.print(Text.assemble(("; ".join(said) + ".", "bold red"), advice))
        ctx.exit(1)
    console.print(Text(f"{len(outcomes)} case(s) match their golden results.", style="green"))


@fixtures.command("accept")
@_path_argument
@_yes_option
@click.pass_context
def accept(ctx: click.Context, path: Path, yes: bool) -> None:
    """Rewrite golden files under PATH from the current results, after showing the diff."""
    from agent.fixtures.suite import Status, check_case, discover, write_golden

    outcomes = [check_case(case) for case in discover(path)]
    console = _console()
    console.print(_summary_table(outcomes))
    # A golden file that cannot be read is written again too: the replay itself worked.
    pending = [
        o for o in outcomes if o.status in (Status.CHANGED, Status.NO_GOLDEN) or o.golden_damaged
    ]
    changes = [(o.case.name, c) for o in pending for c in o.changes]
    if changes:
        console.print(_changes_table(changes))
    blocked = [
        o for o in outcomes if o.status in (Status.STALE, Status.FAILED) and not o.golden_damaged
    ]
    if pending and _confirmed(f"{len(pending)} golden file(s)", yes):
        for outcome in pending:
            assert outcome.result is not None
            write_golden(outcome.case, outcome.result)
            console.print(plain(f"wrote {outcome.case.golden}"))
    elif not pending:
        console.print("golden files already match: nothing to write")
    if blocked:
        console.print(
            Text.assemble(
                (f"{len(blocked)} case(s) could not be replayed", "bold red"),
                " and keep their golden file: re-record them first (`khabar fixtures record`).",
            )
        )
        ctx.exit(1)


@fixtures.command("record")
@_path_argument
@_yes_option
@click.option("--model", help="Model name (KHABAR_MODEL).")
@click.option("--base-url", help="OpenAI-compatible base URL (KHABAR_BASE_URL).")
@click.option("--mode", type=click.Choice(["tools", "json_schema", "md_json"]))
@click.option("--timeout", type=click.FloatRange(min=0, min_open=True), help="Seconds.")
@click.option("--config", "config_path", type=click.Path(dir_okay=False), help="Config file.")
@click.pass_context
def record(
    ctx: click.Context, /, path: Path, yes: bool, config_path: str | None, **flags: Any
) -> None:
    """Re-make the cassettes under PATH, show what changed, and replace them when confirmed.

    Cases recorded from a model are recorded again against the configured endpoint; cases
    whose answers were written by hand (answers.json) are regenerated from those answers.
    A case that cannot be recorded (a damaged answers.json, no endpoint) is a failed row; the
    others are still recorded, and the run exits 1.
    """
    from agent.cli.options import load_settings
    from agent.errors import KhabarError
    from agent.fixtures.suite import discover, record_case

    base = load_settings(config_path, flags)
    console = _console()
    recordings: list[Recording] = []
    failed: list[tuple[Case, str]] = []
    try:
        cases = discover(path)
        for case in cases:
            how = "from answers.json" if case.hand_written else "against the endpoint"
            console.print(plain(f"recording {case.name} {how} …"))
            try:
                recordings.append(record_case(case, base))
            except KhabarError as exc:
                failed.append((case, str(exc)))
        changed = [r for r in recordings if _cassette_changes(r)]
        _show_recordings(console, recordings, failed)
        if changed and _confirmed(f"{len(changed)} cassette(s)", yes):
            for recording in changed:
                recording.install()
                console.print(plain(f"wrote {recording.case.cassette}"))
            console.print("now review with `khabar fixtures check`, then `khabar fixtures accept`")
        elif not changed and recordings:
            console.print("cassettes unchanged: nothing to write")
    finally:
        for recording in recordings:
            recording.discard()
    if failed:
        console.print(
            Text.assemble(
                (f"{len(failed)} of {len(cases)} case(s) could not be recorded", "bold red"),
                " and keep their cassette: see the failed rows above.",
            )
        )
        ctx.exit(1)


def _confirmed(what: str, yes: bool) -> bool:
    """`--yes`, or a person saying yes at a terminal; never a silent overwrite."""
    if yes:
        return True
    if not sys.stdin.isatty():
        raise click.ClickException(
            f"refusing to overwrite {what} without confirmation (no terminal): rerun with --yes"
        )
    return click.confirm(f"Overwrite {what}?", default=False)


def _cassette_changes(recording: Recording) -> list[str]:
    """What differs between the cassette in place and the new one (requests and answers)."""
    from agent.cassettes.replay import Cassette, canonical, describe_difference
    from agent.errors import ReplayError

    try:
        old = Cassette.load(recording.case.cassette).exchanges
    except ReplayError as exc:  # a damaged cassette is what re-recording is for
        return [f"the cassette in place cannot be replayed: {exc}"]
    new = json.loads(recording.cassette.read_text(encoding="utf-8"))["exchanges"]
    found: list[str] = []
    if len(old) != len(new):
        found.append(f"{len(old)} exchange(s) → {len(new)}")
    for i, (a, b) in enumerate(zip(old, new, strict=False)):
        if canonical(a["request"].get("body")) != canonical(b["request"].get("body")):
            reasons = describe_difference(a["request"].get("body"), b["request"].get("body"))
            found.append(f"request {i + 1}: {'; '.join(reasons)}")
        if canonical(a["response"]) != canonical(b["response"]):
            found.append(f"answer {i + 1} changed")
    return found


def _show_recordings(
    console: Console, recordings: list[Recording], failed: list[tuple[Case, str]]
) -> None:
    table = Table("case", "cassette", "what changed", title="re-recorded cassettes")
    rows = [(r.case, r) for r in recordings] + failed
    for case, r in sorted(rows, key=lambda row: row[0]):
        if isinstance(r, str):
            table.add_row(plain(case.name), plain("failed", _STYLE["failed"]), plain(r))
            continue
        found = _cassette_changes(r)
        status = "changed" if found else "unchanged"
        if r.golden_problem:
            found.append(f"not compared with {case.golden.name}: {r.golden_problem}")
        table.add_row(plain(case.name), plain(status, _STYLE[status]), plain("\n".join(found)))
    console.print(table)
    changes = [(r.case.name, c) for r in recordings for c in r.changes]
    if changes:
        console.print(_changes_table(changes, title="results of the new cassettes vs golden"))


def _summary_table(outcomes: list[Outcome]) -> Table:
    table = Table("case", "status", "detail", title="fixture cases", title_justify="left")
    for o in outcomes:
        style = _STYLE.get(str(o.status), "")
        detail = o.reason or (f"{len(o.changes)} difference(s)" if o.changes else "")
        table.add_row(plain(o.case.name), plain(o.status, style), plain(detail))
    return table


def _changes_table(changes: list[tuple[str, Change]], title: str = "differences") -> Table:
    table = Table("case", "change", "where", "golden", "now", title=title, title_justify="left")
    for case, c in changes:
        where = f"{c.section} {c.item}".strip() + (f" · {c.field}" if c.field else "")
        table.add_row(plain(case), plain(c.kind), plain(where), plain(c.before), plain(c.after))
    return table


__all__ = ["fixtures"]
