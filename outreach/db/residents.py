"""SQL of the resident registry: residents, the meetings that listed them (sightings), their
history (events), doubtful matches (candidates), and the registry's cursor over sync."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

import msgspec

from outreach.db.database import Row, Tx, for_update
from outreach.domain.matching import Known
from outreach.domain.name_order import name_order
from outreach.domain.residents import (
    Event,
    Standing,
)


class SightingRow(msgspec.Struct, frozen=True):
    """A sighting as the registry keeps it."""

    item_id: str
    resident_id: int
    origin: int


async def registry(tx: Tx, *, lock: bool = False) -> tuple[int, int]:
    """(last sync sequence number absorbed, registry version)."""
    sql = "SELECT absorbed_seq, version FROM registry_state" + (for_update(tx) if lock else "")
    row = await tx.fetch_one(sql)
    assert row is not None, "migration 0013 inserts the row"
    return int(row[0]), int(row[1])


CHANGES_KEPT = 1000
"""Registry versions whose resident changes are kept for coverage (a reader further behind
reads every resident again)."""


async def set_registry(tx: Tx, absorbed_seq: int, *, changed: bool) -> None:
    """Record what was absorbed; a change, or residents changed (as the triggers of migration
    0014 noted), moves the version on (the row lock it takes orders versions as commits) and
    tags those notes with it, for coverage to read."""
    noted = await tx.fetch_one("SELECT 1 FROM resident_changes WHERE version IS NULL LIMIT 1")
    changed = changed or noted is not None
    await tx.execute(
        "UPDATE registry_state SET absorbed_seq = ?, version = version + ? WHERE id = 1",
        (absorbed_seq, 1 if changed else 0),
    )
    if changed:
        _, version = await registry(tx)
        await tx.execute(
            "UPDATE resident_changes SET version = ? WHERE version IS NULL", (version,)
        )
        await tx.execute(
            "DELETE FROM resident_changes WHERE version < ?", (version - CHANGES_KEPT,)
        )


async def changed_records(tx: Tx, after_seq: int, up_to: int, limit: int) -> list[Row]:
    """Records changed after a sequence number (up to another), in order (by the index on seq
    alone: asking for their kinds too would lead the planner to read every record of those
    kinds)."""
    return await tx.fetch_all(
        "SELECT id, kind, team_id, deleted, doc, seq FROM sync_records"
        " WHERE seq > ? AND seq <= ? ORDER BY seq LIMIT ?",
        (after_seq, up_to, limit),
    )


async def sighting_of_item(
    tx: Tx, meeting_id: str | None, team_id: int, item_id: str
) -> Row | None:
    """(resident, origin) of the sighting a follow-up is about: the named meeting's, else the
    team's latest one of that item."""
    return await tx.fetch_one(
        "SELECT resident_id, origin FROM resident_sightings WHERE team_id = ? AND item_id = ?"
        " ORDER BY meeting_id = ? DESC, met_on DESC LIMIT 1",
        (team_id, item_id, meeting_id or ""),
    )


async def delete_sighting(tx: Tx, meeting_id: str, item_id: str) -> None:
    await tx.execute(
        "DELETE FROM resident_sightings WHERE meeting_id = ? AND item_id = ?", (meeting_id, item_id)
    )


# Resident ids are given here, the next after the highest, never by the engine's own counter:
# every insert runs under the registry's lock (a catch-up, or a change that caught up first),
# and a batch of new residents then needs no answer per row.
async def next_resident_id(tx: Tx) -> int:
    return int(await tx.fetch_value("SELECT coalesce(max(id), 0) + 1 FROM residents"))


async def insert_resident(
    tx: Tx, *, name: str | None, name_key: str | None, phone: str | None, village: str | None,
    district: str | None, now: str, import_id: int | None = None,
) -> int:  # fmt: skip
    resident_id = await next_resident_id(tx)
    await insert_residents(
        tx, [(resident_id, name, name_key, phone, village, district, now, import_id, None)]
    )
    return resident_id


