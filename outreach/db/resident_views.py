"""SQL that reads residents as coordinators see them: summaries, pages of a filter, a
resident's meetings, history and doubtful matches."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from outreach.db.database import LIKE_ESCAPE, Row, Tx, like_literal
from outreach.db.residents import chunks, day, marks
from outreach.domain.records import phone_search
from outreach.domain.residents import (
    Candidate,
    CandidateOf,
    CandidatePage,
    HistoryLine,
    ResidentFilter,
    ResidentSummary,
    Sighting,
)

_SUMMARY = (
    "SELECT r.id, coalesce(r.name, (SELECT m.name FROM residents AS m"
    "   WHERE m.merged_into = r.id AND m.name IS NOT NULL ORDER BY m.id LIMIT 1)),"
    " coalesce(r.phone, (SELECT m.phone FROM residents AS m"
    "   WHERE m.merged_into = r.id AND m.phone IS NOT NULL ORDER BY m.id LIMIT 1)),"
    " r.village, r.district, r.stage, r.dropped, r.dropped_reason, r.programme,"
    " r.requested_tenge, r.financed_tenge, r.funding_source, r.next_contact, r.last_contact,"
    " r.erased_at,"
    " (SELECT count(*) FROM resident_sightings AS s WHERE s.resident_id = r.id),"
    " (SELECT count(*) FROM resident_candidates AS c WHERE c.status = 'open'"
    "   AND (c.a = r.id OR c.b = r.id))"
    " FROM residents AS r"
)
# in the Kazakh alphabet's order of the name shown (a resident without a name of their own shows
# the first one merged into them), the nameless after the named and the erased last; the key is
# compared code point by code point on both engines (outreach/domain/name_order.py)
_ORDER = (
    " ORDER BY r.erased_at IS NOT NULL, coalesce(r.name_order, (SELECT m.name_order"
    "   FROM residents AS m WHERE m.merged_into = r.id AND m.name IS NOT NULL"
    "   ORDER BY m.id LIMIT 1)) NULLS LAST, r.id"
)


async def summaries(tx: Tx, ids: Sequence[int]) -> dict[int, ResidentSummary]:
    out: dict[int, ResidentSummary] = {}
    for part in chunks(list(ids)):
        rows = await tx.fetch_all(_SUMMARY + f" WHERE r.id IN ({marks(part)})", list(part))
        teams = await _teams(tx, [int(r[0]) for r in rows])
        out.update({int(r[0]): _summary(r, teams.get(int(r[0]), [])) for r in rows})
    return out


async def _teams(tx: Tx, ids: Sequence[int]) -> dict[int, list[str]]:
    if not ids:
        return {}
    rows = await tx.fetch_all(
        "SELECT DISTINCT s.resident_id, t.name FROM resident_sightings AS s"
        f" JOIN teams AS t ON t.id = s.team_id WHERE s.resident_id IN ({marks(ids)})"
        " ORDER BY t.name",
        list(ids),
    )
    out: dict[int, list[str]] = {}
    for r in rows:
        out.setdefault(int(r[0]), []).append(r[1])
    return out


def _summary(r: Row, teams: list[str]) -> ResidentSummary:
    return ResidentSummary(
        id=int(r[0]), name=r[1], phone=r[2], village=r[3], district=r[4], teams=teams,
        stage=r[5], dropped=bool(r[6]), dropped_reason=r[7], programme=r[8],
        requested_tenge=r[9], financed_tenge=r[10], funding_source=r[11],
        next_contact=day(r[12]), last_contact=day(r[13]), erased=r[14] is not None,
        meetings=int(r[15]), open_candidates=int(r[16]),
    )  # fmt: skip


def _where(f: ResidentFilter) -> tuple[str, dict[str, Any]]:
    clauses = ["r.merged_into IS NULL"]
    params: dict[str, Any] = {}
    if f.q:
        digits, national = phone_search(f.q)
        clauses.append(f"(r.name_key LIKE :q{LIKE_ESCAPE} OR r.name LIKE :raw{LIKE_ESCAPE}"
                       f" OR r.phone LIKE :digits OR r.phone LIKE :national)")  # fmt: skip
        params |= {"q": f"%{like_literal(f.q.casefold())}%", "raw": f"%{like_literal(f.q)}%",
                   "digits": f"%{digits}%" if digits else "-",
                   "national": f"{national}%" if national else "-"}  # fmt: skip
    if f.district:
        clauses.append("r.district = :district")
        params["district"] = f.district
    if f.stage:
        clauses.append("(CASE WHEN r.dropped = 1 THEN 'dropped' ELSE r.stage END) = :stage")
        params["stage"] = f.stage
    if f.team:
        clauses.append(
            "EXISTS (SELECT 1 FROM resident_sightings AS s JOIN teams AS t ON t.id = s.team_id"
            " WHERE s.resident_id = r.id AND t.name = :team)"
        )
        params["team"] = f.team
    return " WHERE " + " AND ".join(clauses), params


async def page(tx: Tx, f: ResidentFilter) -> tuple[list[ResidentSummary], int]:
    """A page of the filter in list order, and how many it holds. The page's ids are found
    first, and only they are summed up: the summary's counts, for every resident before the
    sort, took PostgreSQL a second at 200,000 residents."""
    where, params = _where(f)
    total = int(await tx.fetch_value("SELECT count(*) FROM residents AS r" + where, params))
    rows = await tx.fetch_all(
        "SELECT r.id FROM residents AS r" + where + _ORDER + " LIMIT :limit OFFSET :offset",
        params | {"limit": f.limit, "offset": f.offset},
    )
    ids = [int(r[0]) for r in rows]
    found = await summaries(tx, ids)
    return [found[i] for i in ids], total


async def sightings(tx: Tx, resident_id: int) -> list[Sighting]:
    rows = await tx.fetch_all(
        "SELECT s.meeting_id, s.item_id, t.name, s.met_on, s.village, s.programme"
        " FROM resident_sightings AS s JOIN teams AS t ON t.id = s.team_id"
        " WHERE s.resident_id = ? ORDER BY s.met_on, s.meeting_id",
        (resident_id,),
    )
    return [Sighting(meeting_id=r[0], item_id=r[1], team=r[2], met_on=day(r[3]) or date.min,
                     village=r[4], programme=r[5]) for r in rows]  # fmt: skip


async def history(tx: Tx, resident_id: int) -> list[HistoryLine]:
    rows = await tx.fetch_all(
        "SELECT id, at, on_date, by_actor, kind, stage, via, amount_tenge, funding_source,"
        " reason, note, next_contact, programme, import_id, other, origin FROM resident_events"
        " WHERE resident_id = ? ORDER BY id",
        (resident_id,),
    )
    return [HistoryLine(
        id=int(r[0]), at=r[1], on=day(r[2]), by=r[3], kind=r[4], stage=r[5], via=r[6],
        amount_tenge=r[7], funding_source=r[8], reason=r[9], note=r[10],
        next_contact=day(r[11]), programme=r[12], import_id=r[13], other=r[14],
        origin=int(r[15]),
    ) for r in rows]  # fmt: skip


async def merged_into(tx: Tx, resident_id: int) -> list[int]:
    rows = await tx.fetch_all(
        "SELECT id FROM residents WHERE merged_into = ? ORDER BY id", (resident_id,)
    )
    return [int(r[0]) for r in rows]


async def candidate_rows(tx: Tx, resident_id: int) -> list[Row]:
    """Open doubtful matches of one resident."""
    return await tx.fetch_all(
        "SELECT id, a, b, reason FROM resident_candidates WHERE status = 'open'"
        " AND (a = ? OR b = ?) ORDER BY id", (resident_id,) * 2)  # fmt: skip


async def candidates(tx: Tx, limit: int, after: int) -> CandidatePage:
    """Open doubtful matches after the id `after`, oldest first, at most `limit`; and how
    many are open in all."""
    rows = await tx.fetch_all(
        "SELECT id, a, b, reason FROM resident_candidates WHERE status = 'open' AND id > ?"
        " ORDER BY id LIMIT ?", (after, limit))  # fmt: skip
    total = await tx.fetch_value("SELECT count(*) FROM resident_candidates WHERE status = 'open'")
    people = await summaries(tx, sorted({int(r[1]) for r in rows} | {int(r[2]) for r in rows}))
    return CandidatePage(total=int(total), candidates=[
        Candidate(id=int(r[0]), a=people[int(r[1])], b=people[int(r[2])], reason=r[3])
        for r in rows])  # fmt: skip


async def candidates_of(tx: Tx, resident_id: int) -> list[CandidateOf]:
    rows = await candidate_rows(tx, resident_id)
    others = [int(r[2]) if int(r[1]) == resident_id else int(r[1]) for r in rows]
    people = await summaries(tx, others)
    return [CandidateOf(id=int(r[0]), other=people[o], reason=r[3])
            for r, o in zip(rows, others, strict=True)]  # fmt: skip


_ACTORS = {
    "user": "SELECT id, login FROM users WHERE id IN ({})",
    "team": "SELECT id, name FROM teams WHERE id IN ({})",
    "device": "SELECT d.id, u.login FROM devices AS d JOIN users AS u ON u.id = d.user_id"
    " WHERE d.id IN ({})",
}


async def actor_names(tx: Tx, actors: Sequence[str]) -> dict[str, str]:
    """Names of history lines' authors (`user:3`, `team:1`, `device:12`): a login, a team."""
    wanted: dict[str, set[int]] = {}
    for actor in actors:
        kind, _, number = actor.partition(":")
        if kind in _ACTORS and number.isdigit():
            wanted.setdefault(kind, set()).add(int(number))
    out: dict[str, str] = {}
    for kind, ids in wanted.items():
        rows = await tx.fetch_all(_ACTORS[kind].format(marks(sorted(ids))), sorted(ids))
        out.update({f"{kind}:{r[0]}": r[1] for r in rows})
    return out
