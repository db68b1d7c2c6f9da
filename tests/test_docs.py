"""The README stays true: its settings table, its commands, and what CI runs."""

from __future__ import annotations

import re
from pathlib import Path

from outreach.config import Settings

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_readme_configuration_table_lists_every_setting() -> None:
    documented = set(re.findall(r"^\| `OUTREACH_([A-Z_]+)` \|", README, flags=re.MULTILINE))
    assert documented == {name.upper() for name in Settings.__struct_fields__}


def test_readme_defaults_match_settings() -> None:
    defaults = Settings()
    for name in Settings.__struct_fields__:
        row = re.search(rf"^\| `OUTREACH_{name.upper()}` \| `([^`]*)` \|", README, re.MULTILINE)
        value = getattr(defaults, name)
        shown = str(value).lower() if isinstance(value, bool) else str(value)
        if row:  # a default described in words (the static folder) is not compared
            assert row.group(1) == shown, name


def test_ci_runs_the_readme_test_command() -> None:
    quick_start = re.search(r"```sh\n(.*?)```", README, re.DOTALL)
    assert quick_start is not None
    commands = [line.split("#")[0].strip() for line in quick_start.group(1).splitlines()]
    assert commands == ["make run", "make test"]
    ci = (ROOT / ".ci" / "run").read_text()
    assert re.search(r"^make test$", ci, re.MULTILINE)


def test_docker_compose_names_documented_variables() -> None:
    compose = (ROOT / "docker-compose.yml").read_text()
    for variable in re.findall(r"(OUTREACH_[A-Z_]+):", compose):
        assert f"`{variable}`" in README
