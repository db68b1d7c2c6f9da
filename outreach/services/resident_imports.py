"""Programme operators' lists in: a preview of how each row matches the residents (exact,
probable, new, conflicting), then the whole list applied in one transaction, audited, and
undoable as a whole (docs/followup.md)."""

from __future__ import annotations

import asyncio
import hashlib

import msgspec

from outreach.db import accounts as accounts_sql
from outreach.db import resident_imports as sql
from outreach.db import resident_views as views
from outreach.db import residents as residents_sql
from outreach.db import sync as sync_sql
from outreach.db.database import Database, Row, Tx
from outreach.domain.accounts import Actor
from outreach.domain.errors import Conflict, NotFound
from outreach.domain.matching import Index, Known, Match
from outreach.domain.programme_lists import ListRow, Places, ProgrammeList, parse_programme_list
from outreach.domain.residents import ResidentSummary, name_key
from outreach.services import gazetteer, registry
from outreach.services.clock import now_iso, today_local

KINDS = ("exact", "probable", "new", "conflicting")


class ImportSuperseded(Conflict):
    """Residents the import created have been met, changed or merged since: undoing it would
    take that away too."""

    code = "import_superseded"


class PreviewRow(ListRow, frozen=True, kw_only=True):
    """A row of the list and what it matched."""

    match: str
    resident: ResidentSummary | None
    why: str
    why_code: str
    why_count: int | None = None


class ImportPreview(msgspec.Struct, frozen=True, kw_only=True):
    """What applying the list would do."""

    filename: str
    rows: list[PreviewRow]
    counts: dict[str, int]
    ignored_columns: list[str]


class ImportSummary(msgspec.Struct, frozen=True, kw_only=True):
    """An import as the log keeps it."""

    id: int
    at: str
    by: str
    filename: str
    rows: int
    counts: dict[str, int]
    status: str
    undone_at: str | None = None
    undone_by: str | None = None


async def _places(db: Database) -> Places:
    return Places(await gazetteer.all_villages(db), await gazetteer.list_districts(db))


async def _parsed(db: Database, body: bytes, programme: str | None) -> ProgrammeList:
    """The list read in a worker thread: a workbook of 10 MB is seconds of work that would
    hold every phone's sync and every user's page."""
    places = await _places(db)
    return await asyncio.to_thread(parse_programme_list, body, places, programme, today_local())


def _matches(rows: list[ListRow], known: list[Known], separate: set[int]) -> list[Match]:
    """Each row's match; a row matches the rows before it too (a list may name one person
    twice, trained and then financed), never itself."""
    index = Index(known)
    out = []
    for row in rows:
        found = index.match(name_key(row.name), row.phone, row.village, row.district)
        if found.kind == "probable" and row.line in separate:
            found = Match(
                kind="new", why="a different person, as the coordinator said", code="separated"
            )
        if found.kind != "exact" and found.kind != "probable":
            index.add(Known(-row.line, name_key(row.name), row.phone, row.village, row.district))
        out.append(found)
    return out


async def _known(tx: Tx, rows: list[ListRow]) -> list[Known]:
    """The residents the list's rows may match."""
    phones = [r.phone for r in rows if r.phone]
    keys = [k for r in rows if (k := name_key(r.name))]
    return await residents_sql.active_matching(tx, phones, keys)


def _counts(matches: list[Match]) -> dict[str, int]:
    return {k: sum(1 for m in matches if m.kind == k) for k in KINDS}


async def preview(db: Database, body: bytes, filename: str, programme: str | None,
                  separate: set[int], actor: Actor) -> ImportPreview:  # fmt: skip
    """How the list would match, changing nothing (audited: it shows residents)."""
    parsed = await _parsed(db, body, programme)
    async with db.write() as tx:
        await registry.fresh(tx)
        matches = _matches(parsed.rows, await _known(tx, parsed.rows), separate)
        ids = [m.resident for m in matches if m.resident is not None and m.resident > 0]
        people = await views.summaries(tx, ids)
        await accounts_sql.audit(tx, at=now_iso(), actor=actor, action="residents.import_preview",
                                 object_id=filename)  # fmt: skip
    rows = [
        PreviewRow(
            **msgspec.structs.asdict(r),
            match=m.kind,
            resident=people.get(m.resident or 0),
            why=m.why,
            why_code=m.code,
            why_count=m.count,
        )
        for r, m in zip(parsed.rows, matches, strict=True)
    ]
    return ImportPreview(filename=filename, rows=rows, counts=_counts(matches),
                         ignored_columns=parsed.ignored_columns)  # fmt: skip


