"""SQL of the gazetteer: regions, districts, okrugs, villages and their corrections."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from outreach.db.database import Row, Tx, for_update
from outreach.domain.gazetteer import (
    District,
    Names,
    Okrug,
    PlanningSite,
    Position,
    Region,
    Village,
    VillageFilter,
)
from outreach.domain.gazetteer_csv import DistrictRecord, OkrugRecord, SettlementRecord
from outreach.domain.names import fold, search_key

_VILLAGE_SELECT = """
SELECT v.*, l.location_quality, l.fallback_lat, l.fallback_lon
FROM villages AS v JOIN village_locations AS l ON l.kato = v.kato
"""
VILLAGE_COLUMNS = (
    "kato", "district_kato", "okrug_kato", "name_kk", "name_ru", "name_en", "kind", "lat", "lon",
    "population", "population_year", "coord_source", "population_source", "search_key",
)  # fmt: skip


def _names(row: Row) -> Names:
    return Names(ru=row["name_ru"], kk=row["name_kk"], en=row["name_en"])


def _position(lat: float | None, lon: float | None) -> Position | None:
    return None if lat is None or lon is None else Position(lat=lat, lon=lon)


def _village(row: Row) -> Village:
    return Village(
        kato=row["kato"],
        names=_names(row),
        kind=row["kind"],
        district_kato=row["district_kato"],
        okrug_kato=row["okrug_kato"],
        position=_position(row["lat"], row["lon"]),
        location_quality=row["location_quality"],
        fallback_position=_position(row["fallback_lat"], row["fallback_lon"]),
        population=row["population"],
        population_year=row["population_year"],
        coord_source=row["coord_source"],
        population_source=row["population_source"],
        version=row["version"],
        updated_at=row["updated_at"],
    )


async def list_regions(tx: Tx) -> list[Region]:
    """Every region."""
    rows = await tx.fetch_all("SELECT * FROM regions ORDER BY kato")
    return [Region(kato=row["kato"], names=_names(row)) for row in rows]


async def list_districts(tx: Tx, kato: str | None = None) -> list[District]:
    """Every district (or the one named), with counts of okrugs and settlements."""
    rows = await tx.fetch_all(
        """SELECT d.*,
             (SELECT count(*) FROM okrugs o WHERE o.district_kato = d.kato) AS okrug_count,
             (SELECT count(*) FROM villages v WHERE v.district_kato = d.kato) AS settlement_count
           FROM districts AS d WHERE (CAST(:kato AS TEXT) IS NULL OR d.kato = :kato)
           ORDER BY d.kato""",
        {"kato": kato},
    )
    return [
        District(
            kato=row["kato"],
            region_kato=row["region_kato"],
            names=_names(row),
            centre_name=row["centre_name"],
            centre=_position(row["centre_lat"], row["centre_lon"]),
            okrug_count=row["okrug_count"],
            settlement_count=row["settlement_count"],
        )
        for row in rows
    ]


async def list_okrugs(
    tx: Tx, *, district: str | None = None, kato: str | None = None
) -> list[Okrug]:
    """Okrugs, all or of one district (or the one named), with their settlement counts."""
    rows = await tx.fetch_all(
        """SELECT o.*, (SELECT count(*) FROM villages v WHERE v.okrug_kato = o.kato) AS n,
                  c.lat AS centre_lat, c.lon AS centre_lon
           FROM okrugs AS o LEFT JOIN villages AS c ON c.kato = o.centre_kato
           WHERE (CAST(:district AS TEXT) IS NULL OR o.district_kato = :district)
             AND (CAST(:kato AS TEXT) IS NULL OR o.kato = :kato)
           ORDER BY o.kato""",
        {"district": district, "kato": kato},
    )
    return [
        Okrug(
            kato=row["kato"],
            district_kato=row["district_kato"],
            names=_names(row),
            centre_kato=row["centre_kato"],
            centre=_position(row["centre_lat"], row["centre_lon"]),
            settlement_count=row["n"],
        )
        for row in rows
    ]


def _village_where(where: VillageFilter) -> tuple[str, dict[str, Any]]:
    clauses, params = [], {}
    if where.district is not None:
        clauses.append("v.district_kato = :district")
        params["district"] = where.district
    if where.okrug is not None:
        clauses.append("v.okrug_kato = :okrug")
        params["okrug"] = where.okrug
    if where.kind is not None:
        clauses.append("v.kind = :kind")
        params["kind"] = where.kind
    if where.location_quality is not None:
        clauses.append("l.location_quality = :quality")
        params["quality"] = where.location_quality
    if where.query:
        # fold() leaves only [a-z0-9], so the pattern carries no LIKE wildcards of its own
        clauses.append("v.search_key LIKE :query")
        params["query"] = f"%{fold(where.query)}%"
    return (" WHERE " + " AND ".join(clauses) if clauses else ""), params


async def list_villages(
    tx: Tx, where: VillageFilter, *, limit: int, offset: int
) -> tuple[list[Village], int]:
    """One page of the villages matching `where`, in KATO order, and how many match in all."""
    sql_where, params = _village_where(where)
    total = await tx.fetch_value(
        "SELECT count(*) FROM villages AS v JOIN village_locations AS l ON l.kato = v.kato"
        + sql_where,
        params,
    )
    rows = await tx.fetch_all(
        _VILLAGE_SELECT + sql_where + " ORDER BY v.kato LIMIT :limit OFFSET :offset",
        {**params, "limit": limit, "offset": offset},
    )
    return [_village(row) for row in rows], int(total)


async def get_village(tx: Tx, kato: str) -> Village | None:
    """One village by KATO code."""
    row = await tx.fetch_one(_VILLAGE_SELECT + " WHERE v.kato = ?", (kato,))
    return None if row is None else _village(row)


async def get_villages(tx: Tx, katos: Iterable[str]) -> dict[str, Village]:
    """The named villages that exist, by KATO code (in one query per 500)."""
    wanted = sorted(set(katos))
    found: dict[str, Village] = {}
    for start in range(0, len(wanted), 500):
        chunk = wanted[start : start + 500]
        marks = ",".join("?" * len(chunk))
        rows = await tx.fetch_all(_VILLAGE_SELECT + f" WHERE v.kato IN ({marks})", chunk)
        found.update((row["kato"], _village(row)) for row in rows)
    return found


async def lock_village(tx: Tx, kato: str) -> bool:
    """Lock a village's row until the transaction ends (on PostgreSQL), so that a version
    check and the write after it are one step; False if there is no such village."""
    found = await tx.fetch_value(
        "SELECT kato FROM villages WHERE kato = ?" + for_update(tx), (kato,)
    )
    return found is not None


async def district_centre(tx: Tx, kato: str) -> Position | None:
    """The stored centre of a district."""
    row = await tx.fetch_one("SELECT centre_lat, centre_lon FROM districts WHERE kato = ?", (kato,))
    return None if row is None else _position(row[0], row[1])


async def district_positions(tx: Tx, district: str, besides: str) -> list[Position]:
    """The surveyed positions of a district's settlements other than `besides`."""
    rows = await tx.fetch_all(
        "SELECT lat, lon FROM villages WHERE district_kato = ? AND kato <> ?"
        " AND lat IS NOT NULL AND lon IS NOT NULL",
        (district, besides),
    )
    return [Position(lat=row[0], lon=row[1]) for row in rows]


