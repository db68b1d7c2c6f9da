"""Accounts: creating users, checking passwords (argon2id, off the event loop), teams."""

from __future__ import annotations

import asyncio
import functools

import msgspec
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from outreach.db import accounts as sql
from outreach.db import devices as devices_sql
from outreach.db import sessions as sessions_sql
from outreach.db.database import Database, Tx, UniqueViolation
from outreach.domain.accounts import (
    Actor,
    AuditEntry,
    AuditFilter,
    NewUser,
    Role,
    Team,
    User,
    UserChange,
)
from outreach.domain.errors import InvalidInput, LastAdmin, NameTaken, NotFound
from outreach.services.clock import now_iso

HASHER = PasswordHasher()  # argon2id with the library's current recommended parameters


@functools.cache
def _dummy_hash() -> str:
    """Checked when the login is unknown, so a wrong login takes as long as a wrong password;
    made on first use (made on import, it added 0.1 s to every process's start)."""
    return HASHER.hash("not a password of anyone's")


async def hash_password(password: str) -> str:
    """An argon2id hash, computed in a worker thread."""
    return await asyncio.to_thread(HASHER.hash, password)


def _matches(password_hash: str | None, password: str) -> bool:
    try:
        if password_hash is None:
            HASHER.verify(_dummy_hash(), password)
            return False
        return HASHER.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


async def create_user(db: Database, new: NewUser, *, actor: Actor) -> User:
    """Create an account (and its team membership); audited, the password never stored."""
    if new.role == "field" and new.team is None:
        details = [{"field": "team", "message": "required for field users"}]
        raise InvalidInput("a field user belongs to a team", details=details)
    if new.role != "field" and new.team is not None:
        raise _staff_team(new.role, new.team)
    password_hash = await hash_password(new.password)
    now = now_iso()
    async with db.write() as tx:
        team = await sql.team_id(tx, new.team) if new.team else None
        if new.team and team is None:
            raise NotFound(f"no team {new.team}")
        taken = NameTaken(f"the login {new.login!r} is taken",
                          details=[{"field": "login", "value": new.login}])  # fmt: skip
        if await sql.user_by_login(tx, new.login) is not None:
            raise taken
        try:  # another process may insert the same login between the check and here
            user_id = await sql.insert_user(
                tx, new.login, new.display_name, new.role, password_hash, now
            )
        except UniqueViolation as exc:
            raise taken from exc
        await sql.set_team(tx, user_id, team, now)
        await sql.audit(tx, at=now, actor=actor, action="user.create", object_id=f"user:{user_id}")
        user = await sql.user_by_id(tx, user_id)
    assert user is not None
    return user


async def check_password(db: Database, login: str, password: str) -> User | None:
    """The account if the login and password match and it is enabled, else None; takes as
    long whether or not the login exists."""
    async with db.read() as tx:
        found = await sql.password_hash(tx, login)
    stored = found[1] if found and found[1] else None
    ok = await asyncio.to_thread(_matches, stored, password)
    if not (ok and found and found[1] and not found[2]):
        return None
    async with db.read() as tx:
        return await sql.user_by_id(tx, found[0])


async def move_to_team(db: Database, login: str, team: str | None, *, actor: Actor) -> User:
    """Move a user to another team (or none); the previous membership is kept as history.
    The user's devices and sessions end: a phone enrols again for its new team."""
    now = now_iso()
    async with db.write() as tx:
        user = await _locked_user(tx, login)
        # only field users belong to teams (moving one ends their sessions: a coordinator
        # could sign an admin out again and again); one left in a team may be taken out
        if user.role != "field" and team is not None:
            raise _staff_team(user.role, team)
        team_id = await sql.team_id(tx, team) if team else None
        if team and team_id is None:
            raise NotFound(f"no team {team}")
        await sql.set_team(tx, user.id, team_id, now)
        await sql.audit(tx, at=now, actor=actor, action="user.team", object_id=f"user:{user.id}")
        if team != user.team:
            await _end_access(tx, user, actor, now)
        moved = await sql.user_by_id(tx, user.id)
    assert moved is not None
    return moved


def _staff_team(role: str, team: str) -> InvalidInput:
    return InvalidInput(f"only field users belong to a team, not a {role}",
                        details=[{"field": "team", "value": team,
                                  "message": "for field users only"}])  # fmt: skip


