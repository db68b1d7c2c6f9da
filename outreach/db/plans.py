"""SQL of campaign plans and their versions."""

from __future__ import annotations

import msgspec

from outreach.db.database import Row, Tx, for_update
from outreach.domain.plan_checks import BookedDay, PlanBookings
from outreach.domain.planning import PlanDocument, PlanStatus, PlanSummary

_SUMMARY = """SELECT id, campaign, status, based_on, gazetteer_version, road_km, meetings,
                     meetings_placed, created_at, published_at, created_by FROM plans"""


def _summary(row: Row) -> PlanSummary:
    return PlanSummary(
        id=row["id"], campaign=row["campaign"], status=row["status"], based_on=row["based_on"],
        gazetteer_version=row["gazetteer_version"], road_km=row["road_km"],
        meetings=row["meetings"], meetings_placed=row["meetings_placed"],
        created_at=row["created_at"], published_at=row["published_at"],
        created_by=row["created_by"],
    )  # fmt: skip


async def insert(tx: Tx, document: PlanDocument, based_on: int | None, now: str,
                 created_by: str | None = None) -> int:  # fmt: skip
    """Store a new draft made by `created_by` (a login); return its id."""
    plan_id = await tx.fetch_value(
        """INSERT INTO plans (campaign, status, based_on, gazetteer_version, document, road_km,
                              meetings, meetings_placed, created_at, created_by)
           VALUES (?, 'draft', ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id""",
        (document.name, based_on, document.gazetteer_version,
         msgspec.json.encode(document).decode(), document.totals.road_km,
         document.totals.meetings, document.totals.meetings_placed, now, created_by),
    )  # fmt: skip
    return int(plan_id)


async def list_summaries(tx: Tx, campaign: str | None) -> list[PlanSummary]:
    """Plans, newest first, of one campaign or all."""
    rows = await tx.fetch_all(
        _SUMMARY
        + " WHERE (CAST(:campaign AS TEXT) IS NULL OR campaign = :campaign) ORDER BY id DESC",
        {"campaign": campaign},
    )
    return [_summary(row) for row in rows]


async def get_summary(tx: Tx, plan_id: int) -> PlanSummary | None:
    """One plan's summary."""
    row = await tx.fetch_one(_SUMMARY + " WHERE id = ?", (plan_id,))
    return None if row is None else _summary(row)


Published = tuple[tuple[int, str], ...]  # (id, campaign) of each published plan, newest first


async def published(tx: Tx) -> Published:
    """Which plans are published (their documents never change once stored)."""
    rows = await tx.fetch_all(
        "SELECT id, campaign FROM plans WHERE status = 'published' ORDER BY id DESC"
    )
    return tuple((int(r[0]), r[1]) for r in rows)


async def superseded(tx: Tx) -> Published:
    """The plans a later publication of their campaign replaced, oldest first."""
    rows = await tx.fetch_all(
        "SELECT id, campaign FROM plans WHERE status = 'superseded' ORDER BY id"
    )
    return tuple((int(r[0]), r[1]) for r in rows)


class _Assigned(msgspec.Struct):
    id: str
    team: str | None = None


class _Assignments(msgspec.Struct):
    meetings: list[_Assigned]


async def assignments(tx: Tx, plan_id: int) -> list[tuple[str, str | None]]:
    """(meeting id, team) of every meeting of one plan (only those fields decoded)."""
    raw = await tx.fetch_value("SELECT document FROM plans WHERE id = ?", (plan_id,))
    if raw is None:
        return []
    return [(m.id, m.team) for m in msgspec.json.decode(raw, type=_Assignments).meetings]


async def get_document(tx: Tx, plan_id: int) -> PlanDocument | None:
    """One plan's document."""
    raw = await tx.fetch_value("SELECT document FROM plans WHERE id = ?", (plan_id,))
    return None if raw is None else msgspec.json.decode(raw, type=PlanDocument)


class _Bookings(msgspec.Struct, frozen=True):
    meetings: list[BookedDay]


async def published_bookings(tx: Tx, other_than: str) -> list[PlanBookings]:
    """The team-days with meetings of every published plan of the campaigns other than one
    (only the documents' meetings are decoded)."""
    rows = await tx.fetch_all(
        "SELECT id, campaign, document FROM plans WHERE status = 'published' AND campaign <> ?"
        " ORDER BY id",
        (other_than,),
    )
    found = []
    for row in rows:
        meetings = msgspec.json.decode(row["document"], type=_Bookings).meetings
        days = [m for m in meetings if m.team is not None and m.date is not None]
        found.append(PlanBookings(plan_id=row["id"], campaign=row["campaign"], days=days))
    return found


async def set_status(tx: Tx, plan_id: int, status: PlanStatus, now: str) -> None:
    """Move a plan to a status; publishing stamps the time."""
    await tx.execute(
        "UPDATE plans SET status = ?, published_at = CASE WHEN ? = 'published' THEN ? "
        "ELSE published_at END WHERE id = ?",
        (status, status, now, plan_id),
    )


async def published_of(tx: Tx, campaign: str) -> int | None:
    """The campaign's published plan, if any."""
    found = await tx.fetch_value(
        "SELECT id FROM plans WHERE campaign = ? AND status = 'published'", (campaign,)
    )
    return None if found is None else int(found)


async def lock_campaign_of(tx: Tx, plan_id: int) -> None:
    """Lock every version of a plan's campaign, in id order, until the transaction ends (on
    PostgreSQL): concurrent publishes of its drafts run one after the other."""
    await tx.fetch_all(
        "SELECT id FROM plans WHERE campaign = (SELECT campaign FROM plans WHERE id = ?)"
        " ORDER BY id" + for_update(tx),
        (plan_id,),
    )
