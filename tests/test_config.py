"""Settings from OUTREACH_* variables."""

from __future__ import annotations

import pytest

from outreach.config import Settings, SettingsError


def test_settings_read_variables_and_convert_types() -> None:
    settings = Settings.from_env({"OUTREACH_PORT": "9000", "OUTREACH_LOAD_GAZETTEER": "false"})
    assert (settings.port, settings.load_gazetteer) == (9000, False)


def test_overrides_win_over_environment() -> None:
    settings = Settings.from_env({"OUTREACH_PORT": "9000"}, port=9100)
    assert settings.port == 9100


@pytest.mark.parametrize(("variable", "value"), [
    ("OUTREACH_PORT", "eighty"), ("OUTREACH_PORT", "70000"), ("OUTREACH_LOG_LEVEL", "loud"),
    ("OUTREACH_DATABASE_URL", "mysql://x"), ("OUTREACH_READ_CONNECTIONS", "0"),
])  # fmt: skip
def test_bad_setting_names_its_variable(variable: str, value: str) -> None:
    with pytest.raises(SettingsError, match=variable):
        Settings.from_env({variable: value})


def test_environment_is_read_only_when_asked(monkeypatch) -> None:
    monkeypatch.setenv("OUTREACH_PORT", "9300")
    assert Settings.from_env().port == 9300


def test_database_url_names_the_engine_and_hides_the_password_in_errors() -> None:
    assert Settings.from_env({}).engine == "sqlite"
    url = "postgresql://outreach:s3cret@db.example:5432/outreach"
    assert Settings.from_env({"OUTREACH_DATABASE_URL": url}).engine == "postgresql"
    with pytest.raises(SettingsError) as refused:
        Settings.from_env({"OUTREACH_DATABASE_URL": "mysql://outreach:s3cret@db/outreach"})
    assert "s3cret" not in str(refused.value) and "***" in str(refused.value)
