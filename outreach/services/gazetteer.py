"""Reading and correcting the gazetteer."""

from __future__ import annotations

from typing import Any

import msgspec

from outreach.db import accounts as accounts_sql
from outreach.db import gazetteer as sql
from outreach.db.database import Database, Tx
from outreach.domain import populations_csv
from outreach.domain.accounts import Actor
from outreach.domain.errors import InvalidInput, NotFound, VersionConflict
from outreach.domain.gazetteer import (
    District,
    Okrug,
    Page,
    Position,
    PositionSuggestion,
    Region,
    SuggestionDecision,
    SuggestionPage,
    Village,
    VillageFilter,
    VillagePatch,
)
from outreach.domain.names import search_key
from outreach.domain.plausibility import correction_problem, distance_m
from outreach.domain.populations_csv import PopulationChange, PopulationImport
from outreach.services import meeting_positions
from outreach.services.clock import now_iso, today_local


class ImplausiblePosition(InvalidInput):
    """A corrected position lies too far from its district's centre: past the limit every
    import applies (refused even with `force`: `details` say `forceable: false`), or only
    past the district's own spread (`force` keeps it)."""

    code = "implausible_position"


class VillagePage(msgspec.Struct, frozen=True, kw_only=True):
    """One page of villages; `total` counts every match, `next_offset` is null on the last page."""

    items: list[Village]
    total: int
    limit: int
    offset: int
    next_offset: int | None


async def list_regions(db: Database) -> list[Region]:
    """Every region."""
    async with db.read() as tx:
        return await sql.list_regions(tx)


async def list_districts(db: Database) -> list[District]:
    """Every district and city administration."""
    async with db.read() as tx:
        return await sql.list_districts(tx)


async def get_district(db: Database, kato: str) -> District:
    """One district; NotFound if there is none with that code."""
    async with db.read() as tx:
        found = await sql.list_districts(tx, kato)
    if not found:
        raise NotFound(f"no district {kato}")
    return found[0]


async def list_okrugs(db: Database, district: str | None = None) -> list[Okrug]:
    """Rural okrugs, all or of one district."""
    async with db.read() as tx:
        return await sql.list_okrugs(tx, district=district)


async def get_okrug(db: Database, kato: str) -> Okrug:
    """One rural okrug; NotFound if there is none with that code."""
    async with db.read() as tx:
        found = await sql.list_okrugs(tx, kato=kato)
    if not found:
        raise NotFound(f"no rural okrug {kato}")
    return found[0]


async def list_villages(db: Database, where: VillageFilter, page: Page) -> VillagePage:
    """A page of villages matching the filter."""
    async with db.read() as tx:
        items, total = await sql.list_villages(tx, where, limit=page.limit, offset=page.offset)
    following = page.offset + len(items)
    return VillagePage(
        items=items,
        total=total,
        limit=page.limit,
        offset=page.offset,
        next_offset=following if following < total else None,
    )


async def all_villages(db: Database) -> list[Village]:
    """Every settlement of the gazetteer, in KATO order."""
    async with db.read() as tx:
        found, _ = await sql.list_villages(tx, VillageFilter(), limit=1_000_000, offset=0)
    return found


async def version(db: Database) -> int:
    """The gazetteer's version: it moves on with every change to its villages or districts."""
    async with db.read() as tx:
        return await sql.version(tx)


async def get_village(db: Database, kato: str) -> Village:
    """One village; NotFound if there is none with that code."""
    async with db.read() as tx:
        village = await sql.get_village(tx, kato)
    if village is None:
        raise NotFound(f"no settlement {kato}")
    return village


def _patch_changes(village: Village, patch: VillagePatch) -> dict[str, tuple[Any, Any]]:
    """field -> (old, new) for what the patch really changes."""
    changes: dict[str, tuple[Any, Any]] = {}
    if patch.position is not msgspec.UNSET and patch.position != village.position:
        changes["position"] = (village.position, patch.position)
    if patch.population is not msgspec.UNSET and patch.population != village.population:
        changes["population"] = (village.population, patch.population)
    if (
        patch.population_year is not msgspec.UNSET
        and patch.population_year != village.population_year
    ):
        changes["population_year"] = (village.population_year, patch.population_year)
    for field, now in (("name_kk", patch.name_kk), ("name_ru", patch.name_ru)):
        before = village.names.kk if field == "name_kk" else village.names.ru
        if now is not msgspec.UNSET and (now.strip() if now else None) != before:
            changes[field] = (before, now.strip() if now else None)
    return changes


