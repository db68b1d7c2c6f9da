"""Meetings' interested lines become sightings of residents, a batch of records at a time:
each line matched by phone (with a compatible name) to a resident, or a new resident
proposed beside any resident with the same phone and another name, or the same name in the
same village where a phone is missing. Reads and writes go by the batch, not by the line, as
this runs inside every push (docs/followup.md)."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from datetime import date
from typing import Any

import msgspec

from outreach.db import residents as sql
from outreach.db.database import Tx
from outreach.domain.matching import Index, Known
from outreach.domain.records import normalise_phone
from outreach.domain.residents import ERASED, name_key, names_compatible


class Item(msgspec.Struct):
    id: str
    name: str
    phone: str | None = None
    village: str | None = None
    programme: str | None = None


class Meeting(msgspec.Struct):
    date: date
    hub: str
    interested: list[Item] = []


_meeting = msgspec.json.Decoder(Meeting)
_MAX_SAME = 20
"""Residents sharing a phone that a new line is compared with."""
_MAX_PAIRS = 5
"""Doubtful pairs one new resident is proposed in, for each reason."""
_BREATH = 200


class _Line(msgspec.Struct):
    meeting_id: str
    team_id: int
    met_on: date
    item: Item
    phone: str | None
    village: str


class _Batch:
    """What one batch writes, gathered first and written in a few statements."""

    def __init__(self, now: str, next_id: int) -> None:
        self.now = now
        self.next_id = next_id
        self.residents: list[tuple[Any, ...]] = []
        self.sightings: list[tuple[Any, ...]] = []
        self.created: list[tuple[int, str, str, str]] = []
        self.pairs: list[tuple[int, int, str, str]] = []
        self.touched: set[int] = set()
        self.fresh: set[int] = set()  # created here and seen once: their standing is known

    def saw(self, line: _Line, resident_id: int) -> None:
        met_on = line.met_on.isoformat()
        self.sightings.append((line.meeting_id, line.item.id, line.team_id, resident_id, met_on,
                               line.village, line.item.programme))  # fmt: skip
        if resident_id in self.touched:
            self.fresh.discard(resident_id)  # a second line: its programme may be another
        self.touched.add(resident_id)


async def absorb(tx: Tx, records: Sequence[tuple[str, int, bool, str]], now: str) -> set[int]:
    """Absorb meeting records (id, team, deleted, document), in order; the residents whose
    standing must be computed again (not those created here by one line: it is set as they
    are created)."""
    known = await sql.sightings_of_meetings(tx, [r[0] for r in records])
    batch = _Batch(now, await sql.next_resident_id(tx))
    new: list[_Line] = []
    old: list[tuple[_Line, int]] = []
    listed: dict[str, set[str]] = {}
    for meeting_id, team_id, deleted, doc in records:
        await asyncio.sleep(0)  # a meeting's lines at a time: other requests in between
        lines = [] if deleted else _lines(meeting_id, team_id, _meeting.decode(doc))
        listed[meeting_id] = {line.item.id for line in lines}
        for line in lines:
            seen = known[meeting_id].get(line.item.id)
            if seen is None:
                new.append(line)
            else:
                old.append((line, seen.resident_id))
                batch.saw(line, seen.resident_id)
    await _correct(tx, old)
    await _place(tx, new, batch)
    await sql.insert_residents(tx, batch.residents)
    await sql.add_created(tx, batch.created)
    await sql.upsert_sightings(tx, batch.sightings)
    await sql.add_candidates(tx, batch.pairs)
    for meeting_id, kept in listed.items():
        await _forget(tx, meeting_id, known[meeting_id], kept, batch.touched)
    return batch.touched - batch.fresh


def _lines(meeting_id: str, team_id: int, meeting: Meeting) -> list[_Line]:
    return [
        _Line(
            meeting_id=meeting_id,
            team_id=team_id,
            met_on=meeting.date,
            item=item,
            phone=normalise_phone(item.phone) if item.phone else None,
            village=item.village or meeting.hub,
        )
        for item in meeting.interested
    ]


async def _place(tx: Tx, lines: list[_Line], batch: _Batch) -> None:
    """New lines to residents: matched by phone within the registry and the batch itself,
    else new residents (with the doubtful pairs they make)."""
    if not lines:
        return
    phones = [line.phone for line in lines if line.phone]
    # namesakes matter where one of the two has no phone
    names = [(k, line.village, line.phone is not None) for line in lines
             if (k := name_key(line.item.name))]  # fmt: skip
    known = await sql.phones_and_namesakes(tx, phones, names)
    index = Index(known)
    teams = await sql.teams_of(tx, [k.id for k in known if k.phone])
    districts = await sql.districts_of(tx, [line.village for line in lines])
    for n, line in enumerate(lines):
        if n and n % _BREATH == 0:
            await asyncio.sleep(0)  # a large batch lets other requests in between lines
        key = name_key(line.item.name)
        # a phone shared by many (a family's, or a flood of made-up lines) is looked through
        # only so far, and proposes only so many pairs: never a cost that grows as n squared
        same_phone = index.by_phone.get(line.phone, [])[:_MAX_SAME] if line.phone else []
        ours = {k.id for k in same_phone if line.team_id in teams.get(k.id, ())}
        match = next((k.id for k in same_phone if _same_person(k, key, k.id in ours)), None)
        if match is None:
            match = _create(line, key, districts.get(line.village), batch)
            namesakes = index.by_village.get((key, line.village), []) if key else []
            batch.pairs += [(k.id, match, "same_phone_other_name", batch.now)
                            for k in same_phone[:_MAX_PAIRS]]  # fmt: skip
            batch.pairs += [(k.id, match, "same_name_village", batch.now) for k in namesakes
                            if k.phone is None or line.phone is None][:_MAX_PAIRS]  # fmt: skip
            index.add(Known(match, key, line.phone, line.village, districts.get(line.village)))
        teams.setdefault(match, set()).add(line.team_id)
        batch.saw(line, match)


def _same_person(known: Known, key: str | None, met_by_this_team: bool) -> bool:
    """Whether a line with a resident's phone is that resident. Within the team that met them,
    a compatible name is enough (a line with no name, or a first name only); a resident the
    team never met (another team's, or a programme list's) needs their whole name: a phone
    could otherwise push guessed numbers with no name and learn, by its follow-up list, who is
    in the programmes and how far they got, or move their stage. Anything less is proposed to
    a coordinator as a doubtful pair (`same_phone_other_name`)."""
    if met_by_this_team:
        return names_compatible(known.name_key, key)
    return key is not None and key == known.name_key


def _create(line: _Line, key: str | None, district: str | None, batch: _Batch) -> int:
    created, batch.next_id = batch.next_id, batch.next_id + 1
    batch.residents.append((created, line.item.name, key, line.phone, line.village, district,
                            batch.now, None, line.item.programme))  # fmt: skip
    batch.fresh.add(created)
    batch.created.append((created, batch.now, f"team:{line.team_id}", line.met_on.isoformat()))
    return created


async def _correct(tx: Tx, lines: list[tuple[_Line, int]]) -> None:
    """Lines seen before, perhaps corrected: a phone or village they now give fills a gap; the
    name follows the line while its meeting is the resident's only one. Written only where
    something changes (a meeting is sent again whole with every edit)."""
    if not lines:
        return
    people = await sql.identities(tx, [resident_id for _, resident_id in lines])
    districts = await sql.districts_of(tx, [line.village for line, _ in lines])
    for n, (line, resident_id) in enumerate(lines):
        if n and n % _BREATH == 0:
            await asyncio.sleep(0)
        who = people.get(resident_id)
        if who is None or who.erased or line.item.name == ERASED:
            continue
        if (line.phone and not who.phone) or not who.village:
            await sql.fill_identity(tx, resident_id, line.phone, line.village,
                                    districts.get(line.village))  # fmt: skip
        if who.sightings <= 1 and who.name != line.item.name:
            await sql.rename(tx, resident_id, line.item.name, name_key(line.item.name))


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
