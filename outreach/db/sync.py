"""SQL of sync: the sequence counter, records, stored mutations, the review queue, and
devices' reports. Batches are read and written with one statement per table."""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Sequence
from typing import Any, TypeVar

import msgspec

from outreach.db.database import Row, Tx
from outreach.domain.merge import Overwrite, RecordState
from outreach.domain.review import OverwriteItem, ParkedItem, Resolved
from outreach.domain.sync import RecordOut

_CHUNK = 500


class SyncState(msgspec.Struct, frozen=True):
    """This server's identity, the last sequence number, and below which tombstones are gone."""

    server_id: str
    last_seq: int
    purged_seq: int


class StoredMutation(msgspec.Struct, frozen=True):
    """A mutation seen before: the hash of its content and the result it got."""

    content_sha256: str
    result: bytes


async def state(tx: Tx, *, lock: bool = False) -> SyncState:
    """The one row of sync_state. A write that will hand out sequence numbers takes it with
    `lock`, first thing: on PostgreSQL a row lock held to commit, so that writers in any
    process take numbers one after another and commit in that order (a pull's cursor never
    passes a number whose record is not yet visible); SQLite's writer is already alone."""
    sql = "SELECT server_id, last_seq, purged_seq FROM sync_state"
    if lock and tx.dialect == "postgresql":
        sql += " FOR UPDATE"
    row = await tx.fetch_one(sql)
    assert row is not None, "migration 0006 inserts the row"
    return SyncState(row[0], int(row[1]), int(row[2]))


async def set_last_seq(tx: Tx, last_seq: int) -> None:
    """Move the sequence counter on (inside the write that used the numbers)."""
    await tx.execute("UPDATE sync_state SET last_seq = ? WHERE id = 1", (last_seq,))


_V = TypeVar("_V")


def _chunks(values: Sequence[_V]) -> Iterable[Sequence[_V]]:
    for start in range(0, len(values), _CHUNK):
        yield values[start : start + _CHUNK]


async def stored_mutations(tx: Tx, team_id: int, ids: Sequence[str]) -> dict[str, StoredMutation]:
    """The mutations among `ids` the server has already taken from this team (another team's
    mutation of the same id is none of its business)."""
    found: dict[str, StoredMutation] = {}
    for chunk in _chunks(ids):
        marks = ",".join("?" * len(chunk))
        rows = await tx.fetch_all(
            "SELECT mutation_id, content_sha256, result FROM sync_mutations"
            f" WHERE team_id = ? AND mutation_id IN ({marks})",
            (team_id, *chunk),
        )
        for row in rows:
            found[row[0]] = StoredMutation(row[1], row[2].encode())
    return found


_json = msgspec.json.Decoder()
_writers = msgspec.json.Decoder(dict[str, tuple[int, str]])


async def records(tx: Tx, ids: Sequence[str]) -> dict[str, RecordState]:
    """The records among `ids` that exist (of any team: the caller checks the team)."""
    return {key: stored.state() for key, stored in (await stored_records(tx, ids)).items()}


class StoredRecord(msgspec.Struct, frozen=True, kw_only=True):
    """A record as read, its document and writers still JSON text: decoding a large one is
    work for a worker thread, not for the event loop."""

    id: str
    kind: str
    team_id: int
    version: int
    seq: int
    deleted: bool
    doc: str
    writers: str
    size_bytes: int

    def state(self) -> RecordState:
        """The record decoded."""
        doc, writers = _json.decode(self.doc), _writers.decode(self.writers)
        return RecordState(id=self.id, kind=self.kind, team_id=self.team_id,
                           version=self.version, seq=self.seq, deleted=self.deleted,
                           doc=doc, writers=writers)  # fmt: skip


async def stored_records(tx: Tx, ids: Sequence[str]) -> dict[str, StoredRecord]:
    """The records among `ids` that exist (of any team: the caller checks the team)."""
    found: dict[str, StoredRecord] = {}
    for chunk in _chunks(ids):
        marks = ",".join("?" * len(chunk))
        sql = ("SELECT id, kind, team_id, version, seq, deleted, doc, writers, size_bytes"
               f" FROM sync_records WHERE id IN ({marks})")  # fmt: skip
        for row in await tx.fetch_all(sql, chunk):
            found[row[0]] = StoredRecord(id=row[0], kind=row[1], team_id=int(row[2]),
                                         version=int(row[3]), seq=int(row[4]),
                                         deleted=bool(row[5]), doc=row[6], writers=row[7],
                                         size_bytes=int(row[8]))  # fmt: skip
    return found


async def known_villages(tx: Tx, katos: Sequence[str]) -> set[str]:
    """Which of these codes are villages of the gazetteer."""
    found: set[str] = set()
    for chunk in _chunks(katos):
        marks = ",".join("?" * len(chunk))
        rows = await tx.fetch_all(f"SELECT kato FROM villages WHERE kato IN ({marks})", chunk)
        found.update(row[0] for row in rows)
    return found


