"""Importing a region's gazetteer from CSV, in one transaction; re-importing changes nothing."""

from __future__ import annotations

import hashlib
from typing import Any

import msgspec

from outreach.config import KYZYLORDA_DIR
from outreach.db import accounts as accounts_sql
from outreach.db import gazetteer as sql
from outreach.db.database import Database, Tx
from outreach.domain.accounts import Actor
from outreach.domain.errors import InvalidGazetteerFile
from outreach.domain.gazetteer import Names, Region
from outreach.domain.gazetteer_csv import GazetteerFile, decode_text, parse_gazetteer
from outreach.domain.plausibility import implausibility
from outreach.services.clock import now_iso

# Columns an import leaves alone once a coordinator has corrected the field they belong to.
_CORRECTABLE = {
    "position": ("lat", "lon", "coord_source"),
    "population": ("population", "population_source"),
    "population_year": ("population_year",),
    "name_kk": ("name_kk", "search_key"),
    "name_ru": ("name_ru", "search_key"),
}


class ImportSummary(msgspec.Struct, frozen=True, kw_only=True):
    """What an import did. `rows` = settlements in the file = created + updated + unchanged."""

    source: str
    rows: int
    created: int
    updated: int
    unchanged: int
    kept_corrections: int
    districts_changed: int
    okrugs_changed: int
    gazetteer_version: int


def parse_files(
    settlements: bytes,
    districts: bytes | None = None,
    region_names: Names | None = None,
    source: str = "settlements.csv",
) -> GazetteerFile:
    """Decode and parse uploaded files; InvalidGazetteerFile names every bad line and column."""
    return parse_gazetteer(
        decode_text(settlements, source),
        districts_text=None if districts is None else decode_text(districts, "districts.csv"),
        region_names=region_names,
        source=source,
    )


async def import_gazetteer(db: Database, data: GazetteerFile, *, sha256: str,
                           actor: Actor | None = None) -> ImportSummary:  # fmt: skip
    """Create or update every object of the file, all in one transaction; audited under
    `actor` when a person imported it (every settlement may move or be renamed)."""
    async with db.write() as tx:
        summary = await _import(tx, data, sha256=sha256)
        if actor is not None:
            await accounts_sql.audit(tx, at=now_iso(), actor=actor, action="gazetteer.import",
                                     object_id=f"{data.source}:{sha256[:12]}")  # fmt: skip
        return summary


async def _import(tx: Tx, data: GazetteerFile, *, sha256: str) -> ImportSummary:
    now = now_iso()
    names = data.region_names or Names(ru=f"Region {data.region_kato}")
    region = Region(kato=data.region_kato, names=names)
    changed = await sql.upsert_region(tx, region, keep_names=data.region_names is None)
    districts_changed = 0
    for district in data.districts:
        districts_changed += await sql.upsert_district(tx, data.region_kato, district)
    okrugs_changed = 0
    for okrug in data.okrugs:
        okrugs_changed += await sql.upsert_okrug(tx, okrug)
    stored = await sql.village_rows(tx, [s.kato for s in data.settlements])
    corrected = await sql.corrected_fields(tx)
    counts = {"rows": len(data.settlements), "created": 0, "updated": 0, "unchanged": 0}
    kept = 0
    for record in data.settlements:
        row = sql.settlement_row(record)
        old = stored.get(record.kato)
        if old is None:
            await sql.insert_village(tx, row, now)
            counts["created"] += 1
            continue
        for field, columns in _CORRECTABLE.items():
            if (record.kato, field) in corrected:
                kept += any(row[col] != old[col] for col in columns)
                row.update({col: old[col] for col in columns})
        diff: dict[str, Any] = {col: val for col, val in row.items() if old[col] != val}
        if diff:
            await sql.update_village(tx, record.kato, diff, now)
            counts["updated"] += 1
        else:
            counts["unchanged"] += 1
    await _check_positions(tx, data)
    changed += districts_changed + okrugs_changed + counts["created"] + counts["updated"]
    if changed:
        await sql.record_import(tx, data.source, sha256, counts, now)
        version = await sql.bump_version(tx)
    else:
        version = await sql.version(tx)
    return ImportSummary(
        source=data.source, kept_corrections=kept, districts_changed=districts_changed,
        okrugs_changed=okrugs_changed, gazetteer_version=version, **counts,
    )  # fmt: skip


async def _check_positions(tx: Tx, data: GazetteerFile) -> None:
    """After the writes, inside the transaction: every imported position must be plausible
    against its district's centre as stored now (which the same file may have changed)."""
    lines = {record.kato: record.line for record in data.settlements}
    stored = await sql.positions_with_district_centres(tx, list(lines))
    problems: list[dict[str, Any]] = sorted(
        (
            {"file": data.source, "line": lines[kato], "column": "lat", "message": why}
            for kato, position, centre in stored
            if (why := implausibility(position, centre))
        ),
        key=lambda item: int(item["line"]),
    )
    if problems:
        first = problems[0]
        raise InvalidGazetteerFile(
            f"{first['file']}: line {first['line']}, column lat: {first['message']}",
            details=problems,
        )


def packaged_kyzylorda() -> tuple[GazetteerFile, str]:
    """The Kyzylorda oblast gazetteer shipped with the package, and its digest."""
    settlements = (KYZYLORDA_DIR / "settlements.csv").read_bytes()
    districts = (KYZYLORDA_DIR / "districts.csv").read_bytes()
    region = msgspec.json.decode((KYZYLORDA_DIR / "region.json").read_bytes(), type=Region)
    data = parse_files(settlements, districts, region.names, source="kyzylorda/settlements.csv")
    return data, file_digest(settlements, districts)


async def load_packaged_if_empty(db: Database) -> ImportSummary | None:
    """Load the shipped Kyzylorda gazetteer into a database that has no settlements yet."""
    async with db.read() as tx:
        if (await sql.counts(tx))["settlements"]:
            return None
    data, digest = packaged_kyzylorda()
    async with db.write() as tx:
        if (await sql.counts(tx))["settlements"]:
            return None  # another process loaded it in between
        return await _import(tx, data, sha256=digest)


def file_digest(*parts: bytes) -> str:
    """SHA-256 of an import's files, kept in the import history."""
    return hashlib.sha256(b"".join(parts)).hexdigest()
