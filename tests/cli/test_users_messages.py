"""`outreach users create` refuses bad input with what to do instead, in words: never a
schema's wording (`Expected str of length >= 12`) or a raw regular expression."""

from __future__ import annotations

import pytest
from click.testing import CliRunner, Result

from outreach.cli import main


def create(database_url: str, *args: str, password: str = "a long enough password") -> Result:
    return CliRunner().invoke(
        main,
        ["users", "create", "--password-stdin", "--database-url", database_url, *args],
        input=password + "\n",
    )


def test_an_unknown_team_names_the_teams_there_are_and_how_to_add_one(empty_database) -> None:
    result = create(empty_database.url, "--login", "aigul", "--role", "field", "--team", "team-9")
    assert result.exit_code == 1
    teams = [row[0] for row in empty_database.rows("SELECT name FROM teams ORDER BY name")]
    assert teams, "the migrations create the first teams"
    assert "no team team-9" in result.stderr
    assert ", ".join(teams) in result.stderr
    assert "Teams" in result.stderr and "POST /api/v1/teams" in result.stderr
    assert empty_database.scalar("SELECT count(*) FROM users WHERE login = 'aigul'") == 0


def test_a_short_password_says_how_long_it_must_be(tmp_path) -> None:
    result = create(f"sqlite:///{tmp_path / 'o.db'}", "--login", "admin", "--role", "admin",
                    password="short")  # fmt: skip
    assert result.exit_code == 2
    assert "the password needs at least 12 characters" in result.stderr
    assert "Expected" not in result.stderr


@pytest.mark.parametrize("login", ["ai", "айгүл", "a b", "x" * 65])
def test_a_bad_login_says_which_characters_are_allowed(tmp_path, login: str) -> None:
    result = create(f"sqlite:///{tmp_path / 'o.db'}", "--login", login, "--role", "admin")
    assert result.exit_code == 2
    assert f"--login {login!r}" in result.stderr
    assert "3 to 64" in result.stderr and "Latin letters" in result.stderr
    assert "regex" not in result.stderr and "^[" not in result.stderr
