"""Coverage as files: CSV of one level, an Excel workbook with a sheet per level, GeoJSON of
villages with their coverage. The numbers are the API's, cell for cell."""

from __future__ import annotations

import csv
import io
from typing import Any, Literal, get_args

import msgspec
from openpyxl import Workbook

from outreach.domain.coverage import Coverage, FunnelRow, Rollup, VillageCoverage
from outreach.domain.gazetteer import Village
from outreach.domain.geojson import Feature, FeatureCollection, village_feature
from outreach.domain.records import PROGRAMMES

Level = Literal[
    "headline",
    "districts",
    "okrugs",
    "teams",
    "campaigns",
    "weeks",
    "villages",
    "funnel_by_district",
    "funnel_by_programme",
]
LEVELS: tuple[Level, ...] = get_args(Level)
ROLLUP_COLUMNS = [f for f in Rollup.__struct_fields__ if f != "referrals"] + [
    f"referrals_{p}" for p in PROGRAMMES
]
VILLAGE_COLUMNS = ["kato", "name_kk", "name_ru", "name_en", *VillageCoverage.__struct_fields__[1:]]


def _rollup_row(r: Rollup) -> list[Any]:
    row = [getattr(r, f) for f in ROLLUP_COLUMNS if not f.startswith("referrals_")]
    return row + [r.referrals.get(p, 0) for p in PROGRAMMES]


def _village_row(v: VillageCoverage, names: dict[str, Village]) -> list[Any]:
    known = names.get(v.kato)
    spelled = [known.names.kk, known.names.ru, known.names.en] if known else [None] * 3
    return [v.kato, *spelled, *(getattr(v, f) for f in VillageCoverage.__struct_fields__[1:])]


def table(
    coverage: Coverage, level: Level, villages: dict[str, Village]
) -> tuple[list[str], list[list[Any]]]:
    """(header, rows) of one level."""
    if level == "villages":
        return VILLAGE_COLUMNS, [_village_row(v, villages) for v in coverage.villages]
    if level.startswith("funnel"):
        rows: list[FunnelRow] = getattr(coverage, level)
        return list(FunnelRow.__struct_fields__), [list(msgspec.structs.astuple(r)) for r in rows]
    found = [coverage.headline] if level == "headline" else getattr(coverage, level)
    return ROLLUP_COLUMNS, [_rollup_row(r) for r in found]


def _text(value: Any) -> Any:
    return value.isoformat() if hasattr(value, "isoformat") else value


def to_csv(coverage: Coverage, level: Level, villages: dict[str, Village]) -> str:
    """One level as CSV (empty cells where a value is unknown)."""
    header, rows = table(coverage, level, villages)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows([["" if c is None else _text(c) for c in row] for row in rows])
    return out.getvalue()


def to_xlsx(coverage: Coverage, villages: dict[str, Village]) -> bytes:
    """A workbook with one sheet per level."""
    book = Workbook()
    book.remove(book.active)
    for level in LEVELS:
        sheet = book.create_sheet(level)
        header, rows = table(coverage, level, villages)
        sheet.append(header)
        for row in rows:
            sheet.append([_text(c) for c in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def to_geojson(coverage: Coverage, villages: dict[str, Village]) -> FeatureCollection:
    """Villages at their positions (approximate ones marked) with their coverage."""
    features = []
    for v in coverage.villages:
        known = villages.get(v.kato)
        if known is None:
            continue
        base = village_feature(known)
        properties = {**base.properties, **msgspec.to_builtins(v)}
        features.append(Feature(id=v.kato, geometry=base.geometry, properties=properties))
    return FeatureCollection(features=features)