async def apply(db: Database, body: bytes, filename: str, programme: str | None,
                separate: set[int], actor: Actor) -> ImportSummary:  # fmt: skip
    """The whole list in one transaction: matched rows become lines of their resident's
    history; new and conflicting rows new residents (a conflicting one proposed beside the
    residents it conflicts with, never merged). Audited."""
    parsed = await _parsed(db, body, programme)
    by = f"user:{actor.user_id}"
    async with db.write() as tx:
        state = await sync_sql.state(tx, lock=True)  # as every registry change
        await registry.catch_up(tx, state.last_seq)
        now = now_iso()
        matches = _matches(parsed.rows, await _known(tx, parsed.rows), separate)
        counts = _counts(matches)
        digest = hashlib.sha256(body).hexdigest()
        import_id = await sql.insert(tx, at=now, by=by, filename=filename, sha256=digest,
                                     programme=programme, counts=counts,
                                     rows=len(parsed.rows))  # fmt: skip
        made: dict[int, int] = {}  # a row's line -> the resident it created
        touched: set[int] = set()
        for row, found in zip(parsed.rows, matches, strict=True):
            resident = await _resident(tx, row, found, made, import_id, now, by)
            await residents_sql.add_event(
                tx, resident, resident, at=now, by=by, kind="stage", via="import",
                on_date=row.on, stage=row.stage, amount_tenge=row.amount_tenge,
                funding_source=row.funding_source, reason=row.reason, note=row.note,
                programme=row.programme, import_id=import_id,
                source=f"import:{import_id}:{row.line}",
            )  # fmt: skip
            touched.add(resident)
        await registry.changed(tx, touched)
        await _audit(tx, actor, "residents.imported", import_id, now)
        return _summary(await sql.one(tx, import_id))


async def _resident(tx: Tx, row: ListRow, found: Match, made: dict[int, int], import_id: int,
                    now: str, by: str) -> int:  # fmt: skip
    """The resident a row is about, created when it is nobody yet."""
    if found.resident is not None:
        return made[-found.resident] if found.resident < 0 else found.resident
    created = await residents_sql.insert_resident(
        tx, name=row.name, name_key=name_key(row.name), phone=row.phone, village=row.village,
        district=row.district, now=now, import_id=import_id,
    )  # fmt: skip
    made[row.line] = created
    await residents_sql.add_event(tx, created, created, at=now, by=by, kind="created",
                                  via="import", import_id=import_id)  # fmt: skip
    for other in found.others:
        other_id = made[-other] if other < 0 else other
        await residents_sql.add_candidate(tx, other_id, created, "import_conflict", now, import_id)
    return created


async def imports(db: Database) -> list[ImportSummary]:
    """Every import, newest first."""
    async with db.read() as tx:
        return [_summary(r) for r in await sql.imports(tx)]


async def undo(db: Database, import_id: int, actor: Actor) -> ImportSummary:
    """Take an import back whole: its lines, the residents it created and the doubtful
    matches it proposed; refused when those residents were met or changed since."""
    by = f"user:{actor.user_id}"
    async with db.write() as tx:
        state = await sync_sql.state(tx, lock=True)
        await registry.catch_up(tx, state.last_seq)
        found = await sql.one(tx, import_id, lock=True)
        if found is None:
            raise NotFound(f"no import {import_id}")
        if found[9] != "applied":
            raise Conflict(f"import {import_id} was already undone")
        if busy := await sql.superseded(tx, import_id):
            raise ImportSuperseded(
                f"residents this import created have {busy} meetings, changes or merges since:"
                " undo those first, or correct the residents one by one"
            )
        now = now_iso()
        touched = await sql.undo(tx, import_id, now, by)
        await registry.changed(tx, touched)
        await _audit(tx, actor, "residents.import_undone", import_id, now)
        return _summary(await sql.one(tx, import_id))


async def _audit(tx: Tx, actor: Actor, action: str, import_id: int, now: str) -> None:
    await accounts_sql.audit(tx, at=now, actor=actor, action=action, object_id=str(import_id))


def _summary(r: Row | None) -> ImportSummary:
    assert r is not None
    return ImportSummary(
        id=int(r[0]), at=r[1], by=r[2], filename=r[3], rows=int(r[4]),
        counts={k: int(r[5 + i]) for i, k in enumerate(KINDS)}, status=r[9],
        undone_at=r[10], undone_by=r[11],
    )  # fmt: skip
