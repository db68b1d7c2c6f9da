"""SQL of coverage: the facts it is computed from (villages, held meetings, follow-ups)."""

from __future__ import annotations

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
    out = []
    for record_id, team_name, doc in rows:
        m = _meeting.decode(doc)
        if m.status != "held":
            continue
        out.append(
            MeetingFacts(
                id=record_id,
                team=team_name,
                date=m.date,
                hub=m.hub,
                villages=tuple(m.villages),
                attendance=m.attendance.total if m.attendance else 0,
                referrals=tuple((r.programme, r.count) for r in m.referrals),
                interested=tuple((p.id, p.village, p.programme) for p in m.interested),
                plan_id=m.plan_id,
            )
        )
    return out


async def residents(tx: Tx) -> list[ResidentFacts]:
    """Every resident (merged ones within the one they became) with the meetings that listed
    them: counts and tenge, no names."""
    rows = await tx.fetch_all(
        "SELECT id, district, programme, stage, dropped, requested_tenge, financed_tenge"
        " FROM residents WHERE merged_into IS NULL ORDER BY id"
    )
    met: dict[int, list[str]] = {}
    for resident_id, meeting_id in await tx.fetch_all(
        "SELECT resident_id, meeting_id FROM resident_sightings ORDER BY resident_id, meeting_id"
    ):
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
