"""SQL of meeting positions: the meetings whose phone recorded where it was, read field by field
from the documents (never the residents they hold)."""

from __future__ import annotations

from datetime import date
from typing import Any

from outreach.db.database import Row, Tx
from outreach.db.gazetteer import FIRST_SENDER, UNDECIDED
from outreach.domain.gazetteer import Position
from outreach.domain.meeting_positions import MeetingFix

_FIELDS = ("status", "date", "start", "hub", "plan_id", "plan_meeting")
_POSITION = ("lat", "lon", "accuracy_m")

_SQLITE = ", ".join(
    [f"json_extract(r.doc, '$.{f}')" for f in _FIELDS]
    + [f"json_extract(r.doc, '$.position.{f}')" for f in _POSITION]
)
# PostgreSQL parses each document once (`j`), not once per field
_POSTGRES = ", ".join(
    [f"j.doc ->> '{f}'" for f in _FIELDS] + [f"j.doc -> 'position' ->> '{f}'" for f in _POSITION]
)
_FROM = {
    "sqlite": "sync_records AS r",
    "postgresql": "sync_records AS r CROSS JOIN LATERAL (SELECT r.doc::jsonb AS doc) AS j",
}
_HAS_POSITION = {
    "sqlite": "json_type(r.doc, '$.position') = 'object'",
    "postgresql": "jsonb_typeof(j.doc -> 'position') = 'object'",
}


def _query(dialect: str, *, one: bool, undecided: bool) -> str:
    fields = _SQLITE if dialect == "sqlite" else _POSTGRES
    sql = (
        f"SELECT r.id, t.name, r.created_at, {fields}, {FIRST_SENDER} FROM {_FROM[dialect]}"
        " JOIN teams AS t ON t.id = r.team_id"
        f" WHERE r.kind = 'meeting' AND r.deleted = 0 AND {_HAS_POSITION[dialect]}"
    )
    return sql + (UNDECIDED if undecided else "") + (" AND r.id = ?" if one else "")


def _number(value: Any) -> float | None:
    return None if value is None else float(value)


def _fix(row: Row) -> MeetingFix | None:
    values = [row[i] for i in range(13)]
    record_id, team, created_at, status, day, start, hub, plan_id, plan_meeting = values[:9]
    lat, lon, accuracy = (_number(v) for v in values[9:12])
    if lat is None or lon is None or not isinstance(hub, str):
        return None  # a position still being written by its phone
    return MeetingFix(id=str(record_id), team=str(team), status=str(status), hub=hub,
                      date=date.fromisoformat(day) if day else None, start=start,
                      plan_id=int(plan_id) if plan_id is not None else None,
                      plan_meeting=plan_meeting, position=Position(lat=lat, lon=lon),
                      accuracy_m=accuracy, by=values[12], created_at=str(created_at))  # fmt: skip


async def fixes(tx: Tx, *, undecided: bool = False, record_id: str | None = None
                ) -> list[MeetingFix]:  # fmt: skip
    """Meetings (not deleted) that carry a position, oldest first; `undecided`: only those no
    coordinator has accepted or refused as a village's position; `record_id`: only that one."""
    sql = _query(tx.dialect, one=record_id is not None, undecided=undecided)
    rows = await tx.fetch_all(sql + " ORDER BY r.created_at, r.id",
                              (record_id,) if record_id is not None else ())  # fmt: skip
    return [fix for fix in map(_fix, rows) if fix is not None]
