"""`khabar probe` / `agent.probe`: what a server supports, the mode it recommends, the cache,
`--mode auto` and a left-out model, over a llama-cpp-python cassette and the fake endpoint."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

import agent
from agent.cassettes.replay import HAND_WRITTEN, Cassette, ReplayTransport
from agent.cli.main import main
from agent.errors import ConfigError, EndpointUnreachable
from agent.fixtures.fake_endpoint import FakeEndpoint
from agent.llm.client import openai_client
from agent.llm.pipeline import Extractor
from agent.llm.probe import cache_path, cached_report, probe, resolve
from agent.settings import Mode, Settings
from tests.conftest import ROOT, SEED
from tests.test_cli import one_line_error, run

LLAMA_CPP = ROOT / "fixtures" / "probe" / "llamacpp_smollm2.json"
ANSWER = json.loads((SEED / "answers.json").read_text(encoding="utf-8"))["answers"][-1]
TEXT = (SEED / "article.txt").read_text(encoding="utf-8")


@pytest.fixture(autouse=True)
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    return tmp_path / "cache"


def _fake(**kwargs: object) -> FakeEndpoint:
    return FakeEndpoint(answers=[ANSWER], **kwargs)  # type: ignore[arg-type]


def test_llama_cpp_cassette_is_labelled_hand_written() -> None:
    meta = Cassette.load(LLAMA_CPP).meta
    assert meta["source"] == HAND_WRITTEN and "HAND-WRITTEN, not recorded" in meta["note"]


def test_probe_of_llama_cpp_answers_picks_the_model_and_recommends_tools() -> None:
    cassette = Cassette.load(LLAMA_CPP)
    settings = Settings(base_url=cassette.meta["base_url"])
    transport = ReplayTransport(cassette)
    with openai_client(settings, transport=transport) as client:
        report = probe(settings, client=client)
    assert len(transport.used) == len(cassette.exchanges)  # every probe request, once each
    assert report.models == [report.model] and report.model.endswith(
        "SmolLM2-135M-Instruct.Q4_1.gguf"
    )
    assert report.model_source == "only one listed"
    status = {c.name: c.status for c in report.checks}
    assert status == {
        "tools": "works",
        "json_schema": "refused",
        "json_object": "works",
        "md_json": "works",
    }
    refused = report.check("json_schema")
    assert refused is not None and refused.http_status == 500
    assert refused.detail == "response_format.type: Input should be 'text' or 'json_object'"
    assert report.recommended == "tools"
    assert "File" not in refused.detail  # the server's stack stays out


def test_the_recommendation_follows_what_the_server_refuses() -> None:
    with _fake(unsupported=["tools"]) as fake:
        assert probe(Settings(base_url=fake.base_url)).recommended == "json_schema"
    with _fake(unsupported=["tools", "json_schema"]) as fake:
        report = probe(Settings(base_url=fake.base_url))
    assert report.recommended == "md_json"
    assert [c.name for c in report.checks if not c.works] == ["tools", "json_schema"]


def test_probe_is_remembered_per_base_url_and_model(cache_dir: Path) -> None:
    with _fake() as fake:
        first = probe(Settings(base_url=fake.base_url))
        sent = fake.requests
        settings, choice = resolve(Settings(base_url=fake.base_url, model="fake", mode=Mode.AUTO))
        assert fake.requests == sent  # answered from the cache: nothing sent
    assert cache_path().is_relative_to(cache_dir)
    assert settings.mode is Mode.TOOLS and choice is not None and "(cached)" in choice
    assert cached_report(first.base_url, "other-model") is None
    late = datetime.now(UTC) + timedelta(days=8)
    assert cached_report(first.base_url, "fake", now=late) is None  # too old: probe again


def test_a_damaged_cache_is_probed_again(cache_dir: Path) -> None:
    cache_path().parent.mkdir(parents=True)
    cache_path().write_text("{not json", encoding="utf-8")
    with _fake() as fake:
        settings, choice = resolve(Settings(base_url=fake.base_url, model="fake", mode=Mode.AUTO))
        assert fake.requests == 4
    assert settings.mode is Mode.TOOLS and choice is not None and "just now" in choice


_DAMAGE: dict[str, Callable[[dict[str, Any]], Any]] = {
    "recommended is no mode": lambda e: e | {"recommended": "xml"},
    "recommended is a number": lambda e: e | {"recommended": 3},
    "checks is text": lambda e: e | {"checks": "tools"},
    "a check is a number": lambda e: e | {"checks": [1]},
    "a check lacks its status": lambda e: e | {"checks": [{"name": "tools"}]},
    "models is text": lambda e: e | {"models": "fake"},
    "seconds is text": lambda e: e | {"seconds": "fast"},
    "probed_at has no zone": lambda e: e | {"probed_at": "2026-01-01T00:00:00"},
    "probed_at is a number": lambda e: e | {"probed_at": 5},
    "the entry is a list": lambda e: [e],
}


@pytest.mark.parametrize("damage", list(_DAMAGE))
def test_a_damaged_cache_entry_is_probed_again_or_named_in_one_line(
    capsys: pytest.CaptureFixture[str], damage: str
) -> None:
    with _fake() as fake:
        first = probe(Settings(base_url=fake.base_url, model="fake"))
        data = json.loads(cache_path().read_text(encoding="utf-8"))
        key = next(iter(data["entries"]))
        data["entries"][key] = _DAMAGE[damage](data["entries"][key])
        cache_path().write_text(json.dumps(data), encoding="utf-8")
        assert cached_report(first.base_url, "fake") is None
        code, out, err = run(
            capsys, "probe", "--base-url", fake.base_url, "--model", "fake", "--cached"
        )
        assert code == 1 and out == ""
        assert (
            one_line_error(err) == f"no remembered probe of {first.base_url} fake: run khabar probe"
        )
        sent = fake.requests
        settings, choice = resolve(Settings(base_url=fake.base_url, model="fake", mode=Mode.AUTO))
        assert fake.requests == sent + 4  # probed again, instead of a traceback
    assert settings.mode is Mode.TOOLS and choice is not None and "just now" in choice


@pytest.mark.parametrize("text", ["[]", '{"format": 1, "entries": []}', '"probe"', "{}"])
def test_a_cache_of_the_wrong_shape_is_probed_again(text: str) -> None:
    cache_path().parent.mkdir(parents=True)
    cache_path().write_text(text, encoding="utf-8")
    with _fake() as fake:
        settings, _ = resolve(Settings(base_url=fake.base_url, model="fake", mode=Mode.AUTO))
        assert fake.requests == 4
    assert settings.mode is Mode.TOOLS


@pytest.mark.parametrize("blocked", ["a file where the folder goes", "a folder where it goes"])
def test_an_unwritable_cache_does_not_fail_the_probe(
    capsys: pytest.CaptureFixture[str], cache_dir: Path, blocked: str
) -> None:
    if blocked == "a file where the folder goes":
        cache_dir.parent.mkdir(parents=True, exist_ok=True)
        cache_dir.write_text("not a folder", encoding="utf-8")
    else:
        cache_path().mkdir(parents=True)
    with _fake() as fake:
        code, out, err = run(capsys, "probe", "--base-url", fake.base_url, "--model", "fake")
        assert code == 0, err
        assert "recommended --mode tools" in " ".join(out.split())
        settings, choice = resolve(Settings(base_url=fake.base_url, model="fake", mode=Mode.AUTO))
    assert settings.mode is Mode.TOOLS and choice is not None and "just now" in choice


def test_mode_auto_says_what_it_chose_in_provenance() -> None:
    with (
        _fake(unsupported=["tools"]) as fake,
        Extractor(Settings(base_url=fake.base_url, mode=Mode.AUTO)) as extractor,
    ):
        result = extractor.extract(TEXT)
    prov = result.provenance
    assert prov.mode == "json_schema" and prov.model == "fake"
    assert prov.auto_choice is not None
    assert "model fake: the only one the server lists" in prov.auto_choice
    assert "mode json_schema: recommended by the probe" in prov.auto_choice
    assert "auto_choice" in result.model_dump()["provenance"]


def test_explicit_settings_leave_no_auto_choice_in_the_result() -> None:
    with _fake() as fake, Extractor(Settings(base_url=fake.base_url, model="fake")) as extractor:
        result = extractor.extract(TEXT)
    assert result.provenance.auto_choice is None
    assert "auto_choice" not in result.model_dump()["provenance"]  # golden files stay as they were


def test_model_left_out_uses_the_only_one_listed(capsys: pytest.CaptureFixture[str]) -> None:
    with _fake(models=["smollm2-135m-instruct"]) as fake, pytest.raises(SystemExit) as exited:
        main(["extract", str(SEED / "article.txt"), "--base-url", fake.base_url])
    out = capsys.readouterr().out
    assert exited.value.code == 0
    assert "chosen model smollm2-135m-instruct: the only one the server lists" in " ".join(
        out.split()
    )


def test_model_left_out_with_several_listed_names_them_and_sends_nothing(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with _fake(models=["a-7b", "b-70b"]) as fake:
        with pytest.raises(SystemExit) as exited:
            main(["extract", str(SEED / "article.txt"), "--base-url", fake.base_url])
        assert fake.requests == 0
    err = capsys.readouterr().err
    assert exited.value.code == ConfigError.exit_code
    assert "lists 2: a-7b, b-70b; pass one with --model" in err


def test_probe_command_prints_the_table_and_json(capsys: pytest.CaptureFixture[str]) -> None:
    with _fake(unsupported=["json_schema"]) as fake:
        with pytest.raises(SystemExit) as exited:
            main(["probe", "--base-url", fake.base_url])
        assert exited.value.code == 0
        table = capsys.readouterr().out
        with pytest.raises(SystemExit):
            main(["probe", "--base-url", fake.base_url, "--json"])
        data = json.loads(capsys.readouterr().out)
        with pytest.raises(SystemExit):
            main(["probe", "--base-url", fake.base_url, "--model", "fake", "--cached", "--json"])
        cached = json.loads(capsys.readouterr().out)
    assert "refused" in table and "recommended --mode tools" in " ".join(table.split())
    assert data["recommended"] == "tools" and data["model"] == "fake"
    assert {c["name"]: c["works"] for c in data["checks"]}["json_schema"] is False
    assert cached["probed_at"] == data["probed_at"]


def test_cached_probe_without_a_model_shows_the_one_remembered_for_the_server(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with _fake(models=["a-7b", "b-70b"]) as fake:
        with pytest.raises(SystemExit):
            main(["probe", "--base-url", fake.base_url, "--model", "a-7b", "--json"])
        probed = json.loads(capsys.readouterr().out)
        with pytest.raises(SystemExit) as exited:
            main(["probe", "--base-url", fake.base_url, "--cached", "--json"])
        assert exited.value.code == 0
        cached = json.loads(capsys.readouterr().out)
        assert cached["model"] == "a-7b" and cached["probed_at"] == probed["probed_at"]
        with pytest.raises(SystemExit):
            main(["probe", "--base-url", fake.base_url, "--model", "b-70b"])
        capsys.readouterr()
        sent = fake.requests
        with pytest.raises(SystemExit) as exited:
            main(["probe", "--base-url", fake.base_url, "--cached"])
        assert fake.requests == sent  # --cached sends nothing, even when it cannot choose
    assert exited.value.code == ConfigError.exit_code
    err = capsys.readouterr().err
    assert "2 models probed at" in err and "(a-7b, b-70b): pass --model" in err


def test_cached_probe_of_a_server_never_probed_says_to_probe(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["probe", "--base-url", "http://127.0.0.1:9/v1", "--cached"])
    assert exited.value.code == ConfigError.exit_code
    assert "no remembered probe of http://127.0.0.1:9/v1: run khabar probe" in (
        capsys.readouterr().err
    )


def test_probe_of_an_unreachable_server_is_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(EndpointUnreachable, match=r"cannot reach http://127\.0\.0\.1:9/v1"):
        probe(Settings(base_url="http://127.0.0.1:9/v1"), remember=False)
    with pytest.raises(SystemExit) as exited:
        main(["probe", "--base-url", "http://127.0.0.1:9/v1"])
    assert exited.value.code == 1
    assert capsys.readouterr().err.startswith("error: cannot reach")


def test_no_working_mode_fails_auto_with_every_reason() -> None:
    with _fake(unsupported=["tools", "json_schema"], faults=["invalid_request"] * 10) as fake:
        settings = Settings(base_url=fake.base_url, model="fake", mode=Mode.AUTO)
        with (
            pytest.raises(agent.EndpointFailed, match="--mode auto: no mode works"),
            Extractor(settings) as extractor,
        ):
            extractor.extract(TEXT)


def test_record_with_mode_auto_keeps_the_probe_out_of_the_cassette(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cassette = tmp_path / "cassette.json"
    article = str(SEED / "article.txt")
    with _fake(unsupported=["tools"]) as fake:
        with pytest.raises(SystemExit) as recorded:
            main(["extract", article, "--base-url", fake.base_url, "--mode", "auto", "--json",
                  "--record", str(cassette)])  # fmt: skip
        assert recorded.value.code == 0 and fake.requests == 5  # 4 probe requests + 1 answer
    saved = Cassette.load(cassette)
    assert saved.meta["mode"] == "json_schema" and saved.meta["model"] == "fake"
    assert len(saved.exchanges) == 1
    first = json.loads(capsys.readouterr().out)
    assert "mode json_schema" in first["provenance"]["auto_choice"]
    with pytest.raises(SystemExit) as replayed:
        main(["extract", article, "--mode", "auto", "--json", "--replay", str(cassette)])
    assert replayed.value.code == 0  # offline: answered as recorded, nothing probed
    assert json.loads(capsys.readouterr().out)["provenance"]["mode"] == "json_schema"


def test_a_batch_with_mode_auto_probes_once_and_names_the_mode() -> None:
    import asyncio

    from agent.batch.engine import BatchRecord, extract_many
    from agent.llm.client import async_openai_client

    async def run(settings: Settings) -> list[BatchRecord]:
        async with async_openai_client(settings) as client:
            return [r async for r in extract_many([TEXT] * 3, settings=settings, client=client)]

    with _fake(unsupported=["tools"]) as fake:
        records = asyncio.run(run(Settings(base_url=fake.base_url, model="fake", mode=Mode.AUTO)))
        assert fake.requests == 4 + 3  # one probe for the whole batch
    assert [r.provenance["mode"] for r in records] == ["json_schema"] * 3
    assert all("mode json_schema" in r.provenance["auto_choice"] for r in records)


def test_probe_of_a_real_llama_cpp_server_replays_its_recorded_answers() -> None:
    # Recorded from llama-cpp-python 0.3.36 serving SmolLM2-135M (scripts/record_probe_llamacpp.py):
    # the hand-written cassette above predicted these answers; this one is the server's own.
    recorded = ROOT / "fixtures" / "probe" / "llamacpp_smollm2_recorded.json"
    cassette = Cassette.load(recorded)
    assert cassette.meta["source"] == "recorded"
    settings = Settings(base_url=cassette.meta["base_url"])
    transport = ReplayTransport(cassette)
    with openai_client(settings, transport=transport) as client:
        report = probe(settings, client=client, remember=False)
    assert len(transport.used) == len(cassette.exchanges)
    status = {c.name: c.status for c in report.checks}
    assert status == {
        "tools": "works",
        "json_schema": "refused",
        "json_object": "works",
        "md_json": "works",
    }
    refused = report.check("json_schema")
    assert refused is not None and refused.http_status == 500
    assert refused.detail == "response_format.type: Input should be 'text' or 'json_object'"
    assert report.recommended == "tools"


def test_a_relative_cache_home_is_ignored(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """The XDG spec: a relative $XDG_CACHE_HOME is invalid; the cache stays in ~/.cache."""
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/cache")
    monkeypatch.setenv("HOME", str(tmp_path))
    assert cache_path() == tmp_path / ".cache" / "khabar" / "probe.json"
    monkeypatch.setenv("XDG_CACHE_HOME", "")
    assert cache_path() == tmp_path / ".cache" / "khabar" / "probe.json"
