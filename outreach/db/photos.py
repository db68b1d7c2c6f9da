"""SQL of photos: finished photos by SHA-256 (stored once), the teams each belongs to, and
each team's uploads in progress."""

from __future__ import annotations

import msgspec

from outreach.db.database import Tx


class Upload(msgspec.Struct, frozen=True):
    """An upload in progress: the bytes so far and the size promised."""

    team_id: int
    total_bytes: int
    data: bytes


async def has(tx: Tx, sha256: str, team_id: int) -> bool:
    """Whether the team has sent this photo whole."""
    found = await tx.fetch_value(
        "SELECT 1 FROM photo_teams WHERE sha256 = ? AND team_id = ?", (sha256, team_id)
    )
    return found is not None


async def upload(tx: Tx, sha256: str, team_id: int) -> Upload | None:
    """The team's upload in progress for a hash."""
    row = await tx.fetch_one(
        "SELECT team_id, total_bytes, data FROM photo_uploads WHERE team_id = ? AND sha256 = ?",
        (team_id, sha256),
    )
    return None if row is None else Upload(int(row[0]), int(row[1]), bytes(row[2]))


async def received(tx: Tx, sha256: str, team_id: int) -> tuple[int, int] | None:
    """(bytes received, bytes promised) of the team's upload in progress."""
    row = await tx.fetch_one(
        "SELECT length(data), total_bytes FROM photo_uploads WHERE team_id = ? AND sha256 = ?",
        (team_id, sha256),
    )
    return None if row is None else (int(row[0]), int(row[1]))


async def unfinished(tx: Tx, team_id: int) -> int:
    """How many photos the team has half sent."""
    return int(await tx.fetch_value(
        "SELECT count(*) FROM photo_uploads WHERE team_id = ?", (team_id,)) or 0)  # fmt: skip


async def forget_uploads_before(tx: Tx, before: str) -> None:
    """Drop half-sent photos untouched since `before` (their phones start them again)."""
    await tx.execute("DELETE FROM photo_uploads WHERE updated_at < ?", (before,))


async def save_upload(
    tx: Tx, sha256: str, team_id: int, device_id: int, total: int, data: bytes, now: str
) -> None:
    """Keep the bytes received so far (the whole of them: SQLite's || would make text)."""
    await tx.execute(
        "INSERT INTO photo_uploads (sha256, team_id, device_id, total_bytes, data, updated_at)"
        " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (team_id, sha256) DO UPDATE SET"
        " device_id = excluded.device_id,"
        " total_bytes = excluded.total_bytes, data = excluded.data,"
        " updated_at = excluded.updated_at",
        (sha256, team_id, device_id, total, data, now),
    )


async def finish(
    tx: Tx, sha256: str, media_type: str, data: bytes, team_id: int, device_id: int, now: str
) -> None:
    """Keep a verified photo (its bytes once, whichever team sent them first), make it the
    team's, and drop the team's upload."""
    await tx.execute(
        "INSERT INTO photos (sha256, team_id, media_type, size_bytes, data, device_id,"
        " created_at) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (sha256) DO NOTHING",
        (sha256, team_id, media_type, len(data), data, device_id, now),
    )
    await tx.execute(
        "INSERT INTO photo_teams (sha256, team_id, device_id, created_at) VALUES (?, ?, ?, ?)"
        " ON CONFLICT (sha256, team_id) DO NOTHING",
        (sha256, team_id, device_id, now),
    )
    await discard(tx, sha256, team_id)


async def discard(tx: Tx, sha256: str, team_id: int) -> None:
    """Drop the team's upload in progress."""
    await tx.execute(
        "DELETE FROM photo_uploads WHERE team_id = ? AND sha256 = ?", (team_id, sha256)
    )


async def photo(tx: Tx, sha256: str, team_id: int | None) -> tuple[str, bytes] | None:
    """(media type, bytes) of a stored photo: one of the team's, or any (`team_id` None)."""
    if team_id is None:
        row = await tx.fetch_one("SELECT media_type, data FROM photos WHERE sha256 = ?", (sha256,))
    else:
        row = await tx.fetch_one(
            "SELECT p.media_type, p.data FROM photos AS p JOIN photo_teams AS t"
            " ON t.sha256 = p.sha256 WHERE p.sha256 = ? AND t.team_id = ?",
            (sha256, team_id),
        )
    return None if row is None else (str(row[0]), bytes(row[1]))