def _columns(changes: dict[str, tuple[Any, Any]]) -> dict[str, Any]:
    columns: dict[str, Any] = {}
    for field, (_, new) in changes.items():
        if field == "position":
            columns["lat"] = None if new is None else new.lat
            columns["lon"] = None if new is None else new.lon
            columns["coord_source"] = None if new is None else "coordinator correction"
        else:
            columns[field] = new
            if field.startswith("name_"):
                columns["search_key"] = None  # set again below from all three names
            if field == "population":
                columns["population_source"] = None if new is None else "coordinator correction"
    return columns


def _text(value: Any) -> str | None:
    return None if value is None else msgspec.json.encode(value).decode()


async def patch_village(db: Database, kato: str, patch: VillagePatch, actor: Actor) -> Village:
    """Correct a village's position, population or names; every changed field is kept in its
    history, later imports of the gazetteer will not overwrite it, and the correction is
    audited (outcome `forced` when an implausible position was kept with `force`)."""
    async with db.write() as tx:
        village, forced = await _patch(tx, kato, patch)
        if forced is not None:
            await accounts_sql.audit(tx, at=village.updated_at, actor=actor,
                                     action="gazetteer.village_corrected", object_id=kato,
                                     outcome="forced" if forced else "ok")  # fmt: skip
        return village


async def _patch(tx: Tx, kato: str, patch: VillagePatch) -> tuple[Village, bool | None]:
    """The village after the patch, and whether an implausible position was kept by `force`
    (None when nothing changed)."""
    # locked first: concurrent corrections in other processes wait, then see the new version
    village = await sql.get_village(tx, kato) if await sql.lock_village(tx, kato) else None
    if village is None:
        raise NotFound(f"no settlement {kato}")
    if patch.expected_version is not None and patch.expected_version != village.version:
        raise VersionConflict(
            f"settlement {kato} is at version {village.version}, "
            f"not {patch.expected_version}: read it again and re-apply your correction",
            details=[{"current_version": village.version}],
        )
    _check_year(patch)
    changes = _patch_changes(village, patch)
    if not changes:
        return village, None
    forced = False
    if "position" in changes:
        try:
            await _check_plausible(tx, village, changes["position"][1])
        except ImplausiblePosition as refused:
            if not (patch.force and refused.details[0]["forceable"]):
                raise
            forced = True
    now = now_iso()
    columns = _columns(changes)
    if "search_key" in columns:
        names = {"kk": village.names.kk, "ru": village.names.ru, "en": village.names.en}
        names.update({f[5:]: changes[f][1] for f in ("name_kk", "name_ru") if f in changes})
        columns["search_key"] = search_key(names["kk"], names["ru"], names["en"])
    await sql.update_village(tx, kato, columns, now)
    for field, (old, new) in changes.items():
        await sql.add_correction(tx, kato, field, _text(old), _text(new), now)
    await sql.bump_version(tx)
    updated = await sql.get_village(tx, kato)
    assert updated is not None
    return updated, forced


def _check_year(patch: VillagePatch) -> None:
    """A population is counted in the past: the type bounds the year from below."""
    year = patch.population_year
    if isinstance(year, int) and year > today_local().year:
        raise InvalidInput(f"population_year {year} is in the future",
                           details=[{"field": "population_year", "value": year,
                                     "message": f"at most {today_local().year}"}])  # fmt: skip


async def _check_plausible(tx: Tx, village: Village, position: Position | None) -> None:
    if position is None:
        return
    centre = await sql.district_centre(tx, village.district_kato)
    others = await sql.district_positions(tx, village.district_kato, village.kato)
    problem = correction_problem(position, centre, others)
    if problem is None:
        return
    detail = {"field": "position", "message": problem.why,
              "distance_km": round(problem.distance_m / 1000, 1),
              "max_km": round(problem.max_m / 1000, 1), "forceable": problem.forceable}  # fmt: skip
    raise ImplausiblePosition(problem.why, details=[detail])


async def suggestions(db: Database, limit: int, offset: int = 0) -> SuggestionPage:
    """Positions field teams suggested that nobody has accepted or refused yet, oldest first,
    `limit` from the `offset`-th, and how many there are: their `village_position` records,
    and the positions their meetings at villages of approximate position were saved at
    (services.meeting_positions says which)."""
    async with db.read() as tx:
        rows = await sql.open_suggestions(tx)
        villages = {v.kato: v for v in (await sql.list_villages(
            tx, VillageFilter(), limit=1_000_000, offset=0))[0]}  # fmt: skip
        from_meetings = await meeting_positions.suggestions(tx)
    found = [s for s in (_suggestion(row, villages) for row in rows) if s is not None]
    every = sorted(found + from_meetings, key=lambda s: (s.at, s.id))
    return SuggestionPage(suggestions=every[offset : offset + limit], total=len(every))