async def insert_residents(tx: Tx, rows: Sequence[tuple[Any, ...]]) -> None:
    """(id, name, name key, phone, village, district, created at, import, programme) of new
    residents."""
    await tx.execute_many(
        "INSERT INTO residents (id, name, name_key, phone, village, district, created_at,"
        " import_id, programme, name_order) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [(*row, name_order(row[1])) for row in rows],
    )


async def fill_identity(tx: Tx, resident_id: int, phone: str | None, village: str | None,
                        district: str | None) -> None:  # fmt: skip
    """Give a resident a phone, village or district they lacked (never over an erased one)."""
    await tx.execute(
        "UPDATE residents SET phone = coalesce(phone, ?), village = coalesce(village, ?),"
        " district = coalesce(district, ?) WHERE id = ? AND erased_at IS NULL",
        (phone, village, district, resident_id),
    )


async def rename(tx: Tx, resident_id: int, name: str, key: str | None) -> None:
    await tx.execute(
        "UPDATE residents SET name = ?, name_key = ?, name_order = ?"
        " WHERE id = ? AND erased_at IS NULL",
        (name, key, name_order(name), resident_id),
    )


async def forget_if_empty(tx: Tx, resident_id: int) -> bool:
    """Delete a resident nothing refers to any more (a line removed from its only meeting)."""
    busy = await tx.fetch_value(
        "SELECT (SELECT count(*) FROM resident_sightings WHERE resident_id = :id)"
        " + (SELECT count(*) FROM resident_events WHERE resident_id = :id AND kind <> 'created')"
        " + (SELECT count(*) FROM residents WHERE merged_into = :id OR (id = :id AND"
        "    (import_id IS NOT NULL OR merged_into IS NOT NULL OR erased_at IS NOT NULL)))",
        {"id": resident_id},
    )
    if int(busy):
        return False
    await tx.execute("DELETE FROM resident_candidates WHERE a = ? OR b = ?", (resident_id,) * 2)
    await tx.execute("DELETE FROM resident_events WHERE resident_id = ?", (resident_id,))
    await tx.execute("DELETE FROM residents WHERE id = ?", (resident_id,))
    return True


_KNOWN = "SELECT id, name_key, phone, village, district FROM residents"
_ACTIVE = " WHERE merged_into IS NULL AND erased_at IS NULL"


async def phones_and_namesakes(
    tx: Tx, phones: Sequence[str], namesakes: Sequence[tuple[str, str, bool]]
) -> list[Known]:
    """The residents with one of these phones, or of this name in this village (name key,
    village, and whether only those without a phone matter): all that new lines of meetings
    may match or be proposed beside, found through the indexes."""
    found = {k.id: k for k in await active_matching(tx, phones, ())}
    for bare in (False, True):
        pairs = sorted({(key, village) for key, village, b in namesakes if b is bare})
        for part in chunks(pairs):
            rows = await tx.fetch_all(
                _KNOWN
                + _ACTIVE
                + (" AND phone IS NULL" if bare else "")
                + f" AND (name_key, village) IN (VALUES {', '.join(['(?, ?)'] * len(part))})",
                [v for pair in part for v in pair],
            )
            found.update((int(r[0]), Known(*r)) for r in rows)
    return [found[k] for k in sorted(found)]


async def teams_of(tx: Tx, ids: Sequence[int]) -> dict[int, set[int]]:
    """The teams whose meetings listed each of these residents."""
    found: dict[int, set[int]] = {}
    for part in chunks(sorted(set(ids))):
        rows = await tx.fetch_all(
            f"SELECT DISTINCT resident_id, team_id FROM resident_sightings"
            f" WHERE resident_id IN ({marks(part)})",
            list(part),
        )
        for row in rows:
            found.setdefault(int(row[0]), set()).add(int(row[1]))
    return found