_encode = msgspec.json.encode


def encoded(state: RecordState) -> StoredRecord:
    """A record as it will be stored, its document and writers encoded (CPU work: a large
    record is encoded in a worker thread)."""
    doc = _encode(state.doc)
    return StoredRecord(id=state.id, kind=state.kind, team_id=state.team_id,
                        version=state.version, seq=state.seq, deleted=state.deleted,
                        doc=doc.decode(), writers=_encode(state.writers).decode(),
                        size_bytes=len(doc))  # fmt: skip


async def save_records(tx: Tx, states: Iterable[RecordState], now: str) -> None:
    """Insert or update records (their seq already assigned)."""
    await save_encoded(tx, [encoded(s) for s in states], now)


async def save_encoded(tx: Tx, records: Iterable[StoredRecord], now: str) -> None:
    """Insert or update records already encoded (their seq assigned)."""
    records = list(records)
    if not records:
        return
    await tx.execute_many(
        "INSERT INTO sync_records (id, kind, team_id, version, seq, deleted, doc, writers,"
        " size_bytes, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
        " ON CONFLICT (id) DO UPDATE SET version = excluded.version, seq = excluded.seq,"
        " deleted = excluded.deleted, doc = excluded.doc, writers = excluded.writers,"
        " size_bytes = excluded.size_bytes, updated_at = excluded.updated_at",
        [(r.id, r.kind, r.team_id, r.version, r.seq, int(r.deleted), r.doc, r.writers,
          r.size_bytes, now, now) for r in records],
    )  # fmt: skip


async def save_mutations(
    tx: Tx, team_id: int, rows: Iterable[tuple[str, int, str, str, bytes]], now: str
) -> None:
    """Keep (mutation id, device, record id, content hash, result) for replays, under the
    team that sent them."""
    rows = list(rows)
    if not rows:
        return
    await tx.execute_many(
        "INSERT INTO sync_mutations (team_id, mutation_id, device_id, record_id,"
        " content_sha256, result, received_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
        [(team_id, m, d, r, h, result.decode(), now) for m, d, r, h, result in rows],
    )


async def save_overwrites(
    tx: Tx, rows: Iterable[tuple[str, str, str, Overwrite]], now: str
) -> None:
    """Keep overwritten values: (record id, mutation id, by whom, what was overwritten)."""
    rows = list(rows)
    if not rows:
        return
    await tx.execute_many(
        "INSERT INTO sync_overwrites (record_id, field, value, writer, version, mutation_id,"
        " by_writer, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (r, o.field, _encode(o.value).decode(), o.writer, o.version, m, by, now)
            for r, m, by, o in rows
        ],
    )


Parked = tuple[str | None, int, str, str, bytes | str]
"""A refused mutation to park: (mutation id, device, reason, message, content)."""


async def parked_waiting(tx: Tx, device_ids: Sequence[int]) -> dict[int, int]:
    """How many refused mutations of each of these devices wait for review."""
    found: dict[int, int] = {}
    for chunk in _chunks(device_ids):
        marks = ",".join("?" * len(chunk))
        rows = await tx.fetch_all(
            "SELECT device_id, count(*) FROM sync_parked WHERE resolved_at IS NULL"
            f" AND device_id IN ({marks}) GROUP BY device_id",
            chunk,
        )
        found.update((int(row[0]), int(row[1])) for row in rows)
    return found


async def park(tx: Tx, rows: Iterable[Parked], now: str) -> None:
    """Park rejected mutations: (mutation id, device, reason, message, content, as sent or
    as `parked_text` made it)."""
    rows = list(rows)
    if not rows:
        return
    await tx.execute_many(
        "INSERT INTO sync_parked (mutation_id, device_id, reason, message, content, at)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        [
            (m, d, reason, parked_text(message), parked_text(content), now)
            for m, d, reason, message, content in rows
        ],
    )


def parked_text(content: bytes | str) -> str:
    """A mutation's content (or a message) as it is parked: text, never holding U+0000,
    which PostgreSQL refuses (a large batch's is made in a worker thread)."""
    text = content if isinstance(content, str) else bytes(content).decode(errors="replace")
    return text.replace("\x00", "\ufffd") if "\x00" in text else text


async def team_id(tx: Tx, team: str) -> int | None:
    """A team's id by name."""
    value = await tx.fetch_value("SELECT id FROM teams WHERE name = ?", (team,))
    return None if value is None else int(value)


async def team_ids(tx: Tx, names: Sequence[str]) -> dict[str, int]:
    """The ids of the teams among `names` that exist, by name."""
    found: dict[str, int] = {}
    for chunk in _chunks(names):
        marks = ",".join("?" * len(chunk))
        rows = await tx.fetch_all(f"SELECT name, id FROM teams WHERE name IN ({marks})", chunk)
        found.update((str(row[0]), int(row[1])) for row in rows)
    return found


