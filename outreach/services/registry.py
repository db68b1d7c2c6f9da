"""The resident registry kept up with field records: every meeting's interested residents
become residents (matched by phone; a doubtful match by name is proposed, never merged), and
every follow-up's history lines become the resident's. Runs inside the write transaction that
changed the records (a push, a coordinator's change), after the sync state's lock, so that the
registry never lags what the server acknowledged (docs/followup.md)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

import msgspec

from outreach.db import residents as sql
from outreach.db.database import Tx
from outreach.domain.records import normalise_phone
from outreach.domain.residents import ERASED, name_key, names_compatible, standing
from outreach.services.clock import now_iso

_BATCH = 2000


class _Item(msgspec.Struct):
    id: str
    name: str
    phone: str | None = None
    village: str | None = None
    programme: str | None = None


class _Meeting(msgspec.Struct):
    date: date
    hub: str
    interested: list[_Item] = []


class _Step(msgspec.Struct):
    status: str | None = None
    on: date | None = None
    by: str = "?"
    via: str | None = None
    note: str | None = None
    next_contact: date | None = None
    amount_tenge: int | None = None
    funding_source: str | None = None
    reason: str | None = None
    programme: str | None = None


class _Followup(msgspec.Struct):
    meeting_id: str | None = None
    status: str | None = None
    on: date | None = None
    programme: str | None = None
    history: list[_Step] = []


_meeting = msgspec.json.Decoder(_Meeting)
_followup = msgspec.json.Decoder(_Followup)


async def catch_up(tx: Tx, last_seq: int) -> bool:
    """Absorb every meeting and follow-up changed since the registry last looked (up to
    `last_seq`, the sync counter the caller holds locked); whether anything changed."""
    absorbed, _ = await sql.registry(tx, lock=True)
    if absorbed >= last_seq:
        return False
    touched: set[int] = set()
    while rows := await sql.changed_records(tx, absorbed, _BATCH):
        for record_id, kind, team_id, deleted, doc, seq in rows:
            if kind == "meeting":
                await _absorb_meeting(tx, record_id, int(team_id), bool(deleted), doc, touched)
            else:
                await _absorb_followup(tx, record_id, int(team_id), doc, touched)
            absorbed = int(seq)
    await refresh(tx, touched)
    await sql.set_registry(tx, max(absorbed, last_seq), changed=bool(touched))
    return bool(touched)


async def changed(tx: Tx, ids: Iterable[int]) -> None:
    """After a coordinator's change: recompute those residents and move the version on."""
    await refresh(tx, ids)
    absorbed, _ = await sql.registry(tx)
    await sql.set_registry(tx, absorbed, changed=True)


async def refresh(tx: Tx, ids: Iterable[int]) -> None:
    """Recompute residents' standing (stage, amounts, next contact) from their history."""
    ordered = sorted(set(ids))
    events = await sql.events_of(tx, ordered)
    programmes = await sql.sighting_programmes(tx, ordered)
    for resident_id in ordered:
        await sql.save_standing(
            tx, resident_id, standing(events[resident_id], programmes[resident_id])
        )


async def _absorb_meeting(tx: Tx, meeting_id: str, team_id: int, deleted: bool, doc: str,
                          touched: set[int]) -> None:  # fmt: skip
    known = await sql.sightings_of_meeting(tx, meeting_id)
    if deleted:  # a tombstone: the meeting no longer lists anyone
        await _forget(tx, meeting_id, known, set(), touched)
        return
    meeting = _meeting.decode(doc)
    items = meeting.interested
    now = now_iso()
    for item in items:
        phone = normalise_phone(item.phone) if item.phone else None
        village = item.village or meeting.hub
        if item.id in known:
            resident_id = known[item.id].resident_id
            await _update_identity(tx, resident_id, item, phone, village)
        else:
            resident_id, created = await match_or_create(tx, item.name, phone, village, now)
            if created:
                by = f"team:{team_id}"
                await sql.add_event(tx, resident_id, resident_id, at=now, by=by, kind="created",
                                    via="meeting", on_date=meeting.date)  # fmt: skip
        await sql.upsert_sighting(tx, meeting_id, item.id, team_id, resident_id, meeting.date,
                                  village, item.programme)  # fmt: skip
        touched.add(resident_id)
    await _forget(tx, meeting_id, known, {i.id for i in items}, touched)


async def _forget(tx: Tx, meeting_id: str, known: dict[str, sql.SightingRow], kept: set[str],
                  touched: set[int]) -> None:  # fmt: skip
    """Sightings of lines a meeting no longer has; residents left with nothing go too."""
    for item_id in known.keys() - kept:
        gone = known[item_id].resident_id
        await sql.delete_sighting(tx, meeting_id, item_id)
        if await sql.forget_if_empty(tx, gone):
            touched.discard(gone)
        else:
            touched.add(gone)


async def _update_identity(tx: Tx, resident_id: int, item: _Item, phone: str | None,
                           village: str) -> None:  # fmt: skip
    """A corrected line: the phone or village it now gives fills a gap; the name follows the
    line while this meeting is the resident's only one."""
    if item.name == ERASED:
        return
    await sql.fill_identity(tx, resident_id, phone, village, await sql.district_of(tx, village))
    if await sql.count_sightings(tx, resident_id) <= 1:
        await sql.rename(tx, resident_id, item.name, name_key(item.name))


async def match_or_create(tx: Tx, name: str, phone: str | None, village: str | None, now: str,
                          import_id: int | None = None) -> tuple[int, bool]:  # fmt: skip
    """The resident a newly listed person is: the one with the same phone and a compatible
    name; else a new resident, proposed to a coordinator as a doubtful match of any resident
    with the same phone (another name) or the same name in the same village (a phone missing).
    Whether it is a new one."""
    key = name_key(name)
    same_phone = await sql.active_by_phone(tx, phone) if phone else []
    for known in same_phone:
        if names_compatible(known.name_key, key):
            return known.id, False
    district = await sql.district_of(tx, village)
    created = await sql.insert_resident(tx, name=name, name_key=key, phone=phone,
                                        village=village, district=district, now=now,
                                        import_id=import_id)  # fmt: skip
    for known in same_phone:
        await sql.add_candidate(tx, known.id, created, "same_phone_other_name", now, import_id)
    if key and village:
        for known in await sql.active_by_name(tx, key, village):
            if known.id != created and (known.phone is None or phone is None):
                await sql.add_candidate(tx, known.id, created, "same_name_village", now, import_id)
    return created, True


async def _absorb_followup(tx: Tx, record_id: str, team_id: int, doc: str,
                           touched: set[int]) -> None:  # fmt: skip
    followup = _followup.decode(doc)
    found = await sql.sighting_of_item(tx, followup.meeting_id, team_id, record_id)
    if found is None:
        return  # no meeting of the team lists this resident (a coordinator's review sorts it)
    resident_id, origin = int(found[0]), int(found[1])
    steps = followup.history or [_Step(status=followup.status, on=followup.on)]
    now = now_iso()
    for index, step in enumerate(steps):
        await sql.add_event(
            tx, resident_id, origin, at=now, by=step.by,
            kind="contact" if step.via in ("call", "visit") else "stage",
            source=f"followup:{record_id}:{index}", on_date=step.on, stage=step.status,
            via=step.via, note=step.note, next_contact=step.next_contact,
            amount_tenge=step.amount_tenge, funding_source=step.funding_source,
            reason=step.reason, programme=step.programme or followup.programme,
        )  # fmt: skip
    touched.add(resident_id)
