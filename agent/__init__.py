"""khabar: grounded structured extraction from news articles (Arabic first, English too).

    from agent import extract
    result = extract(text)            # settings from KHABAR_* / OPENAI_* / config file
    for p in result.participants:
        print(p.name.text, [t.text.text for t in p.titles], p.name.spans)

Public names are imported lazily, so `import agent` stays fast and builds nothing: no client,
no prompt, no network until you call something.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

_EXPORTS: dict[str, str] = {
    "extract": "agent.llm.pipeline",
    "aextract": "agent.llm.pipeline",
    "Extractor": "agent.llm.pipeline",
    "extract_many": "agent.batch.engine",
    "BatchRecord": "agent.batch.engine",
    "BatchStats": "agent.batch.engine",
    "Settings": "agent.settings",
    "Mode": "agent.settings",
    "Policy": "agent.settings",
    "ground_mentions": "agent.text.grounding",
    "Alignment": "agent.text.grounding",
    "read_article": "agent.articles",
    "ArticleExtraction": "agent.models",
    "Participant": "agent.models",
    "Title": "agent.models",
    "Location": "agent.models",
    "PlaceLink": "agent.models",
    "StatedPosition": "agent.models",
    "Grounded": "agent.models",
    "Span": "agent.models",
    "AlignmentStatus": "agent.models",
    "Cassette": "agent.cassettes.replay",
    "ReplayTransport": "agent.cassettes.replay",
    "openai_client": "agent.llm.client",
    "async_openai_client": "agent.llm.client",
    "KhabarError": "agent.errors",
    "GazetteerError": "agent.errors",
    "InputError": "agent.errors",
    "ConfigError": "agent.errors",
    "OutputError": "agent.errors",
    "EndpointError": "agent.errors",
    "ExtractionError": "agent.errors",
    "ReplayError": "agent.errors",
    "AuthenticationError": "agent.errors",
    "EndpointUnreachable": "agent.errors",
    "EndpointFailed": "agent.errors",
    "ValidationFailed": "agent.errors",
    "IncompleteAnswer": "agent.errors",
    "probe": "agent.llm.probe",
    "ProbeReport": "agent.llm.probe",
    "UngroundedError": "agent.errors",
}

__all__ = [
    "Alignment",
    "AlignmentStatus",
    "ArticleExtraction",
    "AuthenticationError",
    "BatchRecord",
    "BatchStats",
    "Cassette",
    "ConfigError",
    "EndpointError",
    "EndpointFailed",
    "EndpointUnreachable",
    "ExtractionError",
    "Extractor",
    "GazetteerError",
    "Grounded",
    "IncompleteAnswer",
    "InputError",
    "KhabarError",
    "Location",
    "Mode",
    "OutputError",
    "Participant",
    "PlaceLink",
    "Policy",
    "ProbeReport",
    "ReplayError",
    "ReplayTransport",
    "Settings",
    "Span",
    "StatedPosition",
    "Title",
    "UngroundedError",
    "ValidationFailed",
    "aextract",
    "async_openai_client",
    "extract",
    "extract_many",
    "ground_mentions",
    "openai_client",
    "probe",
    "read_article",
]

if TYPE_CHECKING:
    from agent.articles import read_article
    from agent.batch.engine import BatchRecord, BatchStats, extract_many
    from agent.cassettes.replay import Cassette, ReplayTransport
    from agent.errors import (
        AuthenticationError,
        ConfigError,
        EndpointError,
        EndpointFailed,
        EndpointUnreachable,
        ExtractionError,
        GazetteerError,
        IncompleteAnswer,
        InputError,
        KhabarError,
        OutputError,
        ReplayError,
        UngroundedError,
        ValidationFailed,
    )
    from agent.llm.client import async_openai_client, openai_client
    from agent.llm.pipeline import Extractor, aextract, extract
    from agent.llm.probe import ProbeReport, probe
    from agent.models import (
        AlignmentStatus,
        ArticleExtraction,
        Grounded,
        Location,
        Participant,
        PlaceLink,
        Span,
        StatedPosition,
        Title,
    )
    from agent.settings import Mode, Policy, Settings
    from agent.text.grounding import Alignment, ground_mentions


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'agent' has no attribute {name!r}")
    value = getattr(import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_EXPORTS))
