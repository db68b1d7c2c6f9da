"""SQL of coverage: the facts it is computed from (villages, held meetings, follow-ups)."""

from __future__ import annotations

from datetime import date

import msgspec

from outreach.db.database import Tx
from outreach.domain.coverage import STAGES, FollowupFacts, MeetingFacts, VillageFacts


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


class _Step(msgspec.Struct):
    status: str


class _Followup(msgspec.Struct):
    status: str
    programme: str | None = None
    history: list[_Step] = []


_meeting = msgspec.json.Decoder(_Meeting)
_followup = msgspec.json.Decoder(_Followup)


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


async def followups(tx: Tx) -> dict[str, FollowupFacts]:
    """Every follow-up by the id of the interested resident it follows."""
    rows = await tx.fetch_all(
        "SELECT id, doc FROM sync_records WHERE kind = 'followup' AND deleted = 0"
    )
    out = {}
    for record_id, doc in rows:
        f = _followup.decode(doc)
        steps = [s.status for s in f.history] or [f.status]
        stage = max((STAGES.index(s) for s in steps if s in STAGES), default=-1)
        out[record_id] = FollowupFacts(
            id=record_id, stage=stage, dropped=f.status == "dropped", programme=f.programme
        )
    return out


async def data_version(tx: Tx) -> tuple[int, int, int, int]:
    """Changes whenever anything coverage is computed from changes: records (the sync
    sequence), published plans, the gazetteer."""
    row = await tx.fetch_one(
        "SELECT (SELECT last_seq FROM sync_state),"
        " (SELECT count(*) FROM plans WHERE status = 'published'),"
        " (SELECT coalesce(max(id), 0) FROM plans WHERE status = 'published'),"
        " (SELECT coalesce(max(id), 0) FROM gazetteer_imports)"
        " + (SELECT coalesce(max(id), 0) FROM village_corrections)"
    )
    assert row is not None
    return int(row[0]), int(row[1]), int(row[2]), int(row[3])
