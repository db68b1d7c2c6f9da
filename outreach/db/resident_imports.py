"""SQL of programme lists brought in: the import log, and undoing one import whole."""

from __future__ import annotations

from outreach.db.database import Row, Tx, for_update


async def insert(tx: Tx, *, at: str, by: str, filename: str, sha256: str, programme: str | None,
                 counts: dict[str, int], rows: int) -> int:  # fmt: skip
    value = await tx.fetch_value(
        "INSERT INTO resident_imports (at, by_actor, filename, sha256, programme, row_count,"
        " exact, probable, new, conflicting, status)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'applied') RETURNING id",
        (at, by, filename, sha256, programme, rows, counts["exact"], counts["probable"],
         counts["new"], counts["conflicting"]),
    )  # fmt: skip
    return int(value)


# who imported and who undid, by login: stored as `user:<id>` (an id stays when a login changes)
_LOGIN = "coalesce((SELECT u.login FROM users AS u WHERE 'user:' || CAST(u.id AS TEXT) = {0}), {0})"
_COLUMNS = (f"SELECT id, at, {_LOGIN.format('by_actor')} AS by_actor, filename, row_count, exact,"
            " probable, new, conflicting, status, undone_at,"
            f" {_LOGIN.format('undone_by')} AS undone_by FROM resident_imports")  # fmt: skip


async def imports(tx: Tx, limit: int = 100) -> list[Row]:
    return await tx.fetch_all(_COLUMNS + " ORDER BY id DESC LIMIT ?", (limit,))


async def one(tx: Tx, import_id: int, *, lock: bool = False) -> Row | None:
    sql = _COLUMNS + " WHERE id = ?" + (for_update(tx) if lock else "")
    return await tx.fetch_one(sql, (import_id,))


async def superseded(tx: Tx, import_id: int) -> int:
    """How many things happened since to the residents the import created (a meeting listed
    them, a stage not from it, a merge): an undo would take those away too."""
    value = await tx.fetch_value(
        "SELECT (SELECT count(*) FROM resident_sightings AS s JOIN residents AS r"
        "   ON r.id = s.resident_id WHERE r.import_id = :id)"
        " + (SELECT count(*) FROM resident_events AS e JOIN residents AS r ON r.id = e.resident_id"
        "   WHERE r.import_id = :id AND coalesce(e.import_id, 0) <> :id)"
        " + (SELECT count(*) FROM residents AS r WHERE r.import_id = :id"
        "   AND (r.merged_into IS NOT NULL OR r.erased_at IS NOT NULL"
        "   OR EXISTS (SELECT 1 FROM residents AS m WHERE m.merged_into = r.id)))",
        {"id": import_id},
    )
    return int(value)


async def undo(tx: Tx, import_id: int, at: str, by: str) -> list[int]:
    """Remove every line, resident and doubtful match the import made; the residents whose
    history lost a line (to recompute)."""
    touched = await tx.fetch_all(
        "SELECT DISTINCT e.resident_id FROM resident_events AS e JOIN residents AS r"
        " ON r.id = e.resident_id WHERE e.import_id = ? AND coalesce(r.import_id, 0) <> ?",
        (import_id, import_id),
    )
    await tx.execute("DELETE FROM resident_events WHERE import_id = ?", (import_id,))
    await tx.execute(
        "DELETE FROM resident_candidates WHERE import_id = ? OR a IN (SELECT id FROM residents"
        " WHERE import_id = ?) OR b IN (SELECT id FROM residents WHERE import_id = ?)",
        (import_id,) * 3,
    )
    await tx.execute("DELETE FROM residents WHERE import_id = ?", (import_id,))
    await tx.execute(
        "UPDATE resident_imports SET status = 'undone', undone_at = ?, undone_by = ? WHERE id = ?",
        (at, by, import_id),
    )
    return [int(r[0]) for r in touched]