async def village_rows(tx: Tx, katos: list[str]) -> dict[str, dict[str, Any]]:
    """The stored columns of the named villages (those that exist), for comparing on import."""
    found: dict[str, dict[str, Any]] = {}
    for start in range(0, len(katos), 500):
        chunk = katos[start : start + 500]
        marks = ",".join("?" * len(chunk))
        rows = await tx.fetch_all(f"SELECT * FROM villages WHERE kato IN ({marks})", chunk)
        found.update({row["kato"]: {col: row[col] for col in VILLAGE_COLUMNS} for row in rows})
    return found


async def positions_with_district_centres(
    tx: Tx, katos: list[str]
) -> list[tuple[str, Position, Position | None]]:
    """(settlement, its position, its district's centre) for the named settlements that have a
    position, as stored now."""
    found = []
    for start in range(0, len(katos), 500):
        chunk = katos[start : start + 500]
        marks = ",".join("?" * len(chunk))
        rows = await tx.fetch_all(
            f"""SELECT v.kato, v.lat, v.lon, d.centre_lat, d.centre_lon
                FROM villages AS v JOIN districts AS d ON d.kato = v.district_kato
                WHERE v.lat IS NOT NULL AND v.kato IN ({marks})""",
            chunk,
        )
        found += [
            (row[0], Position(lat=row[1], lon=row[2]), _position(row[3], row[4])) for row in rows
        ]
    return found


async def corrected_fields(tx: Tx) -> set[tuple[str, str]]:
    """(village, field) pairs a coordinator has corrected."""
    rows = await tx.fetch_all("SELECT DISTINCT village_kato, field FROM village_corrections")
    return {(row[0], row[1]) for row in rows}


def settlement_row(record: SettlementRecord) -> dict[str, Any]:
    """The stored columns of an imported settlement."""
    position = record.position
    return {
        "kato": record.kato,
        "district_kato": record.district_kato,
        "okrug_kato": record.okrug_kato,
        "name_kk": record.names.kk,
        "name_ru": record.names.ru,
        "name_en": record.names.en,
        "kind": record.kind,
        "lat": position.lat if position else None,
        "lon": position.lon if position else None,
        "population": record.population,
        "population_year": record.population_year,
        "coord_source": record.coord_source,
        "population_source": record.population_source,
        "search_key": search_key(record.names.kk, record.names.ru, record.names.en),
    }


