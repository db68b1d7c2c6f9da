"""SQL of the resident registry: residents, the meetings that listed them (sightings), their
history (events), doubtful matches (candidates), and the registry's cursor over sync."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

import msgspec

from outreach.db.database import Row, Tx, for_update
from outreach.domain.matching import Known
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


async def set_registry(tx: Tx, absorbed_seq: int, *, changed: bool) -> None:
    await tx.execute(
        "UPDATE registry_state SET absorbed_seq = ?, version = version + ? WHERE id = 1",
        (absorbed_seq, 1 if changed else 0),
    )


async def changed_records(tx: Tx, after_seq: int, limit: int) -> list[Row]:
    """Meetings and follow-ups changed after a sequence number, in order."""
    return await tx.fetch_all(
        "SELECT id, kind, team_id, deleted, doc, seq FROM sync_records"
        " WHERE seq > ? AND kind IN ('meeting', 'followup') ORDER BY seq LIMIT ?",
        (after_seq, limit),
    )


async def sightings_of_meeting(tx: Tx, meeting_id: str) -> dict[str, SightingRow]:
    rows = await tx.fetch_all(
        "SELECT item_id, resident_id, origin FROM resident_sightings WHERE meeting_id = ?",
        (meeting_id,),
    )
    return {r[0]: SightingRow(r[0], int(r[1]), int(r[2])) for r in rows}


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


async def upsert_sighting(
    tx: Tx, meeting_id: str, item_id: str, team_id: int, resident_id: int, met_on: date,
    village: str | None, programme: str | None,
) -> None:  # fmt: skip
    await tx.execute(
        "INSERT INTO resident_sightings (meeting_id, item_id, team_id, resident_id, origin, met_on,"
        " village, programme) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
        " ON CONFLICT (meeting_id, item_id) DO UPDATE SET met_on = excluded.met_on,"
        " village = excluded.village, programme = excluded.programme",
        (meeting_id, item_id, team_id, resident_id, resident_id, met_on.isoformat(), village,
         programme),
    )  # fmt: skip


async def delete_sighting(tx: Tx, meeting_id: str, item_id: str) -> None:
    await tx.execute(
        "DELETE FROM resident_sightings WHERE meeting_id = ? AND item_id = ?", (meeting_id, item_id)
    )


async def district_of(tx: Tx, village: str | None) -> str | None:
    if village is None:
        return None
    value = await tx.fetch_value("SELECT district_kato FROM villages WHERE kato = ?", (village,))
    return str(value) if value is not None else None


async def insert_resident(
    tx: Tx, *, name: str | None, name_key: str | None, phone: str | None, village: str | None,
    district: str | None, now: str, import_id: int | None = None,
) -> int:  # fmt: skip
    value = await tx.fetch_value(
        "INSERT INTO residents (name, name_key, phone, village, district, created_at, import_id)"
        " VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
        (name, name_key, phone, village, district, now, import_id),
    )
    return int(value)


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
        "UPDATE residents SET name = ?, name_key = ? WHERE id = ? AND erased_at IS NULL",
        (name, key, resident_id),
    )


async def count_sightings(tx: Tx, resident_id: int) -> int:
    return int(await tx.fetch_value(
        "SELECT count(*) FROM resident_sightings WHERE resident_id = ?", (resident_id,)
    ))  # fmt: skip


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


async def active_by_phone(tx: Tx, phone: str) -> list[Known]:
    rows = await tx.fetch_all(_KNOWN + _ACTIVE + " AND phone = ? ORDER BY id", (phone,))
    return [Known(*r) for r in rows]


async def active_by_name(tx: Tx, key: str, village: str) -> list[Known]:
    rows = await tx.fetch_all(
        _KNOWN + _ACTIVE + " AND name_key = ? AND village = ? ORDER BY id", (key, village)
    )
    return [Known(*r) for r in rows]


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


async def save_standing(tx: Tx, resident_id: int, s: Standing) -> None:
    await tx.execute(
        "UPDATE residents SET stage = ?, dropped = ?, dropped_reason = ?, programme = ?,"
        " requested_tenge = ?, financed_tenge = ?, funding_source = ?, next_contact = ?,"
        " last_contact = ? WHERE id = ?",
        (s.stage, int(s.dropped), s.dropped_reason, s.programme, s.requested_tenge,
         s.financed_tenge, s.funding_source, _plain(s.next_contact), _plain(s.last_contact),
         resident_id),
    )  # fmt: skip


def day(value: Any) -> date | None:
    return date.fromisoformat(value) if value else None


def marks(values: Sequence[Any]) -> str:
    return ", ".join("?" * len(values))


def chunks(values: Sequence[Any]) -> Iterable[Sequence[Any]]:
    for start in range(0, len(values), 500):
        yield values[start : start + 500]


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
