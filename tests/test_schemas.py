import json
from pathlib import Path

import jsonschema
import pytest

from agent.extraction.schemas import SCHEMA_FILES, export_schemas, schema_texts, stale_schemas
from agent.models import DERIVED, ArticleExtraction
from tests.conftest import REASK, ROOT, replay_extractor

SCHEMAS = ROOT / "schemas"


def test_schema_files_match_the_models() -> None:
    assert stale_schemas(SCHEMAS) == [], "run `khabar schema export` and commit schemas/"


def test_drift_is_detected(tmp_path: Path) -> None:
    export_schemas(tmp_path)
    assert stale_schemas(tmp_path) == []
    path = tmp_path / "article_extraction.schema.json"
    schema = json.loads(path.read_text())
    del schema["properties"]["positions"]
    path.write_text(json.dumps(schema))
    assert stale_schemas(tmp_path) == ["article_extraction.schema.json"]
    (tmp_path / "extraction_draft.schema.json").unlink()
    assert set(stale_schemas(tmp_path)) == set(SCHEMA_FILES)


def test_derived_fields_are_marked_and_grounded_fields_carry_spans() -> None:
    schema = json.loads(schema_texts()["article_extraction.schema.json"])
    defs = schema["$defs"]
    assert defs["Participant"]["properties"]["name_en"]["x-derived"] is True
    assert defs["StatedPosition"]["properties"]["gist_en"]["x-derived"] is True
    assert defs["Participant"]["properties"]["name"]["$ref"] == "#/$defs/Grounded"
    assert {"spans", "alignment"} <= set(defs["Grounded"]["properties"])
    assert DERIVED == {"x-derived": True}


def test_json_output_validates_against_the_shipped_schema() -> None:
    result = replay_extractor(REASK / "cassette.json").extract(
        (REASK / "article.txt").read_text(encoding="utf-8")
    )
    schema = json.loads((SCHEMAS / "article_extraction.schema.json").read_text())
    payload = json.loads(result.model_dump_json())
    jsonschema.validate(payload, schema)
    assert ArticleExtraction.model_validate(payload) == result


def test_schema_check_of_a_missing_folder_says_so(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from agent.cli.main import main

    with pytest.raises(SystemExit) as exited:  # was "out of date: run khabar schema export"
        main(["schema", "check", str(tmp_path / "nowhere")])
    assert exited.value.code == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "nowhere' does not exist" in err