async def list_teams(db: Database) -> list[Team]:
    """Every team."""
    async with db.read() as tx:
        return await sql.list_teams(tx)


async def list_users(db: Database, viewer: Role, team: str | None = None) -> list[User]:
    """Accounts as `viewer` may see them: every account for admins, the field users (whom
    they enrol phones for and move between teams) for coordinators; of one team if given."""
    async with db.read() as tx:
        users = await sql.list_users(tx)
    return [u for u in users if (viewer == "admin" or u.role == "field")
            and (team is None or u.team == team)]  # fmt: skip


async def audit_log(db: Database, limit: int, where: AuditFilter | None = None) -> list[AuditEntry]:
    """The newest audit lines of those `where` lets through."""
    async with db.read() as tx:
        return await sql.audit_entries(tx, limit, where)


async def create_team(db: Database, name: str, *, actor: Actor) -> Team:
    """Add a team (audited)."""
    now = now_iso()
    async with db.write() as tx:
        taken = NameTaken(f"there is already a team {name!r} (letter case aside)",
                          details=[{"field": "team_name", "value": name}])  # fmt: skip
        if await sql.team_named_alike(tx, name) is not None:  # TEAM-1 beside team-1: one name
            raise taken
        try:  # another process may insert the same name between the check and here
            team_id = await sql.insert_team(tx, name, now)
        except UniqueViolation as exc:
            raise taken from exc
        await sql.audit(tx, at=now, actor=actor, action="team.create", object_id=f"team:{team_id}")
    return Team(id=team_id, name=name, members=0)


async def change_user(db: Database, login: str, change: UserChange, *, actor: Actor) -> User:
    """Change an account's role or disabled state (audited: `user.role`, `user.disable`,
    `user.enable`). A role change or disabling ends the user's sessions and devices for good
    (re-enabling does not bring them back): they sign in or enrol again."""
    now = now_iso()
    async with db.write() as tx:
        role = None if change.role is msgspec.UNSET else change.role
        disabled = None if change.disabled is msgspec.UNSET else change.disabled
        # a change that may take an admin away locks the admins first (before the user, as
        # every such change does): two admins disabling each other run one after the other
        leaves = (role is not None and role != "admin") or bool(disabled)
        admins = await sql.lock_active_admins(tx) if leaves else []
        user = await _locked_user(tx, login)
        if leaves and admins == [user.id]:
            raise LastAdmin(f"{user.login} is the last enabled admin: make another admin first",
                           details=[{"field": "role" if role is not None else "disabled",
                                     "message": "the last enabled admin"}])  # fmt: skip
        await sql.update_user(tx, user.id, role, now if disabled else None, disabled is not None)
        if role not in (None, "field") and user.team is not None:
            await sql.set_team(tx, user.id, None, now)  # only field users belong to teams
        target = f"user:{user.id}"
        if role is not None and role != user.role:
            await sql.audit(tx, at=now, actor=actor, action="user.role", object_id=target)
        if disabled is not None and disabled != user.disabled:
            action = "user.disable" if disabled else "user.enable"
            await sql.audit(tx, at=now, actor=actor, action=action, object_id=target)
        if (role is not None and role != user.role) or disabled:
            await _end_access(tx, user, actor, now)
        changed = await sql.user_by_id(tx, user.id)
    assert changed is not None
    return changed


async def _locked_user(tx: Tx, login: str) -> User:
    """A user, locked against concurrent changes until the transaction ends."""
    user_id = await sql.lock_user(tx, login)
    user = None if user_id is None else await sql.user_by_id(tx, user_id)
    if user is None:
        raise NotFound(f"no user {login}")
    return user


async def _end_access(tx: Tx, user: User, actor: Actor, now: str) -> None:
    """Revoke the user's devices and end their web sessions (audited when there were any)."""
    devices = await devices_sql.revoke_all_of(tx, user.id, now)
    sessions = await sessions_sql.end_all_of(tx, user.id, now)
    if devices or sessions:
        await sql.audit(tx, at=now, actor=actor, action="user.signed_out",
                        object_id=f"user:{user.id}")  # fmt: skip
