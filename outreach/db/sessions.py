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


async def add_failure(tx: Tx, login: str, client: str, now: str) -> None:
    """Remember a failed sign-in."""
    await tx.execute(
        "INSERT INTO sign_in_failures (at, login, client) VALUES (?, ?, ?)", (now, login, client)
    )


async def failures_since(tx: Tx, since: str, client: str, login: str) -> tuple[int, int]:
    """Failed sign-ins since a time: (for this login from this client, from this client)."""
    row = await tx.fetch_one(
        """SELECT count(*) FILTER (WHERE lower(login) = lower(?)), count(*)
           FROM sign_in_failures WHERE client = ? AND at >= ?""",
        (login, client, since),
    )
    return (0, 0) if row is None else (int(row[0] or 0), int(row[1] or 0))