async def changes(
    tx: Tx, team: int, after_seq: int, limit: int, max_bytes: int
) -> tuple[list[RecordOut], bool]:
    """A team's records changed after a sequence number, in sequence order: at most `limit`,
    and no more than fit in `max_bytes` of documents (but always the first); and whether
    more wait. Sizes are read first, so that no more documents are read than are sent."""
    sizes = await tx.fetch_all(
        "SELECT seq, size_bytes FROM sync_records WHERE team_id = ? AND seq > ?"
        " ORDER BY seq LIMIT ?",
        (team, after_seq, limit + 1),
    )
    total, last, taken = 0, after_seq, 0
    for seq, size in sizes[:limit]:
        total += int(size)
        if total > max_bytes and taken:
            break
        last, taken = int(seq), taken + 1
    rows = await tx.fetch_all(
        "SELECT id, kind, version, seq, deleted, doc FROM sync_records"
        " WHERE team_id = ? AND seq > ? AND seq <= ? ORDER BY seq",
        (team, after_seq, last),
    )
    records = [
        RecordOut(
            id=row[0],
            kind=row[1],
            version=row[2],
            seq=row[3],
            deleted=bool(row[4]),
            data=None if row[4] else msgspec.Raw(row[5].encode()),
        )
        for row in rows
    ]
    return records, taken < len(sizes)


async def last_report(tx: Tx, device_id: int) -> tuple[str | None, int | None]:
    """When the device's report was last kept, and the count of waiting records it gave."""
    row = await tx.fetch_one(
        "SELECT last_sync_at, pending_count FROM devices WHERE id = ?", (device_id,)
    )
    if row is None:
        return None, None
    at, pending = row[0], row[1]
    return (None if at is None else str(at)), (None if pending is None else int(pending))


class Report(msgspec.Struct, frozen=True):
    """What a device said about itself on a sync, and when."""

    device_id: int
    at: str
    pending: int | None
    app_version: str | None
    clock_offset_s: float | None


async def reports(tx: Tx, said: Iterable[Report]) -> None:
    """Keep what devices said about themselves (a version or clock not said is kept as was)."""
    rows = [(r.at, r.pending, r.app_version, r.clock_offset_s, r.device_id) for r in said]
    if not rows:
        return
    await tx.execute_many(
        "UPDATE devices SET last_sync_at = ?, pending_count = ?,"
        " app_version = coalesce(?, app_version), clock_offset_s = coalesce(?, clock_offset_s)"
        " WHERE id = ?",
        rows,
    )


def _decoded(row: Row) -> dict[str, Any]:
    item = dict(row)
    for key in ("value", "content"):
        if key in item:
            # a malformed mutation is kept as the text it was
            with contextlib.suppress(msgspec.DecodeError):
                item[key] = _json.decode(item[key])
    return item


async def open_overwrites(tx: Tx, limit: int) -> list[OverwriteItem]:
    """Overwritten values nobody has reviewed yet, oldest first."""
    rows = await tx.fetch_all(
        "SELECT id, record_id, field, value, writer, version, mutation_id, by_writer, at"
        " FROM sync_overwrites WHERE resolved_at IS NULL ORDER BY id LIMIT ?",
        (limit,),
    )
    return [msgspec.convert(_decoded(row), OverwriteItem) for row in rows]


_OPEN_PARKED = (" FROM sync_parked AS p JOIN devices AS d ON d.id = p.device_id"
                " JOIN users AS u ON u.id = d.user_id WHERE p.resolved_at IS NULL")  # fmt: skip


async def open_parked(tx: Tx, limit: int) -> list[ParkedItem]:
    """Rejected mutations nobody has reviewed yet, oldest first."""
    rows = await tx.fetch_all(
        "SELECT p.id, p.mutation_id, d.label AS device, u.login, p.reason, p.message, p.content,"
        f" p.at{_OPEN_PARKED} ORDER BY p.id LIMIT ?",
        (limit,),
    )
    return [msgspec.convert(_decoded(row), ParkedItem) for row in rows]


async def open_counts(tx: Tx) -> tuple[int, int]:
    """How many overwritten values and rejected mutations nobody has reviewed yet."""
    row = await tx.fetch_one(
        "SELECT (SELECT count(*) FROM sync_overwrites WHERE resolved_at IS NULL) AS overwrites,"
        f" (SELECT count(*){_OPEN_PARKED}) AS parked"
    )
    assert row is not None
    return int(row["overwrites"]), int(row["parked"])