async def insert_village(tx: Tx, row: dict[str, Any], now: str) -> None:
    """Add a settlement."""
    columns = ", ".join(VILLAGE_COLUMNS)
    marks = ", ".join(f":{col}" for col in VILLAGE_COLUMNS)
    await tx.execute(
        f"INSERT INTO villages ({columns}, updated_at) VALUES ({marks}, :now)", {**row, "now": now}
    )


async def update_village(tx: Tx, kato: str, changes: dict[str, Any], now: str) -> None:
    """Change some columns of a settlement and move its version on."""
    sets = ", ".join(f"{col} = :{col}" for col in changes)
    await tx.execute(
        f"UPDATE villages SET {sets}, version = version + 1, updated_at = :now WHERE kato = :kato",
        {**changes, "now": now, "kato": kato},
    )


async def add_correction(
    tx: Tx, kato: str, field: str, old: str | None, new: str | None, now: str
) -> None:
    """Record a coordinator's correction of one field."""
    await tx.execute(
        "INSERT INTO village_corrections (village_kato, field, old_value, new_value, corrected_at)"
        " VALUES (?, ?, ?, ?, ?)",
        (kato, field, old, new, now),
    )


async def upsert_region(tx: Tx, region: Region, *, keep_names: bool) -> int:
    """Add a region, or rename it unless `keep_names`; return rows changed."""
    names = region.names
    return await tx.execute(
        """INSERT INTO regions (kato, name_kk, name_ru, name_en) VALUES (?, ?, ?, ?)
           ON CONFLICT (kato) DO UPDATE SET
             name_kk = excluded.name_kk, name_ru = excluded.name_ru, name_en = excluded.name_en
           WHERE NOT ? AND (regions.name_kk, regions.name_ru, regions.name_en)
                 IS DISTINCT FROM (excluded.name_kk, excluded.name_ru, excluded.name_en)""",
        (region.kato, names.kk, names.ru, names.en, keep_names),
    )


async def upsert_district(tx: Tx, region_kato: str, district: DistrictRecord) -> int:
    """Add or update a district; return rows changed (0 when it is already so). A district
    derived from settlement rows alone only fills in a new one."""
    centre = district.centre
    values = (
        district.kato, region_kato, district.names.kk, district.names.ru, district.names.en,
        district.centre_name, centre.lat if centre else None, centre.lon if centre else None,
        district.derived,
    )  # fmt: skip
    return await tx.execute(
        """INSERT INTO districts (kato, region_kato, name_kk, name_ru, name_en, centre_name,
                                  centre_lat, centre_lon) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
           ON CONFLICT (kato) DO UPDATE SET
             region_kato = excluded.region_kato, name_kk = excluded.name_kk,
             name_ru = excluded.name_ru, name_en = excluded.name_en,
             centre_name = excluded.centre_name, centre_lat = excluded.centre_lat,
             centre_lon = excluded.centre_lon
           WHERE NOT ? AND
             (districts.region_kato, districts.name_kk, districts.name_ru, districts.name_en,
              districts.centre_name, districts.centre_lat, districts.centre_lon)
             IS DISTINCT FROM (excluded.region_kato, excluded.name_kk, excluded.name_ru,
                     excluded.name_en, excluded.centre_name, excluded.centre_lat,
                     excluded.centre_lon)""",
        values,
    )


async def upsert_okrug(tx: Tx, okrug: OkrugRecord) -> int:
    """Add or update an okrug; return rows changed (0 when it is already so)."""
    return await tx.execute(
        """INSERT INTO okrugs (kato, district_kato, name_kk, name_ru, name_en, centre_kato)
           VALUES (?, ?, ?, ?, ?, ?)
           ON CONFLICT (kato) DO UPDATE SET
             district_kato = excluded.district_kato, name_kk = excluded.name_kk,
             name_ru = excluded.name_ru, name_en = excluded.name_en,
             centre_kato = excluded.centre_kato
           WHERE (okrugs.district_kato, okrugs.name_kk, okrugs.name_ru, okrugs.name_en,
                  okrugs.centre_kato)
             IS DISTINCT FROM (excluded.district_kato, excluded.name_kk, excluded.name_ru,
                     excluded.name_en, excluded.centre_kato)""",
        (okrug.kato, okrug.district_kato, okrug.names.kk, okrug.names.ru, okrug.names.en,
         okrug.centre_kato),
    )  # fmt: skip


