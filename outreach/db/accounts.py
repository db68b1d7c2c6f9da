"""SQL of accounts: users, teams, memberships and the audit log."""

from __future__ import annotations

from outreach.db.database import LIKE_ESCAPE, Row, Tx, for_update, like_literal
from outreach.domain.accounts import Actor, AuditEntry, AuditFilter, Team, User

_USER = """SELECT u.id, u.login, u.display_name, u.role, u.disabled_at, u.created_at,
                  t.name AS team
           FROM users AS u
           LEFT JOIN team_memberships AS m ON m.user_id = u.id AND m.left_at IS NULL
           LEFT JOIN teams AS t ON t.id = m.team_id"""


def _user(row: Row) -> User:
    return User(id=row["id"], login=row["login"], display_name=row["display_name"],
                role=row["role"], team=row["team"], disabled=row["disabled_at"] is not None,
                created_at=row["created_at"])  # fmt: skip


async def insert_user(tx: Tx, login: str, display_name: str, role: str, password_hash: str,
                      now: str) -> int:  # fmt: skip
    """Add a user; return the id."""
    return int(
        await tx.fetch_value(
            "INSERT INTO users (login, display_name, role, password_hash, created_at)"
            " VALUES (?, ?, ?, ?, ?) RETURNING id",
            (login, display_name, role, password_hash, now),
        )
    )


async def user_by_login(tx: Tx, login: str) -> User | None:
    """A user by login (case-insensitive)."""
    row = await tx.fetch_one(_USER + " WHERE lower(u.login) = lower(?)", (login,))
    return None if row is None else _user(row)


async def lock_user(tx: Tx, login: str) -> int | None:
    """The id of a login, its row locked until the transaction ends (on PostgreSQL), so that
    concurrent changes to one user run one after the other."""
    found = await tx.fetch_value(
        "SELECT id FROM users WHERE lower(login) = lower(?)" + for_update(tx), (login,)
    )
    return None if found is None else int(found)


async def lock_active_admins(tx: Tx) -> list[int]:
    """The ids of the enabled admins, their rows locked until the transaction ends (on
    PostgreSQL), so that two admins taking each other's role away run one after the other."""
    rows = await tx.fetch_all(
        "SELECT id FROM users WHERE role = 'admin' AND disabled_at IS NULL ORDER BY id"
        + for_update(tx)
    )
    return [int(r[0]) for r in rows]


async def user_by_id(tx: Tx, user_id: int) -> User | None:
    """A user by id."""
    row = await tx.fetch_one(_USER + " WHERE u.id = ?", (user_id,))
    return None if row is None else _user(row)


async def list_users(tx: Tx) -> list[User]:
    """Every user, by login."""
    return [_user(row) for row in await tx.fetch_all(_USER + " ORDER BY u.login")]


async def password_hash(tx: Tx, login: str) -> tuple[int, str | None, bool] | None:
    """(user id, password hash, disabled) of a login, for signing in."""
    row = await tx.fetch_one(
        "SELECT id, password_hash, disabled_at FROM users WHERE lower(login) = lower(?)", (login,)
    )
    return None if row is None else (row[0], row[1], row[2] is not None)


async def list_teams(tx: Tx) -> list[Team]:
    """Every team with its current member count."""
    rows = await tx.fetch_all(
        """SELECT t.id, t.name,
                  (SELECT count(*) FROM team_memberships m
                   WHERE m.team_id = t.id AND m.left_at IS NULL) AS members
           FROM teams AS t ORDER BY t.id"""
    )
    return [Team(id=row[0], name=row[1], members=row[2]) for row in rows]


async def team_id(tx: Tx, name: str) -> int | None:
    """A team's id by name."""
    found = await tx.fetch_value("SELECT id FROM teams WHERE name = ?", (name,))
    return None if found is None else int(found)


async def team_named_alike(tx: Tx, name: str) -> str | None:
    """The name of a team named `name` but for letter case, if there is one."""
    found = await tx.fetch_value("SELECT name FROM teams WHERE lower(name) = lower(?)", (name,))
    return None if found is None else str(found)


async def set_team(tx: Tx, user_id: int, team: int | None, now: str) -> None:
    """End the user's current membership and start the new one (history is kept)."""
    await tx.execute(
        "UPDATE team_memberships SET left_at = ? WHERE user_id = ? AND left_at IS NULL",
        (now, user_id),
    )
    if team is not None:
        await tx.execute(
            "INSERT INTO team_memberships (user_id, team_id, joined_at) VALUES (?, ?, ?)",
            (user_id, team, now),
        )


async def memberships(tx: Tx, user_id: int) -> list[tuple[str, str, str | None]]:
    """(team, joined, left) of every membership of a user, oldest first."""
    rows = await tx.fetch_all(
        """SELECT t.name, m.joined_at, m.left_at FROM team_memberships AS m
           JOIN teams AS t ON t.id = m.team_id WHERE m.user_id = ? ORDER BY m.id""",
        (user_id,),
    )
    return [(row[0], row[1], row[2]) for row in rows]


async def audit(tx: Tx, *, at: str, actor: Actor, action: str, object_id: str | None = None,
                outcome: str = "ok") -> None:  # fmt: skip
    """Append a line to the audit log."""
    await tx.execute(
        "INSERT INTO audit_log (at, actor, action, object, client, outcome)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        (at, actor.login, action, object_id, actor.client, outcome),
    )


async def audit_entries(
    tx: Tx, limit: int = 100, where: AuditFilter | None = None
) -> list[AuditEntry]:
    """The newest audit lines first, of those `where` lets through (all when None)."""
    where = where or AuditFilter()
    clauses: list[str] = ["1 = 1"]
    params: list[str | int] = []
    if where.actor is not None:
        clauses.append("actor = ?")
        params.append(where.actor)
    if where.action:
        clauses.append("action LIKE ?" + LIKE_ESCAPE)
        params.append(f"%{like_literal(where.action)}%")
    if where.since is not None:
        clauses.append("at >= ?")
        params.append(where.since)
    if where.before is not None:
        clauses.append("id < ?")
        params.append(where.before)
    rows = await tx.fetch_all(
        f"SELECT * FROM audit_log WHERE {' AND '.join(clauses)} ORDER BY id DESC LIMIT ?",
        (*params, limit),
    )
    return [AuditEntry(id=r["id"], at=r["at"], actor=r["actor"], action=r["action"],
                       object=r["object"], client=r["client"], outcome=r["outcome"])
            for r in rows]  # fmt: skip


async def insert_team(tx: Tx, name: str, now: str) -> int:
    """Add a team; return its id."""
    sql = "INSERT INTO teams (name, created_at) VALUES (?, ?) RETURNING id"
    return int(await tx.fetch_value(sql, (name, now)))


async def update_user(tx: Tx, user_id: int, role: str | None, disabled_at: str | None,
                      change_disabled: bool) -> None:  # fmt: skip
    """Change a user's role and/or disabled state."""
    if role is not None:
        await tx.execute("UPDATE users SET role = ? WHERE id = ?", (role, user_id))
    if change_disabled:
        await tx.execute("UPDATE users SET disabled_at = ? WHERE id = ?", (disabled_at, user_id))