async def open_overwrite(tx: Tx, item_id: int) -> OverwriteItem | None:
    """One overwritten value not yet reviewed."""
    row = await tx.fetch_one(
        "SELECT id, record_id, field, value, writer, version, mutation_id, by_writer, at"
        " FROM sync_overwrites WHERE id = ? AND resolved_at IS NULL",
        (item_id,),
    )
    return msgspec.convert(_decoded(row), OverwriteItem) if row else None


async def resolve(
    tx: Tx, table: str, item_id: int, by: str, now: str, resolution: str, comment: str | None
) -> bool:
    """Mark a review item done, with the decision and its comment; False if there is no such
    open item."""
    assert table in ("sync_overwrites", "sync_parked")
    changed = await tx.execute(
        f"UPDATE {table} SET resolved_at = ?, resolved_by = ?, resolution = ?, comment = ?"
        " WHERE id = ? AND resolved_at IS NULL",
        (now, by, resolution, comment, item_id),
    )
    return changed == 1


async def resolved_items(tx: Tx, limit: int) -> list[Resolved]:
    """Review items already dealt with, newest decision first, both lists together."""
    rows = await tx.fetch_all(
        "SELECT * FROM (SELECT 'overwrites' AS list, id, resolved_by, resolved_at,"
        " COALESCE(resolution, 'keep') AS action, comment FROM sync_overwrites"
        " WHERE resolved_at IS NOT NULL UNION ALL SELECT 'parked' AS list, id, resolved_by,"
        " resolved_at, COALESCE(resolution, 'keep') AS action, comment FROM sync_parked"
        " WHERE resolved_at IS NOT NULL) AS done ORDER BY resolved_at DESC, list, id DESC LIMIT ?",
        (limit,),
    )
    return [msgspec.convert(dict(row), Resolved) for row in rows]


# documents are kept as JSON text in both engines (a pull sends them back byte for byte);
# the few queries that look inside them use each engine's JSON functions
_MEETINGS_OF_VILLAGE = {
    "sqlite": "SELECT id, kind, version, seq, deleted, doc, team_id FROM sync_records"
    " WHERE kind = 'meeting' AND deleted = 0 AND (json_extract(doc, '$.hub') = :kato"
    " OR EXISTS (SELECT 1 FROM json_each(doc, '$.villages') WHERE value = :kato))"
    " ORDER BY json_extract(doc, '$.date') DESC",
    "postgresql": "SELECT id, kind, version, seq, deleted, doc, team_id FROM sync_records"
    " WHERE kind = 'meeting' AND deleted = 0 AND (doc::jsonb ->> 'hub' = :kato"
    " OR (doc::jsonb -> 'villages') @> jsonb_build_array(CAST(:kato AS text)))"
    " ORDER BY doc::jsonb ->> 'date' DESC",
}
_MEETING_OF_PERSON = {
    "sqlite": "SELECT r.id, r.team_id FROM sync_records AS r, json_each(r.doc, '$.interested')"
    " AS p WHERE r.kind = 'meeting' AND r.deleted = 0 AND json_extract(p.value, '$.id') = ?",
    "postgresql": "SELECT r.id, r.team_id FROM sync_records AS r,"
    " jsonb_array_elements(coalesce(r.doc::jsonb -> 'interested', '[]')) AS p"
    " WHERE r.kind = 'meeting' AND r.deleted = 0 AND p ->> 'id' = ?",
}


async def meetings_of_village(tx: Tx, kato: str) -> list[tuple[RecordOut, int]]:
    """Meeting records that were held at or represented a village, with their team's id."""
    rows = await tx.fetch_all(_MEETINGS_OF_VILLAGE[tx.dialect], {"kato": kato})
    return [(RecordOut(id=r[0], kind=r[1], version=r[2], seq=r[3],
                       data=msgspec.Raw(r[5].encode())), int(r[6])) for r in rows]  # fmt: skip


async def meetings_of_person(tx: Tx, person_id: str) -> list[tuple[str, int]]:
    """(meeting id, team id) of every meeting that lists an interested resident by this item
    id (item ids are made by phones: two teams' meetings may carry the same one)."""
    rows = await tx.fetch_all(_MEETING_OF_PERSON[tx.dialect], (person_id,))
    return sorted({(str(row[0]), int(row[1])) for row in rows})


async def record_teams(tx: Tx) -> dict[str, str]:
    """Every record's id and its team's name (for checks over the whole store)."""
    rows = await tx.fetch_all(
        "SELECT r.id, t.name FROM sync_records AS r JOIN teams AS t ON t.id = r.team_id"
    )
    return {str(r[0]): str(r[1]) for r in rows}


async def mutation_ids(tx: Tx) -> set[str]:
    """Every stored mutation id."""
    return {str(r[0]) for r in await tx.fetch_all("SELECT mutation_id FROM sync_mutations")}


async def record_count(tx: Tx) -> int:
    """How many field records the server holds."""
    return int(await tx.fetch_value("SELECT count(*) FROM sync_records"))
