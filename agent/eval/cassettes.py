"""One cassette per gold document, so an eval run can be recorded once and re-scored offline.

`--record DIR` writes `DIR/<key>/article.txt` and `DIR/<key>/cassette.json` per document (the
layout of a fixture case, so a recorded run is a regression fixture too); `--replay DIR` answers
each document from its own cassette. Every request of a batch goes through one shared client, so
the transport here finds the document a request belongs to by the article fence in its prompt
(`<<<ARTICLE-sha256…>>>`, derived from the article text; for one chunk of a long article, the
document that holds the fenced text) and hands the request to that document's recorder or
replayer. Folders are named by document id (made safe for file names;
ids that had to change get a short hash so two never share a folder).
"""

from __future__ import annotations

import hashlib
import json
import re
import threading
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import httpx2 as httpx

from agent.cassettes.replay import (
    Cassette,
    RecordingTransport,
    ReplayTransport,
    recorder_for,
    replay_settings,
)
from agent.errors import InputError, ReplayError
from agent.eval.datasets import Document
from agent.files import write_atomic
from agent.settings import Settings

CASSETTE = "cassette.json"
_FENCE = re.compile(r"<<<ARTICLE-([0-9a-f]{12,64})>>>")
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def document_key(doc_id: str) -> str:
    """A folder name for a document id: the id itself when safe, else a safe form + a hash."""
    safe = _UNSAFE.sub("_", doc_id).strip("._") or "doc"
    if safe == doc_id:
        return safe
    return f"{safe[:80]}-{hashlib.sha256(doc_id.encode()).hexdigest()[:8]}"


def cassette_path(directory: Path, doc_id: str) -> Path:
    return directory / document_key(doc_id) / CASSETTE


class _Router:
    """Which document a request is for, from the article fence in its messages."""

    def __init__(self, documents: Iterable[Document]) -> None:
        self.by_digest: dict[str, Document] = {}
        self.documents = list(documents)
        for doc in self.documents:
            digest = hashlib.sha256(doc.text.encode()).hexdigest()
            self.by_digest.setdefault(digest[:12], doc)

    def document(self, request: httpx.Request) -> Document:
        try:
            body: Any = json.loads(request.content)
        except ValueError:
            body = None
        messages = body.get("messages") if isinstance(body, dict) else None
        contents = [m.get("content") for m in messages or [] if isinstance(m.get("content"), str)]
        for content in contents:
            match = _FENCE.search(content)
            if match and match.group(1)[:12] in self.by_digest:
                return self.by_digest[match.group(1)[:12]]
        for content in contents:  # one chunk of a long article: the document holding it
            chunk = _fenced(content)
            if chunk:
                for doc in self.documents:
                    if chunk in doc.text:
                        return doc
        for doc in self.documents:  # templates without the fence: the article text itself
            if any(doc.text in content for content in contents):
                return doc
        raise ReplayError("cannot tell which gold document this request is for")


def _fenced(content: str) -> str | None:
    """The text between the first two article fences of a message, if it has them."""
    match = _FENCE.search(content)
    if match is None:
        return None
    parts = content.split(match.group(0))
    if len(parts) < 3:
        return None
    inner = parts[1]
    inner = inner[1:] if inner.startswith("\n") else inner
    return inner[:-1] if inner.endswith("\n") else inner


class RecordingRouter(httpx.AsyncBaseTransport):
    """Sends each request to the endpoint and records it in its document's cassette."""

    def __init__(
        self,
        directory: Path,
        documents: Iterable[Document],
        settings: Settings,
        inner: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self.directory = directory
        self.router = _Router(documents)
        self.settings = settings
        self.inner = inner or httpx.AsyncHTTPTransport()
        self.recorders: dict[str, RecordingTransport] = {}
        self._lock = threading.Lock()

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        doc = self.router.document(request)
        return await self._recorder(doc).handle_async_request(request)

    def _recorder(self, doc: Document) -> RecordingTransport:
        with self._lock:
            if doc.id not in self.recorders:
                folder = self.directory / document_key(doc.id)
                write_atomic(folder / "article.txt", doc.text)
                recorder = recorder_for(folder / CASSETTE, self.settings)
                recorder.cassette.meta["document_id"] = doc.id
                recorder.async_inner = self.inner
                self.recorders[doc.id] = recorder
            return self.recorders[doc.id]

    def finish(self, doc_id: str, prompt_version: str) -> None:
        """Stamp a document's cassette once its result is in."""
        recorder = self.recorders.get(doc_id)
        if recorder is not None:
            recorder.finish(prompt_version)

    async def aclose(self) -> None:
        await self.inner.aclose()


def check_record_directory(directory: Path, documents: Iterable[Document], force: bool) -> None:
    """Refuse to overwrite earlier recordings unless told to."""
    if directory.exists() and not directory.is_dir():
        raise InputError(f"{directory} is a file: --record needs a folder")
    if force:
        return
    taken = [d.id for d in documents if cassette_path(directory, d.id).exists()]
    if taken:
        raise InputError(
            f"{directory} already holds cassettes for {len(taken)} document(s) "
            f"(first: {taken[0]!r}): pass --force to overwrite them, or record elsewhere"
        )


class ReplayRouter(httpx.AsyncBaseTransport):
    """Answers each request from its document's cassette; a document without one fails alone."""

    def __init__(self, directory: Path, documents: Iterable[Document]) -> None:
        self.directory = directory
        self.router = _Router(documents)
        self.replayers: dict[str, ReplayTransport | ReplayError] = {}
        self._lock = threading.Lock()

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        doc = self.router.document(request)
        replayer = self._replayer(doc)
        if isinstance(replayer, ReplayError):
            raise replayer
        return await replayer.handle_async_request(request)

    def _replayer(self, doc: Document) -> ReplayTransport | ReplayError:
        with self._lock:
            if doc.id not in self.replayers:
                path = cassette_path(self.directory, doc.id)
                if path.exists():
                    self.replayers[doc.id] = ReplayTransport(Cassette.load(path))
                else:
                    self.replayers[doc.id] = ReplayError(
                        f"no cassette for document {doc.id!r} in {self.directory} "
                        f"(expected {path}); record it with --record"
                    )
            return self.replayers[doc.id]


def replay_directory_settings(directory: Path, base: Settings) -> Settings:
    """`base` as the cassettes in `directory` were recorded: model, mode, base URL, settings.

    Every cassette of one run must agree on them, or no one setting could replay them all.
    """
    if not directory.is_dir():
        raise InputError(f"{directory}: no such folder of cassettes")
    paths = sorted(directory.glob(f"*/{CASSETTE}"))
    if not paths:
        raise ReplayError(f"{directory} holds no cassettes (<document>/{CASSETTE})")
    first = Cassette.load(paths[0])
    settings = replay_settings(first, base)
    wanted = _recorded_with(first)
    for path in paths[1:]:
        other = _recorded_with(Cassette.load(path))
        if other != wanted:
            raise ReplayError(
                f"{path} was recorded with other settings than {paths[0]} "
                f"({other} vs {wanted}): replay them separately"
            )
    return settings


def _recorded_with(cassette: Cassette) -> dict[str, Any]:
    meta = cassette.meta
    return {
        "model": meta.get("model"),
        "mode": meta.get("mode"),
        "base_url": meta.get("base_url"),
        "settings": meta.get("settings"),
    }


__all__ = [
    "CASSETTE",
    "RecordingRouter",
    "ReplayRouter",
    "cassette_path",
    "check_record_directory",
    "document_key",
    "replay_directory_settings",
]
