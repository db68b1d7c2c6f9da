"""SQL of changes a coordinator makes to residents: merges, splits, erasure; and the phone's
follow-up list."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from outreach.db.database import Tx
from outreach.db.residents import day
from outreach.domain.residents import FollowupItem


async def merge(tx: Tx, into: int, other: int) -> None:
    """`other` and everything that is theirs (meetings, history) become `into`'s."""
    await tx.execute("UPDATE residents SET merged_into = ? WHERE id = ?", (into, other))
    for table in ("resident_sightings", "resident_events"):
        await tx.execute(f"UPDATE {table} SET resident_id = ? WHERE resident_id = ?", (into, other))


async def subtree(tx: Tx, root: int) -> list[int]:
    """A resident and every resident merged into them, at any depth."""
    found, frontier = [root], [root]
    while frontier:
        marks = ", ".join("?" * len(frontier))
        rows = await tx.fetch_all(
            f"SELECT id FROM residents WHERE merged_into IN ({marks})", list(frontier)
        )
        frontier = [int(r[0]) for r in rows]
        found += frontier
    return found


async def split(tx: Tx, whole: int, part: int) -> None:
    """`part` (merged into `whole`) back out, with every meeting and line that was first
    recorded on it or on residents merged into it."""
    origins = await subtree(tx, part)
    marks = ", ".join("?" * len(origins))
    await tx.execute("UPDATE residents SET merged_into = NULL WHERE id = ?", (part,))
    for table in ("resident_sightings", "resident_events"):
        await tx.execute(
            f"UPDATE {table} SET resident_id = ? WHERE resident_id = ? AND origin IN ({marks})",
            [part, whole, *origins],
        )


async def erase(tx: Tx, ids: Sequence[int], at: str) -> None:
    """Names, phones and free text of residents gone; counts and stages kept."""
    marks = ", ".join("?" * len(ids))
    await tx.execute(
        "UPDATE residents SET name = NULL, name_key = NULL, name_order = NULL, phone = NULL,"
        f" erased_at = coalesce(erased_at, ?) WHERE id IN ({marks})",
        [at, *ids],
    )
    await tx.execute(
        f"UPDATE resident_events SET note = NULL, reason = NULL WHERE resident_id IN ({marks})",
        list(ids),
    )
    await tx.execute(f"UPDATE residents SET dropped_reason = NULL WHERE id IN ({marks})", list(ids))


async def items_of(tx: Tx, resident_id: int) -> list[tuple[str, str]]:
    """(meeting id, item id) of every meeting that listed a resident."""
    rows = await tx.fetch_all(
        "SELECT meeting_id, item_id FROM resident_sightings WHERE resident_id = ?",
        (resident_id,),
    )
    return [(r[0], r[1]) for r in rows]


async def rows_holding(tx: Tx, table: str, column: str, secrets: Sequence[str]) -> list[Any]:
    """(rowid-like key, text) of rows of a review or replay table whose text holds a secret."""
    key = {"sync_mutations": "mutation_id"}.get(table, "id")
    found: dict[Any, str] = {}
    for secret in secrets:
        rows = await tx.fetch_all(
            f"SELECT {key}, {column} FROM {table} WHERE {column} LIKE ?", (f"%{secret}%",)
        )
        found.update({r[0]: r[1] for r in rows})
    return list(found.items())


async def rewrite(tx: Tx, table: str, column: str, key: Any, text: str) -> None:
    key_column = {"sync_mutations": "mutation_id"}.get(table, "id")
    await tx.execute(f"UPDATE {table} SET {column} = ? WHERE {key_column} = ?", (text, key))


async def followups(tx: Tx, team_id: int, today: date) -> list[FollowupItem]:
    """A team's residents still in the funnel, each once, with the team's latest sighting;
    overdue when the next contact is before `today`."""
    rows = await tx.fetch_all(
        "SELECT r.id, s.item_id, s.meeting_id,"
        " coalesce(r.name, (SELECT m.name FROM residents AS m WHERE m.merged_into = r.id"
        "   AND m.name IS NOT NULL ORDER BY m.id LIMIT 1)),"
        " coalesce(r.phone, (SELECT m.phone FROM residents AS m WHERE m.merged_into = r.id"
        "   AND m.phone IS NOT NULL ORDER BY m.id LIMIT 1)),"
        " r.village, r.stage, r.programme, r.next_contact, r.last_contact"
        " FROM residents AS r JOIN resident_sightings AS s ON s.resident_id = r.id"
        " WHERE s.team_id = ? AND r.merged_into IS NULL AND r.erased_at IS NULL"
        " AND r.dropped = 0 AND r.stage <> 'financed'"
        " ORDER BY r.id, s.met_on DESC, s.meeting_id DESC",
        (team_id,),
    )
    seen: dict[int, FollowupItem] = {}
    for r in rows:
        if int(r[0]) not in seen:
            due = day(r[8])
            seen[int(r[0])] = FollowupItem(
                id=int(r[0]), item_id=r[1], meeting_id=r[2], name=r[3], phone=r[4], village=r[5],
                stage=r[6], programme=r[7], next_contact=due, last_contact=day(r[9]),
                overdue=due is not None and due < today,
            )  # fmt: skip
    return list(seen.values())
