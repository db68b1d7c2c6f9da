"""`outreach users`: accounts made on the server's own command line (the first admin)."""

from __future__ import annotations

import sys

import click

from outreach.cli.database import with_db
from outreach.cli.options import database_option, settings
from outreach.domain.errors import DomainError


@click.group()
def users() -> None:
    """Manage accounts (the first admin is created here; later ones too)."""


@users.command("create")
@click.option("--login", required=True, help="3 to 64 letters, digits, dots, dashes.")
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
    import msgspec

    from outreach.domain.accounts import Actor, NewUser
    from outreach.services.accounts import create_user

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
        raise click.UsageError(str(exc).replace("$.", "")) from exc
    try:
        user = with_db(chosen, lambda db: create_user(db, new, actor=Actor("cli")))
    except DomainError as exc:
        raise click.ClickException(exc.message) from exc
    click.echo(f"created {user.role} {user.login}" + (f" in {user.team}" if user.team else ""))
