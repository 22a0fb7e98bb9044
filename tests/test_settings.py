from pathlib import Path

import pytest

from agent.errors import ConfigError
from agent.settings import Mode, Policy, Settings


def test_precedence_flags_over_env_over_file_over_defaults(tmp_path: Path) -> None:
    config = tmp_path / "khabar.toml"
    config.write_text('model = "from-file"\nbase_url = "http://file:1/v1"\nmax_reasks = 5\n')
    env = {"KHABAR_MODEL": "from-env", "KHABAR_CONFIG": str(config)}
    settings = Settings.load(env=env, mode="json_schema")
    assert settings.model == "from-env"
    assert settings.base_url == "http://file:1/v1"
    assert settings.max_reasks == 5
    assert settings.mode is Mode.JSON_SCHEMA
    assert settings.on_ungrounded is Policy.FLAG
    assert settings.sources["model"] == "env KHABAR_MODEL"
    assert settings.sources["mode"] == "argument"
    assert settings.sources["base_url"].startswith("file ")
    assert Settings.load(env=env, model="from-flag").model == "from-flag"


def test_khabar_variables_win_over_openai_ones() -> None:
    env = {"OPENAI_BASE_URL": "http://openai-var/v1", "KHABAR_BASE_URL": "http://khabar-var/v1"}
    assert Settings.load(env=env).base_url == "http://khabar-var/v1"
    assert Settings.load(env={"OPENAI_API_KEY": "sk-x"}).api_key == "sk-x"


def test_public_view_never_shows_the_key() -> None:
    settings = Settings(api_key="sk-secret-123", base_url="http://user:pw@host:8000/v1?key=abc")
    shown = settings.public()
    assert shown["api_key"] == "set"
    assert "sk-secret-123" not in repr(settings)
    assert "pw" not in shown["base_url"] and "abc" not in shown["base_url"]
    assert shown["base_url"] == "http://host:8000/v1"


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"KHABAR_MODE": "xml"}, "invalid mode 'xml' (one of tools, json_schema, md_json, auto)"),
        ({"KHABAR_TIMEOUT": "soon"}, "invalid timeout 'soon'"),
        ({"KHABAR_MAX_REASKS": "-1"}, "max_reasks must be 0 or more"),
    ],
)
def test_invalid_values_are_config_errors(env: dict[str, str], message: str) -> None:
    with pytest.raises(ConfigError, match=message.replace("(", r"\(").replace(")", r"\)")):
        Settings.load(env=env)


def test_config_file_errors(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text("model = \n")
    with pytest.raises(ConfigError, match="cannot read config file"):
        Settings.load(env={}, config_path=bad)
    unknown = tmp_path / "unknown.toml"
    unknown.write_text('modle = "x"\n')
    with pytest.raises(ConfigError, match="unknown key"):
        Settings.load(env={}, config_path=unknown)
    with pytest.raises(ConfigError, match="does not exist"):
        Settings.load(env={}, config_path=tmp_path / "missing.toml")


def test_endpoint_required_with_how_to() -> None:
    with pytest.raises(ConfigError, match="no endpoint configured: set KHABAR_BASE_URL"):
        Settings.load(env={}).require_endpoint()
    with pytest.raises(ConfigError, match="no model configured"):
        Settings.load(env={"KHABAR_BASE_URL": "http://localhost:8000/v1"}).require_endpoint()


def test_a_bad_value_is_blamed_on_the_argument_in_a_script_and_on_the_flag_at_the_terminal() -> (
    None
):
    with pytest.raises(ConfigError) as script:
        Settings.load(env={}, timeout=-1)
    assert str(script.value).startswith("the timeout argument: ")
    assert "--timeout" not in str(script.value)
    with pytest.raises(ConfigError) as terminal:
        Settings.load(env={}).with_values("flag", timeout=-1)
    assert str(terminal.value).startswith("--timeout: ")
    flagged = Settings.load(env={}).with_values("flag", model="m")
    assert flagged.sources["model"] == "flag"
