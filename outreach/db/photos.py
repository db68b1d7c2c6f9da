"""SQL of photos: finished photos by SHA-256, and uploads in progress."""

from __future__ import annotations

import msgspec

from outreach.db.database import Tx


class Upload(msgspec.Struct, frozen=True):
    """An upload in progress: the bytes so far and the size promised."""

    team_id: int
    total_bytes: int
    data: bytes


async def exists(tx: Tx, sha256: str) -> bool:
    """Whether the photo is stored whole."""
    return await tx.fetch_value("SELECT 1 FROM photos WHERE sha256 = ?", (sha256,)) is not None


async def upload(tx: Tx, sha256: str) -> Upload | None:
    """The upload in progress for a hash."""
    row = await tx.fetch_one(
        "SELECT team_id, total_bytes, data FROM photo_uploads WHERE sha256 = ?", (sha256,)
    )
    return None if row is None else Upload(int(row[0]), int(row[1]), bytes(row[2]))


async def received(tx: Tx, sha256: str) -> tuple[int, int] | None:
    """(bytes received, bytes promised) of an upload in progress."""
    row = await tx.fetch_one(
        "SELECT length(data), total_bytes FROM photo_uploads WHERE sha256 = ?", (sha256,)
    )
    return None if row is None else (int(row[0]), int(row[1]))


async def save_upload(
    tx: Tx, sha256: str, team_id: int, device_id: int, total: int, data: bytes, now: str
) -> None:
    """Keep the bytes received so far (the whole of them: SQLite's || would make text)."""
    await tx.execute(
        "INSERT INTO photo_uploads (sha256, team_id, device_id, total_bytes, data, updated_at)"
        " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (sha256) DO UPDATE SET"
        " team_id = excluded.team_id, device_id = excluded.device_id,"
        " total_bytes = excluded.total_bytes, data = excluded.data,"
        " updated_at = excluded.updated_at",
        (sha256, team_id, device_id, total, data, now),
    )


async def finish(
    tx: Tx, sha256: str, media_type: str, data: bytes, team_id: int, device_id: int, now: str
) -> None:
    """Keep a verified photo and drop its upload."""
    await tx.execute(
        "INSERT INTO photos (sha256, team_id, media_type, size_bytes, data, device_id,"
        " created_at) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (sha256) DO NOTHING",
        (sha256, team_id, media_type, len(data), data, device_id, now),
    )
    await discard(tx, sha256)


async def discard(tx: Tx, sha256: str) -> None:
    """Drop an upload in progress."""
    await tx.execute("DELETE FROM photo_uploads WHERE sha256 = ?", (sha256,))


async def photo(tx: Tx, sha256: str) -> tuple[int, str, bytes] | None:
    """(team id, media type, bytes) of a stored photo."""
    row = await tx.fetch_one(
        "SELECT team_id, media_type, data FROM photos WHERE sha256 = ?", (sha256,)
    )
    return None if row is None else (int(row[0]), str(row[1]), bytes(row[2]))