def _suggestion(row: Any, villages: dict[str, Village]) -> PositionSuggestion | None:
    doc = msgspec.json.decode(row["doc"])
    village = villages.get(doc.get("village") or "")
    if village is None or doc.get("lat") is None or doc.get("lon") is None:
        return None  # a suggestion still being written by its phone, or of no settlement
    position = Position(lat=doc["lat"], lon=doc["lon"])
    current = village.position
    distance = distance_m(position, current) / 1000 if current else None
    return PositionSuggestion(id=row["id"], village=village.kato, names=village.names,
                              position=position, accuracy_m=doc.get("accuracy_m"),
                              note=doc.get("note"), current=current,
                              quality=village.location_quality,
                              distance_km=round(distance, 2) if distance is not None else None,
                              team=row["team"], by=row["by_login"],
                              at=row["created_at"])  # fmt: skip


async def decide_suggestion(db: Database, record_id: str, accept: bool,
                            decision: SuggestionDecision, actor: Actor) -> Village:  # fmt: skip
    """Accept a suggested position (the village takes it, as a correction: versioned, kept in
    its history and plausibility-checked) or refuse it; either way it is closed, with the
    comment, and audited. NotFound if it is not open."""
    async with db.write() as tx:
        suggestion = await _open_suggestion(tx, record_id)
        if suggestion is None:
            raise NotFound(f"no open position suggestion {record_id}")
        shown = (decision.village or suggestion.village, decision.position or suggestion.position)
        if shown != (suggestion.village, suggestion.position):  # a phone changed it since
            raise VersionConflict(
                f"the suggestion now puts {suggestion.village} at {suggestion.position.lat},"
                f" {suggestion.position.lon}: look at it again",
                details=[{"field": "position", "message": "changed since it was shown"}],
            )
        village = await sql.get_village(tx, suggestion.village)
        assert village is not None, "an open suggestion names a village of the gazetteer"
        if accept:
            village, _ = await _patch(
                tx, suggestion.village, VillagePatch(position=suggestion.position)
            )
        now = now_iso()
        comment = decision.comment.strip() if decision.comment else None
        await sql.decide_suggestion(tx, record_id, "accepted" if accept else "refused",
                                    comment or None, actor.login, now)  # fmt: skip
        done = "accepted" if accept else "refused"
        await accounts_sql.audit(tx, at=now, actor=actor, action=f"gazetteer.suggestion_{done}",
                                 object_id=suggestion.village)  # fmt: skip
    return village


async def _open_suggestion(tx: Tx, record_id: str) -> PositionSuggestion | None:
    """One open suggestion, of either source."""
    rows = await sql.open_suggestions(tx, record_id)
    if rows:
        kato = msgspec.json.decode(rows[0]["doc"]).get("village") or ""
        found = await sql.get_village(tx, kato)
        return _suggestion(rows[0], {kato: found} if found else {})
    return await meeting_positions.open_suggestion(tx, record_id)


async def import_populations(db: Database, data: bytes, *, apply: bool,
                             actor: Actor) -> PopulationImport:  # fmt: skip
    """A file of populations: what it would change (a preview), or, with `apply`, all of it
    in one transaction, each change kept in the settlement's history like a single
    correction (so later imports of the gazetteer keep it) and the whole import audited."""
    async with db.write() if apply else db.read() as tx:
        villages = {v.kato: v for v in (await sql.list_villages(
            tx, VillageFilter(), limit=1_000_000, offset=0))[0]}  # fmt: skip
        rows = populations_csv.parse(data, set(villages))
        changes: list[PopulationChange] = []
        for row in rows:
            village = villages[row.kato]
            year = row.year if row.year is not None else village.population_year
            if (row.population, year) == (village.population, village.population_year):
                continue
            changes.append(PopulationChange(kato=row.kato, name=village.names,
                                            before=village.population, after=row.population,
                                            year=year))  # fmt: skip
        if apply and changes:
            now = now_iso()
            for change in changes:
                village = villages[change.kato]
                await sql.lock_village(tx, change.kato)
                columns: dict[str, Any] = {"population": change.after,
                                           "population_source": "population import"}  # fmt: skip
                await sql.add_correction(tx, change.kato, "population", _text(village.population),
                                         _text(change.after), now)  # fmt: skip
                if change.year != village.population_year:
                    columns["population_year"] = change.year
                    await sql.add_correction(tx, change.kato, "population_year",
                                             _text(village.population_year), _text(change.year),
                                             now)  # fmt: skip
                await sql.update_village(tx, change.kato, columns, now)
            await sql.bump_version(tx)
            await accounts_sql.audit(tx, at=now, actor=actor, action="gazetteer.populations",
                                     object_id=f"{len(changes)} settlements")  # fmt: skip
    return PopulationImport(changes=changes, unchanged=len(rows) - len(changes),
                            applied=apply)  # fmt: skip
