"""The public facade: complete, lazy, and layered (matching never imports the LLM client)."""

import subprocess
import sys

import pytest

import agent


def test_every_exported_name_resolves() -> None:
    for name in agent.__all__:
        assert getattr(agent, name) is not None, name
    assert sorted(agent.__all__) == sorted(agent._EXPORTS)


def test_unknown_name_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="has no attribute 'extrakt'"):
        agent.extrakt  # noqa: B018


def test_extract_is_the_function_not_a_module() -> None:
    from agent import aextract, extract

    assert callable(extract) and callable(aextract)
    assert extract.__module__ == "agent.llm.pipeline"


def _loaded_after(statement: str) -> set[str]:
    code = f"import sys; {statement}; print(' '.join(sorted(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return set(out.stdout.split())


def test_import_agent_builds_nothing_heavy() -> None:
    loaded = _loaded_after("import agent")
    assert not {"openai", "instructor", "pydantic", "httpx2", "rich"} & loaded


@pytest.mark.parametrize(
    "module",
    [
        "agent.text.grounding",
        "agent.extraction.validate",
        "agent.extraction.result",
        "agent.models",
    ],
)
def test_matching_and_models_never_import_the_llm_client(module: str) -> None:
    loaded = _loaded_after(f"import {module}")
    assert not {"openai", "instructor", "httpx2"} & loaded


def test_python_dash_m_agent_is_the_cli() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "agent", "--help"], capture_output=True, text=True, check=True
    )
    assert "extract" in out.stdout and "config" in out.stdout


def test_remembered_validator_scan_still_refuses_async_validators() -> None:
    """khabar remembers classes that passed instructor's scan; a failing class fails every time."""
    from instructor.v2.validation import async_validators
    from pydantic import BaseModel

    from agent.llm.client import patch
    from agent.llm.pipeline import response_model
    from agent.settings import Mode, Settings

    with agent.openai_client(Settings(base_url="http://127.0.0.1:9/v1", model="m")) as client:
        patch(client, Mode.TOOLS)

    class Bad(BaseModel):
        name: str

        @async_validators.async_field_validator("name")
        async def check(self, value: str) -> str:
            return value

    for _ in range(2):
        with pytest.raises(ValueError, match="async validators are not supported"):
            async_validators.reject_async_validators(Bad)
    async_validators.reject_async_validators(response_model())  # passes, then remembered


def test_the_whole_error_tree_is_exported_and_each_error_names_its_kind() -> None:
    import agent
    import agent.errors as errors

    assert set(errors.__all__) <= set(agent.__all__)
    kinds = {name: getattr(errors, name).kind for name in errors.__all__}
    assert kinds["AuthenticationError"] == "authentication"
    assert kinds["EndpointFailed"] == "endpoint"  # batch's "the endpoint is failing" counter
    assert kinds["ConfigError"] == "config"
    branches = ("KhabarError", "EndpointError")  # EndpointFailed inherits the branch's kind
    leaves = [n for n in errors.__all__ if n not in branches]
    assert len({kinds[n] for n in leaves}) == len(leaves)


def test_endpoint_errors_carry_host_and_status() -> None:
    from agent.errors import EndpointFailed

    exc = EndpointFailed("api.example answered HTTP 503", host="api.example", status_code=503)
    assert (exc.host, exc.status_code, exc.exit_code) == ("api.example", 503, 1)
