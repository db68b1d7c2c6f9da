"""SQL of coverage: the facts it is computed from (villages, held meetings, follow-ups)."""

from __future__ import annotations

import asyncio
from datetime import date

import msgspec

from outreach.db.database import Tx
from outreach.domain.coverage import MeetingFacts, ResidentFacts, VillageFacts
from outreach.domain.residents import stage_rank


class _Attendance(msgspec.Struct):
    total: int = 0


class _Referral(msgspec.Struct):
    programme: str
    count: int = 1


class _Person(msgspec.Struct):
    id: str
    village: str | None = None
    programme: str | None = None


class _Meeting(msgspec.Struct):
    status: str
    date: date
    hub: str
    villages: list[str] = []
    attendance: _Attendance | None = None
    referrals: list[_Referral] = []
    interested: list[_Person] = []
    plan_id: int | None = None


_meeting = msgspec.json.Decoder(_Meeting)


async def villages(tx: Tx) -> list[VillageFacts]:
    """Every village of the gazetteer with its district, okrug and population."""
    rows = await tx.fetch_all("SELECT kato, district_kato, okrug_kato, population FROM villages")
    return [VillageFacts(kato=r[0], district=r[1], okrug=r[2], population=r[3]) for r in rows]


async def held_meetings(tx: Tx, team: str | None) -> list[MeetingFacts]:
    """Every held meeting (of one team, or all), as coverage needs it."""
    rows = await tx.fetch_all(
        "SELECT r.id, t.name, r.doc FROM sync_records AS r JOIN teams AS t ON t.id = r.team_id"
        " WHERE r.kind = 'meeting' AND r.deleted = 0"
        " AND (CAST(:team AS TEXT) IS NULL OR t.name = :team)",
        {"team": team},
    )
    aliases = await _plan_aliases(tx)
    # decoded by a worker thread: a second or more at 100,000 meetings
    return await asyncio.to_thread(
        lambda: [
            m
            for record_id, team_name, doc in rows
            if (m := _held(record_id, team_name, doc, aliases))
        ]
    )


async def _plan_aliases(tx: Tx) -> dict[int, int]:
    """Superseded plan -> its campaign's published plan: a meeting logged against a plan that a
    re-plan replaced counts for the campaign as it stands (the team had that plan)."""
    rows = await tx.fetch_all(
        "SELECT s.id, p.id FROM plans AS s JOIN plans AS p"
        " ON p.campaign = s.campaign AND p.status = 'published' WHERE s.status = 'superseded'"
    )
    return {int(r[0]): int(r[1]) for r in rows}


async def changed_meetings(
    tx: Tx, after_seq: int, up_to: int
) -> list[tuple[str, MeetingFacts | None]]:
    """Meeting records changed after a sequence number (up to another), in order: each as a
    held meeting, or None when it no longer is one (deleted, cancelled). By the index on seq
    alone, as the registry reads them."""
    rows = await tx.fetch_all(
        "SELECT r.id, r.kind, t.name, r.deleted, r.doc FROM sync_records AS r"
        " JOIN teams AS t ON t.id = r.team_id WHERE r.seq > ? AND r.seq <= ? ORDER BY r.seq",
        (after_seq, up_to),
    )
    aliases = await _plan_aliases(tx)
    return [
        (r[0], None if r[3] else _held(r[0], r[2], r[4], aliases))
        for r in rows
        if r[1] == "meeting"
    ]


def _held(record_id: str, team: str, doc: str, aliases: dict[int, int]) -> MeetingFacts | None:
    m = _meeting.decode(doc)
    if m.status != "held":
        return None
    return MeetingFacts(
        id=record_id,
        team=team,
        date=m.date,
        hub=m.hub,
        villages=tuple(m.villages),
        attendance=m.attendance.total if m.attendance else 0,
        referrals=tuple((r.programme, r.count) for r in m.referrals),
        interested=tuple((p.id, p.village, p.programme) for p in m.interested),
        plan_id=aliases.get(m.plan_id, m.plan_id) if m.plan_id is not None else None,
    )


async def changed_residents(tx: Tx, after_version: int, up_to: int) -> list[int]:
    """Residents noted as changed by the registry versions after one (up to another)."""
    rows = await tx.fetch_all(
        "SELECT DISTINCT resident_id FROM resident_changes WHERE version > ? AND version <= ?",
        (after_version, up_to),
    )
    return [int(r[0]) for r in rows]


async def residents(tx: Tx, ids: list[int] | None = None) -> list[ResidentFacts]:
    """Every resident (merged ones within the one they became) with the meetings that listed
    them: counts and tenge, no names; or only those of `ids` (a few hundred at most)."""
    marks = "" if ids is None else ", ".join("?" * len(ids))
    params = ids or ()
    rows = await tx.fetch_all(
        "SELECT id, district, programme, stage, dropped, requested_tenge, financed_tenge"
        " FROM residents WHERE merged_into IS NULL"
        + ("" if ids is None else f" AND id IN ({marks})")
        + " ORDER BY id",
        params,
    )
    sightings = await tx.fetch_all(
        "SELECT resident_id, meeting_id FROM resident_sightings"
        + ("" if ids is None else f" WHERE resident_id IN ({marks})")
        + " ORDER BY resident_id, meeting_id",
        params,
    )

    def facts() -> list[ResidentFacts]:
        met: dict[int, list[str]] = {}
        for resident_id, meeting_id in sightings:
            met.setdefault(int(resident_id), []).append(meeting_id)
        return [
            ResidentFacts(
                id=int(r[0]),
                district=r[1],
                programme=r[2],
                stage=stage_rank(r[3]),
                dropped=bool(r[4]),
                requested_tenge=r[5],
                financed_tenge=r[6],
                meetings=tuple(met.get(int(r[0]), ())),
            )
            for r in rows
        ]

    # made by a worker thread when they are many (every resident: 200,000 take about a second)
    return facts() if ids is not None else await asyncio.to_thread(facts)


async def residents_of(tx: Tx, ids: list[int]) -> list[ResidentFacts]:
    """Those residents (the ones not merged into another), read a few hundred at a time."""
    out: list[ResidentFacts] = []
    for start in range(0, len(ids), 500):
        out += await residents(tx, ids[start : start + 500])
    return out


async def campaigns(tx: Tx) -> dict[int, str]:
    """The campaign name of every published plan."""
    rows = await tx.fetch_all("SELECT id, campaign FROM plans WHERE status = 'published'")
    return {int(r[0]): r[1] for r in rows}


async def data_version(tx: Tx) -> tuple[object, ...]:
    """Changes whenever anything coverage is computed from changes: records (the sync
    sequence), published plans, the gazetteer."""
    row = await tx.fetch_one(
        "SELECT (SELECT last_seq FROM sync_state),"
        " (SELECT count(*) FROM plans WHERE status = 'published'),"
        " (SELECT coalesce(max(id), 0) FROM plans WHERE status = 'published'),"
        " (SELECT coalesce(max(id), 0) FROM gazetteer_imports)"
        " + (SELECT coalesce(max(id), 0) FROM village_corrections),"
        " (SELECT version FROM registry_state),"
        " (SELECT count(*) FROM targets), (SELECT coalesce(max(updated_at), '') FROM targets)"
    )
    assert row is not None
    return tuple(row)