async def active_matching(tx: Tx, phones: Sequence[str], keys: Sequence[str]) -> list[Known]:
    """The residents who have one of these phones or name keys: all a list can match (found
    through the phone and name indexes, not by reading every resident)."""
    found: dict[int, Known] = {}
    for column, values in (("phone", sorted(set(phones))), ("name_key", sorted(set(keys)))):
        for part in chunks(values):
            rows = await tx.fetch_all(
                _KNOWN + _ACTIVE + f" AND {column} IN ({marks(part)})", list(part)
            )
            found.update((int(r[0]), Known(*r)) for r in rows)
    return [found[k] for k in sorted(found)]


async def add_event(tx: Tx, resident_id: int, origin: int, *, at: str, by: str, kind: str,
                    **fields: Any) -> None:  # fmt: skip
    """Append a history line; one with a `source` already recorded is not added twice."""
    columns = ["resident_id", "origin", "at", "by_actor", "kind", *fields]
    values = [resident_id, origin, at, by, kind, *(_plain(v) for v in fields.values())]
    await tx.execute(
        f"INSERT INTO resident_events ({', '.join(columns)})"
        f" VALUES ({', '.join('?' * len(columns))}) ON CONFLICT (source) DO NOTHING",
        values,
    )


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


async def add_candidate(tx: Tx, a: int, b: int, reason: str, at: str,
                        import_id: int | None = None) -> None:  # fmt: skip
    low, high = sorted((a, b))
    await tx.execute(
        "INSERT INTO resident_candidates (a, b, reason, at, import_id) VALUES (?, ?, ?, ?, ?)"
        " ON CONFLICT (a, b) DO NOTHING",
        (low, high, reason, at, import_id),
    )


_EVENT = ("SELECT id, resident_id, kind, at, on_date, stage, via, amount_tenge, funding_source,"
          " reason, next_contact, programme FROM resident_events")  # fmt: skip


async def events_of(tx: Tx, ids: Sequence[int]) -> dict[int, list[Event]]:
    out: dict[int, list[Event]] = {i: [] for i in ids}
    for part in chunks(ids):
        rows = await tx.fetch_all(
            _EVENT + f" WHERE resident_id IN ({marks(part)}) ORDER BY id", list(part)
        )
        for r in rows:
            out[int(r[1])].append(Event(
                id=int(r[0]), kind=r[2], at=r[3], on=day(r[4]), stage=r[5], via=r[6],
                amount_tenge=r[7], funding_source=r[8], reason=r[9], next_contact=day(r[10]),
                programme=r[11],
            ))  # fmt: skip
    return out


async def sighting_programmes(tx: Tx, ids: Sequence[int]) -> dict[int, list[str | None]]:
    out: dict[int, list[str | None]] = {i: [] for i in ids}
    for part in chunks(ids):
        rows = await tx.fetch_all(
            "SELECT resident_id, programme FROM resident_sightings"
            f" WHERE resident_id IN ({marks(part)}) ORDER BY met_on, meeting_id",
            list(part),
        )
        for r in rows:
            out[int(r[0])].append(r[1])
    return out


async def save_standings(tx: Tx, standings: Sequence[tuple[int, Standing]]) -> None:
    await tx.execute_many(
        "UPDATE residents SET stage = ?, dropped = ?, dropped_reason = ?, programme = ?,"
        " requested_tenge = ?, financed_tenge = ?, funding_source = ?, next_contact = ?,"
        " last_contact = ? WHERE id = ?",
        [(s.stage, int(s.dropped), s.dropped_reason, s.programme, s.requested_tenge,
          s.financed_tenge, s.funding_source, _plain(s.next_contact), _plain(s.last_contact),
          resident_id) for resident_id, s in standings],
    )  # fmt: skip


def day(value: Any) -> date | None:
    return date.fromisoformat(value) if value else None


def marks(values: Sequence[Any]) -> str:
    return ", ".join("?" * len(values))


def chunks(values: Sequence[Any]) -> Iterable[Sequence[Any]]:
    for start in range(0, len(values), 500):
        yield values[start : start + 500]


