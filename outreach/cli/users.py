"""`outreach users`: accounts made on the server's own command line (the first admin)."""

from __future__ import annotations

import sys
import typing

import click
import msgspec

from outreach.cli.database import with_db
from outreach.cli.options import database_option, settings
from outreach.db.database import Database
from outreach.domain.accounts import Actor, NewUser, Password, User
from outreach.domain.errors import DomainError, NotFound

LOGIN_WORDS = (
    "3 to 64 characters: Latin letters (A-Z, a-z), digits, dots, dashes and underscores, no spaces"
)


@click.group()
def users() -> None:
    """Manage accounts (the first admin is created here; later ones too)."""


@users.command("create")
@click.option("--login", required=True, help=LOGIN_WORDS[0].upper() + LOGIN_WORDS[1:] + ".")
@click.option("--name", "display_name", help="The name shown in the app (default: the login).")
@click.option(
    "--role",
    type=click.Choice(["field", "coordinator", "leadership", "admin"]),
    required=True,
    help="What the account may do.",
)
@click.option("--team", help="The team of a field user, e.g. team-1.")
@click.option(
    "--password-stdin",
    is_flag=True,
    help="Read the password from standard input instead of asking for it.",
)
@database_option
def users_create(
    login: str,
    display_name: str | None,
    role: str,
    team: str | None,
    password_stdin: bool,
    database_url: str | None,
) -> None:
    """Create an account; asks for its password (12 characters at least) twice."""
    if password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    chosen = settings(database_url=database_url)
    try:
        new = msgspec.convert(
            {
                "login": login,
                "display_name": display_name or login,
                "role": role,
                "password": password,
                "team": team,
            },
            NewUser,
        )
    except msgspec.ValidationError as exc:
        raise click.UsageError(refusal(exc, login)) from exc
    try:
        user = with_db(chosen, lambda db: _create(db, new))
    except DomainError as exc:
        raise click.ClickException(exc.message) from exc
    click.echo(f"created {user.role} {user.login}" + (f" in {user.team}" if user.team else ""))


def refusal(exc: msgspec.ValidationError, login: str) -> str:
    """A value NewUser refuses, said as what to give instead."""
    message, _, where = str(exc).rpartition(" - at `$.")
    field = where.rstrip("`")
    if field == "password":
        limits = typing.get_args(Password)[1]
        return (
            f"the password needs at least {limits.min_length} characters "
            f"(and at most {limits.max_length})"
        )
    if field == "login":
        return f"--login {login!r}: a login is {LOGIN_WORDS}"
    if field == "display_name":
        return "--name: give 1 to 200 characters"
    if field == "team":
        return "--team: give a team's name, e.g. team-1"
    return f"{field}: {message}" if message else str(exc)


async def _create(db: Database, new: NewUser) -> User:
    """Create the account; a team that does not exist is refused naming those that do."""
    from outreach.services.accounts import create_user, list_teams

    try:
        return await create_user(db, new, actor=Actor("cli"))
    except NotFound as exc:
        names = [team.name for team in await list_teams(db)]
        known = f"the teams are {', '.join(names)}" if names else "there are no teams yet"
        raise NotFound(
            f"{exc.message}: {known}; add a team in the console (Teams) or with "
            "POST /api/v1/teams, or give one of these to --team"
        ) from None
