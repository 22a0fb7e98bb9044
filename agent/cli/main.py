"""`khabar`: a thin command line over the library.

Exit codes: 0 ok, 1 extraction failed (endpoint, validation, grounding, replay), 2 usage or input
error, 130 interrupted. Every known failure prints one red line; `--debug` (or KHABAR_DEBUG=1,
true, yes or on) re-raises it with its traceback instead, except a usage error: that is a
message about the command line, with no code worth a traceback behind it.
"""

from __future__ import annotations

import contextlib
import errno
import json
import logging
import os
import sys
from pathlib import Path
from typing import Any, NoReturn

import click
from rich.table import Table
from rich.text import Text

from agent.cli.options import load_settings, output_option, setting_options
from agent.errors import ConfigError, InputError, KhabarError, OutputError
from agent.views.plain import console as plain_console
from agent.views.plain import plain, printable, printable_json

EXIT_USAGE = 2
_stderr = plain_console(stderr=True, soft_wrap=True)


_DEBUG_ON = frozenset({"1", "true", "yes", "on"})
_DEBUG_OFF = frozenset({"", "0", "false", "no", "off"})


def _debug_requested(argv: list[str]) -> bool:
    """`--debug`, or KHABAR_DEBUG set to a yes (`KHABAR_DEBUG=false` is a no, not a yes)."""
    if "--debug" in _options_part(argv):
        return True
    value = os.environ.get("KHABAR_DEBUG", "").strip().lower()
    if value in _DEBUG_ON or value in _DEBUG_OFF:
        return value in _DEBUG_ON
    raise ConfigError(
        f"KHABAR_DEBUG: give 1, true, yes or on (or 0, false, no, off), got {value!r}"
    )


def _options_part(argv: list[str]) -> list[str]:
    """The arguments before a `--` (after it, "--debug" would be a file's name)."""
    return argv[: argv.index("--")] if "--" in argv else argv


def _debug_first(argv: list[str]) -> list[str]:
    """`--debug` where the group takes it, wherever it was typed: `khabar extract a.txt --debug`
    is read as `khabar --debug extract a.txt`, not refused as an unknown option of `extract`."""
    head = _options_part(argv)
    if "--debug" not in head:
        return argv
    return ["--debug", *(a for a in head if a != "--debug"), *argv[len(head) :]]


def main(argv: list[str] | None = None) -> None:
    """Entry point: run the click app and turn every known failure into one line and a code."""
    args = _debug_first(sys.argv[1:] if argv is None else argv)
    try:
        debug = _debug_requested(args)
    except KhabarError as exc:
        _fail(str(exc), exc.exit_code, args)
    if sys.stdout is None:  # started with stdout closed (`>&-`): every result would be lost
        _fail(
            "standard output is closed: redirect it to a file, or to /dev/null to discard it",
            OutputError.exit_code,
            args,
        )
    if not debug:
        logging.getLogger("instructor").addHandler(logging.NullHandler())
        logging.getLogger("instructor").propagate = False
    try:
        try:
            code = cli.main(
                args=args, prog_name="khabar", standalone_mode=False, obj={"debug": debug}
            )
        finally:
            _flush_stdout()
    except click.exceptions.Exit as exc:
        code = exc.exit_code
    except click.exceptions.NoArgsIsHelpError as exc:  # bare `khabar`: the help, as click does
        click.echo(exc.format_message(), err=True)
        code = exc.exit_code
    except click.ClickException as exc:  # a usage message even with --debug: no code failed
        _fail(exc.format_message(), exc.exit_code, args)
    except click.Abort:
        _fail("interrupted", 130, args)
    except KhabarError as exc:
        if debug:
            raise
        _fail(str(exc), exc.exit_code, args)
    except KeyboardInterrupt:
        _fail("interrupted", 130, args)
    except OSError as exc:
        if debug or not _is_stdout_failure(exc):
            raise
        _discard_stdout()
        _fail(f"cannot write standard output: {exc.strerror or exc}", OutputError.exit_code, args)
    sys.exit(code if isinstance(code, int) else 0)


# What writing to a full disk, a closed pipe or a dead terminal raises on stdout.
_STDOUT_ERRNOS = frozenset({errno.ENOSPC, errno.EPIPE, errno.EIO, errno.EDQUOT, errno.EFBIG})


def _is_stdout_failure(exc: OSError) -> bool:
    """A write error with no file name: stdout (every file khabar opens is named or wrapped)."""
    return exc.filename is None and exc.errno in _STDOUT_ERRNOS


