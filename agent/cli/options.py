"""Options shared by several commands, declared once so their names and help never drift apart."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from agent.settings import MIN_CHUNK_CHARS, ChunkPolicy, Mode, Policy

_setting_options = [
    click.option("--model", help="Model name (KHABAR_MODEL)."),
    click.option("--base-url", help="OpenAI-compatible base URL (KHABAR_BASE_URL)."),
    click.option("--api-key", help="API key; prefer KHABAR_API_KEY / OPENAI_API_KEY."),
    click.option(
        "--mode",
        type=click.Choice([m.value for m in Mode]),
        help="instructor mode (KHABAR_MODE).",
    ),
    click.option(
        "--on-ungrounded",
        type=click.Choice([p.value for p in Policy]),
        help="What to do with problems left after the last re-ask.",
    ),
    click.option("--max-reasks", type=click.IntRange(min=0), help="Validation re-asks."),
    click.option(
        "--timeout", type=click.FloatRange(min=0, min_open=True), help="Seconds per request."
    ),
    click.option("--max-chars", type=click.IntRange(min=1), help="Longest article accepted."),
    click.option(
        "--chunk-chars",
        type=click.IntRange(min=MIN_CHUNK_CHARS),
        help="Longer articles are split into chunks of at most this many characters "
        "(KHABAR_CHUNK_CHARS, default 8000).",
    ),
    click.option(
        "--chunk-concurrency",
        type=click.IntRange(min=1),
        help="Chunks of one article extracted at once (KHABAR_CHUNK_CONCURRENCY, default 4).",
    ),
    click.option(
        "--passes",
        type=click.IntRange(min=1),
        help="Extraction passes per chunk; each further pass asks for what was missed.",
    ),
    click.option(
        "--on-failed-chunk",
        type=click.Choice([p.value for p in ChunkPolicy]),
        help="A chunk that fails: fail the article (default) or flag it and keep the rest.",
    ),
    click.option(
        "--config",
        "config_path",
        type=click.Path(dir_okay=False),
        help="Config file (TOML); default ~/.config/khabar/config.toml.",
    ),
]


def setting_options(func: Any) -> Any:
    """The endpoint and policy settings every command that extracts accepts."""
    for option in reversed(_setting_options):
        func = option(func)
    return func


def output_option(
    help_text: str, *, required: bool = False, dir_okay: bool = False
) -> Callable[[Any], Any]:
    """`-o/--output FILE`: the one spelling of where a command writes its result."""
    return click.option(
        "-o",
        "--output",
        type=click.Path(dir_okay=dir_okay, path_type=Path),
        required=required,
        help=help_text,
    )


def concurrency_option(what: str) -> Callable[[Any], Any]:
    """`-j/--concurrency N`: how many articles or documents a run keeps in flight at once."""
    return click.option(
        "--concurrency",
        "-j",
        default=8,
        show_default=True,
        type=click.IntRange(min=1),
        help=f"{what} in flight at once.",
    )


def debug_requested() -> bool:
    """Whether this run was started with --debug (or KHABAR_DEBUG): `main` puts its answer in
    the root context's `obj`; a command invoked without `main` (a test's runner) has none."""
    context = click.get_current_context(silent=True)
    obj = context.find_root().obj if context is not None else None
    return bool(isinstance(obj, dict) and obj.get("debug"))


def load_settings(config_path: str | None, flags: dict[str, Any]) -> Any:
    """Settings from flags > environment > config file > defaults (imported late: stays cheap)."""
    from agent.settings import Settings

    return Settings.load(config_path=config_path).with_values("flag", **flags)


__all__ = ["concurrency_option", "load_settings", "output_option", "setting_options"]
