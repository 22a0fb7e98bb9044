"""JSON Schema export: the contract for people who read khabar's output without Python.

`schemas/article_extraction.schema.json` describes what `--json` prints;
`extraction_draft.schema.json` is what the model is asked to fill. A test fails when the
files drift from the models.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from agent.extraction.draft import ExtractionDraft
from agent.files import write_atomic
from agent.models import ArticleExtraction

SCHEMA_FILES: dict[str, type[Any]] = {
    "article_extraction.schema.json": ArticleExtraction,
    "extraction_draft.schema.json": ExtractionDraft,
}


def schema_texts() -> dict[str, str]:
    """File name → the schema text khabar would write now."""
    texts = {}
    for name, model in SCHEMA_FILES.items():
        schema = model.model_json_schema(mode="serialization")
        schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
        texts[name] = json.dumps(schema, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    return texts


def export_schemas(directory: Path) -> list[Path]:
    written = []
    for name, text in schema_texts().items():
        path = directory / name
        write_atomic(path, text)
        written.append(path)
    return written


def stale_schemas(directory: Path) -> list[str]:
    """Names of schema files that are missing or differ from the models."""
    stale = []
    for name, text in schema_texts().items():
        path = directory / name
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            stale.append(name)
    return stale


__all__ = ["SCHEMA_FILES", "export_schemas", "schema_texts", "stale_schemas"]
