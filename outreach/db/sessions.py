"""SQL of web sessions and failed sign-ins."""

from __future__ import annotations

from outreach.db.database import Tx


async def insert(tx: Tx, token_sha256: str, csrf: str, user_id: int, now: str) -> None:
    """Start a session."""
    await tx.execute(
        "INSERT INTO sessions (token_sha256, csrf_token, user_id, created_at, last_seen_at)"
        " VALUES (?, ?, ?, ?, ?)",
        (token_sha256, csrf, user_id, now, now),
    )


async def find(tx: Tx, token_sha256: str) -> tuple[int, int, str, str, str] | None:
    """(session id, user id, csrf token, created, last seen) of an open session."""
    row = await tx.fetch_one(
        "SELECT id, user_id, csrf_token, created_at, last_seen_at FROM sessions"
        " WHERE token_sha256 = ? AND ended_at IS NULL",
        (token_sha256,),
    )
    return None if row is None else (row[0], row[1], row[2], row[3], row[4])


async def touch(tx: Tx, session_id: int, now: str) -> None:
    """Slide a session's idle expiry."""
    await tx.execute("UPDATE sessions SET last_seen_at = ? WHERE id = ?", (now, session_id))


async def end(tx: Tx, session_id: int, now: str) -> None:
    """End a session."""
    await tx.execute("UPDATE sessions SET ended_at = ? WHERE id = ?", (now, session_id))


async def end_all_of(tx: Tx, user_id: int, now: str) -> int:
    """End every open session of a user; return how many."""
    return await tx.execute(
        "UPDATE sessions SET ended_at = ? WHERE user_id = ? AND ended_at IS NULL", (now, user_id)
    )


async def add_failure(tx: Tx, login: str, client: str, now: str) -> int:
    """Remember a failed sign-in (or one being checked); return its id."""
    return int(
        await tx.fetch_value(
            "INSERT INTO sign_in_failures (at, login, client) VALUES (?, ?, ?) RETURNING id",
            (now, login, client),
        )
    )


async def forget_failure(tx: Tx, failure_id: int) -> None:
    """Forget an attempt that turned out right."""
    await tx.execute("DELETE FROM sign_in_failures WHERE id = ?", (failure_id,))


async def lock_client(tx: Tx, client: str) -> None:
    """Serialise sign-in attempts from one client until the transaction ends: PostgreSQL's
    transaction-level advisory lock across processes; SQLite's single writer already does."""
    if tx.dialect == "postgresql":
        await tx.fetch_value("SELECT pg_advisory_xact_lock(hashtext(?))", ("sign-in:" + client,))


async def failures_since(tx: Tx, since: str, client: str, login: str) -> tuple[int, int]:
    """Failed sign-ins since a time: (for this login from this client, from this client)."""
    row = await tx.fetch_one(
        """SELECT count(*) FILTER (WHERE lower(login) = lower(?)), count(*)
           FROM sign_in_failures WHERE client = ? AND at >= ?""",
        (login, client, since),
    )
    return (0, 0) if row is None else (int(row[0] or 0), int(row[1] or 0))