async def sightings_of_meetings(tx: Tx, ids: Sequence[str]) -> dict[str, dict[str, SightingRow]]:
    """The sightings of several meetings, by meeting and line."""
    out: dict[str, dict[str, SightingRow]] = {m: {} for m in ids}
    for part in chunks(ids):
        rows = await tx.fetch_all(
            "SELECT meeting_id, item_id, resident_id, origin FROM resident_sightings"
            f" WHERE meeting_id IN ({marks(part)})",
            list(part),
        )
        for r in rows:
            out[r[0]][r[1]] = SightingRow(r[1], int(r[2]), int(r[3]))
    return out


class Identity(msgspec.Struct, frozen=True):
    """What a corrected line may change of a resident."""

    name: str | None
    phone: str | None
    village: str | None
    erased: bool
    sightings: int


async def identities(tx: Tx, ids: Sequence[int]) -> dict[int, Identity]:
    out: dict[int, Identity] = {}
    for part in chunks(sorted(set(ids))):
        rows = await tx.fetch_all(
            "SELECT r.id, r.name, r.phone, r.village, r.erased_at IS NOT NULL,"
            " (SELECT count(*) FROM resident_sightings AS s WHERE s.resident_id = r.id)"
            f" FROM residents AS r WHERE r.id IN ({marks(part)})",
            list(part),
        )
        out.update({int(r[0]): Identity(r[1], r[2], r[3], bool(r[4]), int(r[5])) for r in rows})
    return out


async def districts_of(tx: Tx, villages: Sequence[str]) -> dict[str, str]:
    out: dict[str, str] = {}
    for part in chunks(sorted(set(villages))):
        rows = await tx.fetch_all(
            f"SELECT kato, district_kato FROM villages WHERE kato IN ({marks(part)})", list(part)
        )
        out.update({r[0]: r[1] for r in rows})
    return out


async def add_created(tx: Tx, rows: Sequence[tuple[int, str, str, str]]) -> None:
    """'created' lines (resident, at, by, met on) of residents a meeting brought."""
    await tx.execute_many(
        "INSERT INTO resident_events (resident_id, origin, at, by_actor, kind, via, on_date)"
        " VALUES (?, ?, ?, ?, 'created', 'meeting', ?)",
        [(r, r, at, by, on) for r, at, by, on in rows],
    )


async def upsert_sightings(tx: Tx, rows: Sequence[tuple[Any, ...]]) -> None:
    """(meeting, line, team, resident, met on, village, programme) of each line."""
    await tx.execute_many(
        "INSERT INTO resident_sightings (meeting_id, item_id, team_id, resident_id, origin, met_on,"
        " village, programme) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
        " ON CONFLICT (meeting_id, item_id) DO UPDATE SET met_on = excluded.met_on,"
        " village = excluded.village, programme = excluded.programme",
        [(m, i, t, r, r, on, v, p) for m, i, t, r, on, v, p in rows],
    )


async def add_candidates(tx: Tx, rows: Sequence[tuple[int, int, str, str]]) -> None:
    """Doubtful pairs (a, b, reason, at); a pair already proposed is not proposed again."""
    await tx.execute_many(
        "INSERT INTO resident_candidates (a, b, reason, at) VALUES (?, ?, ?, ?)"
        " ON CONFLICT (a, b) DO NOTHING",
        [(*sorted((a, b)), reason, at) for a, b, reason, at in rows],
    )


async def resident_row(tx: Tx, resident_id: int, *, lock: bool = False) -> Row | None:
    return await tx.fetch_one(
        "SELECT id, merged_into, erased_at, import_id, name, phone FROM residents WHERE id = ?"
        + (for_update(tx) if lock else ""),
        (resident_id,),
    )


async def decide_candidates(tx: Tx, a: int, b: int, status: str, by: str, at: str) -> None:
    low, high = sorted((a, b))
    await tx.execute(
        "UPDATE resident_candidates SET status = ?, decided_by = ?, decided_at = ?"
        " WHERE a = ? AND b = ? AND status = 'open'",
        (status, by, at, low, high),
    )


async def candidate(tx: Tx, candidate_id: int) -> Row | None:
    return await tx.fetch_one(
        "SELECT a, b, status FROM resident_candidates WHERE id = ?", (candidate_id,)
    )
