"""Accounts: argon2id passwords, team membership history, the append-only audit log."""

from __future__ import annotations

import sqlite3

import psycopg
import pytest
from argon2 import PasswordHasher

from outreach.db import accounts as sql
from outreach.db.database import connect
from outreach.domain.accounts import Actor, NewUser
from outreach.domain.errors import InvalidInput, NameTaken, NotFound
from outreach.services.accounts import check_password, create_user, list_teams, move_to_team

PASSWORD = "correct horse battery"
CLI = Actor("cli")


@pytest.fixture
async def db(database):
    opened = connect(database.url, connections=2)
    await opened.open()
    yield opened
    await opened.close()


def make_user(login: str = "aigerim", role: str = "field", team: str | None = "team-1") -> NewUser:
    return NewUser(login=login, display_name="Aigerim", role=role, password=PASSWORD, team=team)


async def test_default_three_teams_exist(db) -> None:
    assert [t.name for t in await list_teams(db)] == ["team-1", "team-2", "team-3"]


async def test_password_is_stored_only_as_argon2id(db, database) -> None:
    await create_user(db, make_user(), actor=CLI)
    stored = database.scalar("SELECT password_hash FROM users")
    assert stored.startswith("$argon2id$")
    assert PASSWORD not in stored
    assert not PasswordHasher().check_needs_rehash(stored)  # the recommended parameters


async def test_check_password_accepts_only_the_right_one(db) -> None:
    created = await create_user(db, make_user(), actor=CLI)
    assert await check_password(db, "aigerim", PASSWORD) == created
    assert await check_password(db, "AIGERIM", PASSWORD) == created  # logins ignore case
    assert await check_password(db, "aigerim", PASSWORD + "x") is None
    assert await check_password(db, "nobody", PASSWORD) is None


async def test_disabled_user_cannot_sign_in(db, database) -> None:
    await create_user(db, make_user(), actor=CLI)
    database.execute("UPDATE users SET disabled_at = 'now'")
    assert await check_password(db, "aigerim", PASSWORD) is None


async def test_team_change_keeps_membership_history(db) -> None:
    user = await create_user(db, make_user(), actor=CLI)
    moved = await move_to_team(db, "aigerim", "team-2", actor=Actor("admin"))
    assert moved.team == "team-2"
    async with db.read() as tx:
        history = await sql.memberships(tx, user.id)
    assert [(team, left is None) for team, _, left in history] == [("team-1", False),
                                                                  ("team-2", True)]  # fmt: skip
    assert [t.members for t in await list_teams(db)] == [0, 1, 0]


@pytest.mark.parametrize(("new", "error"), [
    (make_user(team=None), InvalidInput),
    (make_user(team="team-9"), NotFound),
])  # fmt: skip
async def test_bad_accounts_are_refused(db, new, error) -> None:
    with pytest.raises(error):
        await create_user(db, new, actor=CLI)


async def test_taken_login_is_refused(db) -> None:
    await create_user(db, make_user(), actor=CLI)
    with pytest.raises(NameTaken) as taken:
        await create_user(db, make_user(login="Aigerim", role="admin", team=None), actor=CLI)
    assert taken.value.details == [{"field": "login", "value": "Aigerim"}]


async def test_audit_log_records_and_refuses_changes(db, database) -> None:
    await create_user(db, make_user(), actor=CLI)
    async with db.read() as tx:
        (entry,) = await sql.audit_entries(tx)
    assert (entry.actor, entry.action, entry.outcome) == ("cli", "user.create", "ok")
    refused = (sqlite3.IntegrityError, psycopg.errors.RaiseException)
    for statement in ("UPDATE audit_log SET actor = 'x'", "DELETE FROM audit_log"):
        with pytest.raises(refused, match="append-only"):
            database.execute(statement)
    assert database.scalar("SELECT count(*) FROM audit_log") == 1