def _flush_stdout() -> None:
    """Flush what the command printed; a full disk or closed pipe on stdout becomes one line.

    After a failed flush the data is discarded (stdout pointed at /dev/null), or the
    interpreter would try again at exit and print its own traceback-like warning."""
    stream = sys.stdout
    if stream is None:
        return
    try:
        stream.flush()
    except OSError as exc:
        _discard_stdout()
        raise OutputError(f"cannot write standard output: {exc.strerror or exc}") from None


def _discard_stdout() -> None:
    """Point stdout at /dev/null, so the interpreter's last flush at exit has nowhere to fail."""
    with contextlib.suppress(OSError, ValueError, AttributeError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)


def _fail(message: str, code: int, args: list[str] | None = None) -> NoReturn:
    """One red line. The message is data (file names, server text): printed as plain text,
    controls shown, and with any secret the user passed replaced."""
    from agent.credentials import scrub

    line = printable(scrub(message, _known_secrets(args or [])))
    _stderr.print(Text.assemble(("error:", "bold red"), " ", line))
    sys.exit(code)


def _known_secrets(args: list[str]) -> tuple[str, ...]:
    """The key and base-URL credentials given on the command line or in the environment."""
    from agent.credentials import url_secrets
    from agent.settings import ENV_NAMES

    values = [os.environ.get(name, "") for name in ENV_NAMES["api_key"]]
    urls = [os.environ.get(name, "") for name in ENV_NAMES["base_url"]]
    for i, arg in enumerate(args):
        for flag, into in (("--api-key", values), ("--base-url", urls)):
            if arg == flag and i + 1 < len(args):
                into.append(args[i + 1])
            elif arg.startswith(flag + "="):
                into.append(arg.split("=", 1)[1])
    for url in urls:
        values += url_secrets(url)
    return tuple(sorted({v for v in values if len(v) >= 3}, key=len, reverse=True))


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--debug", is_flag=True, help="Re-raise errors with their traceback.")
@click.version_option(package_name="khabar")
def cli(debug: bool) -> None:
    """Grounded extraction from news articles: who, which titles, where, who said what."""


@cli.command()
@click.argument("article", type=str)
@click.option("--json", "as_json", is_flag=True, help="Print only the JSON result on stdout.")
@output_option("Also write the JSON result to this file (atomically).")
@click.option(
    "--replay",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Answer from a cassette instead of an endpoint (offline).",
)
@click.option(
    "--record",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Record the exchanges with the endpoint to this cassette.",
)
@click.option("--force", is_flag=True, help="With --record: overwrite an existing cassette.")
@click.option(
    "--html",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Also write an HTML review page of the article with its mentions highlighted.",
)
@click.option("--show-text", is_flag=True, help="Show the article with mentions highlighted.")
@click.option(
    "--bidi",
    is_flag=True,
    help="With --show-text: reshape and reorder Arabic for terminals without bidi support.",
)
@setting_options
def extract(
    article: str,
    as_json: bool,
    output: Path | None,
    replay: Path | None,
    record: Path | None,
    force: bool,
    html: Path | None,
    show_text: bool,
    bidi: bool,
    config_path: str | None,
    **flags: Any,
) -> None:
    """Extract participants, titles, locations and stated positions from ARTICLE (a file or -)."""
    from agent.articles import read_article
    from agent.files import check_outputs
    from agent.llm.pipeline import Extractor
    from agent.views.terminal import render_extraction

    if replay and record:
        raise click.UsageError("--replay and --record cannot be used together")
    if show_text and as_json:
        raise click.UsageError("--show-text cannot be used with --json")
    if force and not record:  # an option that would do nothing is a mistake worth naming
        raise click.UsageError("--force goes with --record (it overwrites an existing cassette)")
    if bidi and not show_text:
        raise click.UsageError("--bidi goes with --show-text (it reorders the article's lines)")
    settings = load_settings(config_path, flags)
    check_outputs({"-o": output, "--html": html, "--record": record}, [article, replay])
    text = read_article(article, settings.max_chars)
    if replay:
        client, settings = _replay_client(replay, settings, flags)
    elif record:
        client, recorder, settings, choice = _recording_client(record, settings, force)
    else:
        client = None
    try:
        with Extractor(settings, client=client) as extractor:
            if record:
                extractor.auto_choice = choice
            result = extractor.extract(text)
    finally:
        if client is not None:
            client.close()
    if record:
        recorder.finish(result.provenance.prompt_version)
    payload = result.model_dump_json(indent=2)
    failure = _write_outputs(output, html, article, text, result, payload)
    if as_json:
        click.echo(printable_json(payload))
    else:
        console = plain_console()
        if show_text:
            from agent.views.article_text import article_view

            console.print(article_view(text, result, visual=bidi, width=console.width))
        console.print(render_extraction(result))
    if failure is not None:
        raise _rescued(failure, payload, printed=as_json)


