"""`khabar probe`: what the configured server can do, and the mode to use with it."""

from __future__ import annotations

import json
from typing import Any

import click
from rich.console import Console

from agent.cli.options import load_settings

_OPTIONS = [
    click.option("--model", help="Model name (KHABAR_MODEL); left out: the only one listed."),
    click.option("--base-url", help="OpenAI-compatible base URL (KHABAR_BASE_URL)."),
    click.option("--api-key", help="API key; prefer KHABAR_API_KEY / OPENAI_API_KEY."),
    click.option(
        "--timeout", type=click.FloatRange(min=0, min_open=True), help="Seconds per request."
    ),
    click.option(
        "--config", "config_path", type=click.Path(dir_okay=False), help="Config file (TOML)."
    ),
]


def _options(func: Any) -> Any:
    for option in reversed(_OPTIONS):
        func = option(func)
    return func


@click.command("probe")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON on stdout.")
@click.option("--cached", is_flag=True, help="Show the remembered probe, if any; send nothing.")
@_options
def probe(as_json: bool, cached: bool, config_path: str | None, **flags: Any) -> None:
    """Send a few tiny requests: reachability, models, which structured-output modes work.

    The answer is remembered per base URL and model (in $XDG_CACHE_HOME/khabar/probe.json) for
    --mode auto. Exit 0 when some khabar mode works, 1 when none does.
    """
    from agent.errors import KhabarError
    from agent.llm.probe import cached_report
    from agent.llm.probe import probe as run_probe
    from agent.settings import OPENAI_BASE_URL, without_credentials
    from agent.views.probe_view import render_probe

    settings = load_settings(config_path, flags)
    if cached:
        settings.require_endpoint(model=False)
        base_url = without_credentials(settings.base_url or OPENAI_BASE_URL)
        model = settings.model or _the_remembered_model(base_url)
        report = cached_report(base_url, model)
        if report is None:
            raise KhabarError(f"no remembered probe of {base_url} {model}: run khabar probe")
    else:
        report = run_probe(settings)
    if as_json:
        click.echo(json.dumps(report.to_dict(), indent=2, ensure_ascii=False))
    else:
        Console(highlight=False).print(render_probe(report))
    if report.recommended is None:
        raise SystemExit(1)


def _the_remembered_model(base_url: str) -> str:
    """With no model configured, the one model probed at `base_url` (a probe without --model
    remembers the model the server listed)."""
    from agent.errors import ConfigError
    from agent.llm.probe import remembered_models

    models = remembered_models(base_url)
    if len(models) == 1:
        return models[0]
    if not models:
        raise ConfigError(f"no remembered probe of {base_url}: run khabar probe")
    raise ConfigError(
        f"{len(models)} models probed at {base_url} ({', '.join(models)}): pass --model"
    )


__all__ = ["probe"]