async def record_import(tx: Tx, source: str, sha256: str, counts: dict[str, int], now: str) -> None:
    """Keep a line of import history."""
    await tx.execute(
        "INSERT INTO gazetteer_imports (source, sha256, rows, created, updated, unchanged,"
        " imported_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
        (source, sha256, counts["rows"], counts["created"], counts["updated"],
         counts["unchanged"], now),
    )  # fmt: skip


async def version(tx: Tx) -> int:
    """The gazetteer's version: it moves on with every change."""
    return int(await tx.fetch_value("SELECT version FROM gazetteer_state WHERE id = 1"))


async def bump_version(tx: Tx) -> int:
    """Move the gazetteer's version on; return the new one."""
    await tx.execute("UPDATE gazetteer_state SET version = version + 1 WHERE id = 1")
    return await version(tx)


async def counts(tx: Tx) -> dict[str, int]:
    """How many regions, districts, okrugs and settlements are stored."""
    return (await version_and_counts(tx))[1]


async def version_and_counts(tx: Tx) -> tuple[int, dict[str, int]]:
    """The gazetteer's version and what it holds, in one statement (health checks ask often,
    and each statement is a trip to the connection's thread)."""
    row = await tx.fetch_one(
        """SELECT (SELECT version FROM gazetteer_state WHERE id = 1),
                  (SELECT count(*) FROM regions), (SELECT count(*) FROM districts),
                  (SELECT count(*) FROM okrugs), (SELECT count(*) FROM villages)"""
    )
    assert row is not None
    return int(row[0]), {"regions": row[1], "districts": row[2], "okrugs": row[3],
                         "settlements": row[4]}  # fmt: skip


async def planning_sites(tx: Tx, districts: list[str]) -> list[PlanningSite]:
    """Settlements with what grouping needs (best position, quality, okrug, population,
    whether it is its okrug's centre), of the named districts or of all."""
    marks = ",".join("?" * len(districts))
    where = f"WHERE v.district_kato IN ({marks})" if districts else ""
    rows = await tx.fetch_all(
        f"""SELECT v.kato, v.district_kato, v.okrug_kato, v.name_kk, v.name_ru, v.name_en,
                   v.kind, v.population, l.location_quality,
                   coalesce(v.lat, l.fallback_lat) AS lat, coalesce(v.lon, l.fallback_lon) AS lon,
                   (o.centre_kato = v.kato) AS is_okrug_centre
            FROM villages AS v
            JOIN village_locations AS l ON l.kato = v.kato
            LEFT JOIN okrugs AS o ON o.kato = v.okrug_kato
            {where} ORDER BY v.kato""",
        districts,
    )
    return [
        PlanningSite(
            kato=row["kato"], names=_names(row), kind=row["kind"],
            district_kato=row["district_kato"], okrug_kato=row["okrug_kato"],
            position=_position(row["lat"], row["lon"]),
            location_quality=row["location_quality"], population=row["population"],
            is_okrug_centre=bool(row["is_okrug_centre"]),
        )
        for row in rows
    ]  # fmt: skip


# the login of the field user whose phone sent record `r` first
FIRST_SENDER = (
    "(SELECT u.login FROM sync_mutations AS m JOIN devices AS d ON d.id = m.device_id"
    " JOIN users AS u ON u.id = d.user_id WHERE m.record_id = r.id"
    " ORDER BY m.received_at, m.mutation_id LIMIT 1)"
)
# record `r` is a suggested position nobody has accepted or refused yet
UNDECIDED = (
    " AND NOT EXISTS (SELECT 1 FROM position_suggestion_decisions AS d WHERE d.record_id = r.id)"
)
# positions field teams suggested: village_position records nobody has decided on yet
_OPEN_SUGGESTIONS = (
    f"SELECT r.id, r.doc, r.created_at, t.name AS team, {FIRST_SENDER} AS by_login"
    " FROM sync_records AS r JOIN teams AS t ON t.id = r.team_id"
    " WHERE r.kind = 'village_position' AND r.deleted = 0" + UNDECIDED
)


async def open_suggestions(tx: Tx, record_id: str | None = None) -> list[Row]:
    """Suggested positions not yet accepted or refused (one, if `record_id`), oldest first."""
    if record_id is not None:
        return await tx.fetch_all(_OPEN_SUGGESTIONS + " AND r.id = ?", (record_id,))
    return await tx.fetch_all(_OPEN_SUGGESTIONS + " ORDER BY r.created_at, r.id")


async def decide_suggestion(tx: Tx, record_id: str, decision: str, comment: str | None,
                            by: str, now: str) -> None:  # fmt: skip
    """Record a coordinator's decision on a suggested position."""
    await tx.execute(
        "INSERT INTO position_suggestion_decisions (record_id, decision, comment, decided_by,"
        " decided_at) VALUES (?, ?, ?, ?, ?)",
        (record_id, decision, comment, by, now),
    )