def _write_outputs(
    output: Path | None, html: Path | None, article: str, text: str, result: Any, payload: str
) -> OutputError | None:
    """Write `-o` and `--html`; a failure is returned, not raised, so the result still shows."""
    from agent.files import write_atomic

    try:
        if output:
            write_atomic(output, payload + "\n")
        if html:
            from agent.views.html_report import ReportArticle, write_report

            label = "standard input" if article == "-" else Path(article).name
            write_report(html, [ReportArticle(label, text, result)], title=f"khabar: {label}")
    except OutputError as exc:
        return exc
    return None


def _rescued(failure: OutputError, payload: str, *, printed: bool) -> OutputError:
    """The write failed after the endpoint answered: keep the paid-for result somewhere."""
    from agent.files import rescue_copy

    if printed:
        return OutputError(f"{failure}; the result was printed on standard output")
    saved = rescue_copy(payload + "\n", ".json")
    if saved is not None:
        return OutputError(f"{failure}; the result was saved to {saved}")
    click.echo(printable_json(payload))
    return OutputError(f"{failure}; the result was printed on standard output")


def _replay_client(path: Path, settings: Any, flags: dict[str, Any]) -> tuple[Any, Any]:
    from agent.cassettes.replay import Cassette, ReplayTransport, replay_settings
    from agent.llm.client import openai_client
    from agent.settings import Mode

    cassette = Cassette.load(path)
    settings = replay_settings(cassette, settings)
    if settings.mode is Mode.AUTO:  # a replay answers as recorded: no probe of the cassette
        settings = settings.with_overrides(mode=cassette.meta.get("mode") or Mode.TOOLS)
    return openai_client(settings, transport=ReplayTransport(cassette)), settings


def _recording_client(path: Path, settings: Any, force: bool) -> tuple[Any, Any, Any, Any]:
    """A client recording to `path`; `--mode auto` and a left-out model are settled first (the
    probe is not recorded), so the cassette's meta names the concrete mode and model."""
    from agent.cassettes.replay import recorder_for
    from agent.llm.client import openai_client
    from agent.llm.probe import resolve

    if path.exists() and not force:
        raise InputError(f"{path} exists: pass --force to overwrite the cassette")
    settings, choice = resolve(settings)
    settings.require_endpoint()
    recorder = recorder_for(path, settings)
    return openai_client(settings, transport=recorder), recorder, settings, choice


@cli.command("config")
@click.option("--json", "as_json", is_flag=True, help="Print the configuration as JSON.")
@click.option(
    "--config", "config_path", type=click.Path(dir_okay=False), help="Config file (TOML)."
)
def show_config(as_json: bool, config_path: str | None) -> None:
    """Show the effective configuration and where each value came from (never the key)."""
    settings = load_settings(config_path, {})
    shown = settings.public()
    if as_json:
        click.echo(printable_json(json.dumps(shown, indent=2, ensure_ascii=False)))
        return
    table = Table("setting", "value", "from", title="khabar configuration", title_justify="left")
    for name, value in shown.items():
        table.add_row(
            plain(name),
            plain("" if value is None else value),
            plain(settings.sources.get(name, "default")),
        )
    console = plain_console()
    console.print(table)
    if not settings.base_url and not settings.api_key:
        console.print(
            Text.assemble(
                ("No endpoint configured:", "yellow"),
                " set KHABAR_BASE_URL and KHABAR_MODEL (or OPENAI_API_KEY), or write "
                "~/.config/khabar/config.toml.",
            )
        )


@cli.group()
def schema() -> None:
    """The JSON Schema files in schemas/ (the output contract)."""


@schema.command("export")
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path), default="schemas")
def schema_export(directory: Path) -> None:
    """Write the JSON Schemas of the result and of the model's answer to DIRECTORY."""
    from agent.extraction.schemas import export_schemas

    for path in export_schemas(directory):
        click.echo(f"wrote {printable(path)}")


@schema.command("check")
@click.argument(
    "directory",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    default="schemas",
)
def schema_check(directory: Path) -> None:
    """Exit 1 when the files in DIRECTORY differ from the models."""
    from agent.extraction.schemas import stale_schemas

    stale = stale_schemas(directory)
    if stale:
        raise KhabarError(f"{', '.join(stale)} out of date: run `khabar schema export {directory}`")
    click.echo("schemas up to date")


__all__ = ["cli", "main"]

from agent.cli.fixtures import fixtures  # noqa: E402

cli.add_command(fixtures)

from agent.cli.report import report  # noqa: E402

cli.add_command(report)

from agent.cli.batch import batch  # noqa: E402

cli.add_command(batch)

from agent.cli.eval import eval_command  # noqa: E402

cli.add_command(eval_command)

from agent.cli.probe import probe  # noqa: E402

cli.add_command(probe)
