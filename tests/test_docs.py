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


def test_relative_links_of_the_readme_and_docs_name_files_that_exist() -> None:
    pages = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
    broken = [
        f"{page.name}: {link}"
        for page in pages
        for link in re.findall(r"\]\(([^)#\s]+)(?:#[^)]*)?\)", page.read_text(encoding="utf-8"))
        if "://" not in link and not (page.parent / link).exists()
    ]
    assert broken == []


def test_readme_commands_table_names_only_options_the_commands_have() -> None:
    import click

    from outreach.cli import main

    rows = re.findall(r"^\| `outreach ([a-z-]+(?: create)?)([^|]*(?:\\\|[^|]*)*)\|", README, re.M)
    assert rows
    for name, usage in rows:
        command: click.Command = main
        for word in name.split():
            assert isinstance(command, click.Group)
            found = command.get_command(click.Context(command), word)
            assert found is not None, name
            command = found
        known = {option for param in command.params for option in param.opts}
        named = set(re.findall(r"(--[a-z-]+)", usage)) - {"--help"}
        assert named <= known, (name, named - known)
