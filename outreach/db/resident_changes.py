"""SQL of changes a coordinator makes to residents: merges, splits, erasure; and the phone's
follow-up list."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

import msgspec

from outreach.db.database import Tx
from outreach.db.residents import chunks, day, marks
from outreach.domain.residents import FollowupItem


class _Lines(msgspec.Struct):
    """Of a meeting's document, only its interested residents' lines."""

    interested: list[dict[str, Any]] = []


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
    overdue when the next contact is before `today`. The name, phone and village are those the
    team's own lines gave (its latest that gives each), never the register's: a line with a
    guessed phone number must not teach a phone whom another team met, or a programme list
    named. Where they got to (stage, programme, contacts) is the register's."""
    rows = await tx.fetch_all(
        "SELECT r.id, s.item_id, s.meeting_id, s.village, r.stage, r.programme, r.next_contact,"
        " r.last_contact FROM residents AS r JOIN resident_sightings AS s ON s.resident_id = r.id"
        " WHERE s.team_id = ? AND r.merged_into IS NULL AND r.erased_at IS NULL"
        " AND r.dropped = 0 AND r.stage <> 'financed'"
        " ORDER BY r.id, s.met_on DESC, s.meeting_id DESC",
        (team_id,),
    )
    lines = await _team_lines(tx, team_id, sorted({str(r[2]) for r in rows}))
    mine: dict[int, list[Any]] = {}
    for r in rows:  # each resident's sightings, latest first
        mine.setdefault(int(r[0]), []).append(r)
    items = []
    for resident_id, seen in mine.items():
        first = seen[0]
        said = [lines.get((s[2], s[1]), {}) for s in seen]
        due = day(first[6])
        items.append(FollowupItem(
            id=resident_id, item_id=first[1], meeting_id=first[2],
            name=next((line["name"] for line in said if line.get("name")), None),
            phone=next((line["phone"] for line in said if line.get("phone")), None),
            village=next((s[3] for s in seen if s[3]), None), stage=first[4],
            programme=first[5], next_contact=due, last_contact=day(first[7]),
            overdue=due is not None and due < today,
        ))  # fmt: skip
    return items


_lines = msgspec.json.Decoder(_Lines)


async def _team_lines(tx: Tx, team_id: int, meeting_ids: Sequence[str]
                      ) -> dict[tuple[str, str], dict[str, Any]]:  # fmt: skip
    """The `interested` lines of the team's meetings among these, by (meeting, line id)."""
    found: dict[tuple[str, str], dict[str, Any]] = {}
    for part in chunks(list(meeting_ids)):
        rows = await tx.fetch_all(
            f"SELECT id, doc FROM sync_records WHERE id IN ({marks(part)}) AND team_id = ?"
            " AND kind = 'meeting'",
            [*part, team_id],
        )
        for row in rows:
            for line in _lines.decode(row[1]).interested:
                if isinstance(line.get("id"), str):
                    found[(str(row[0]), line["id"])] = line
    return found
