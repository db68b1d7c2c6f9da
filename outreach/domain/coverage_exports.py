"""Coverage as files: CSV of one level, an Excel workbook with a sheet per level, GeoJSON of
villages with their coverage. The numbers are the API's, cell for cell; every row of a
village, okrug or district carries its names in Kazakh, Russian and English beside its code.
CSV starts with a UTF-8 byte-order mark (Excel on Windows reads Cyrillic right only then) and
comes comma- or semicolon-separated (Excel in ru/kk locales splits on `;`)."""

from __future__ import annotations

import csv
import io
from typing import Any, Literal, get_args

import msgspec
from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from outreach.domain.coverage import Coverage, FunnelRow, Rollup, VillageCoverage
from outreach.domain.gazetteer import Names, Village
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
NAME_COLUMNS = ["name_kk", "name_ru", "name_en"]
# levels keyed by a district's or an okrug's code, which get their names beside it
NAMED_LEVELS = frozenset({"districts", "okrugs", "funnel_by_district"})
Delimiter = Literal["comma", "semicolon"]
BOM = "\ufeff"


def _rollup_row(r: Rollup) -> list[Any]:
    row = [getattr(r, f) for f in ROLLUP_COLUMNS if not f.startswith("referrals_")]
    return row + [r.referrals.get(p, 0) for p in PROGRAMMES]


def _village_row(v: VillageCoverage, names: dict[str, Village]) -> list[Any]:
    known = names.get(v.kato)
    spelled = [known.names.kk, known.names.ru, known.names.en] if known else [None] * 3
    return [v.kato, *spelled, *(getattr(v, f) for f in VillageCoverage.__struct_fields__[1:])]


def table(
    coverage: Coverage, level: Level, villages: dict[str, Village], areas: dict[str, Names]
) -> tuple[list[str], list[list[Any]]]:
    """(header, rows) of one level; `areas` names districts and okrugs by code."""
    if level == "villages":
        return VILLAGE_COLUMNS, [_village_row(v, villages) for v in coverage.villages]
    if level.startswith("funnel"):
        funnel: list[FunnelRow] = getattr(coverage, level)
        header = list(FunnelRow.__struct_fields__)
        rows = [list(msgspec.structs.astuple(r)) for r in funnel]
    else:
        rollups: list[Rollup] = (
            [coverage.headline] if level == "headline" else getattr(coverage, level)
        )
        header, rows = ROLLUP_COLUMNS, [_rollup_row(r) for r in rollups]
    if level not in NAMED_LEVELS:
        return header, rows
    return [header[0], *NAME_COLUMNS, *header[1:]], [_named(row, areas) for row in rows]


def _named(row: list[Any], areas: dict[str, Names]) -> list[Any]:
    names = areas.get(row[0])
    spelled = [names.kk, names.ru, names.en] if names else [None] * 3
    return [row[0], *spelled, *row[1:]]


def _text(value: Any) -> Any:
    return value.isoformat() if hasattr(value, "isoformat") else value


def to_csv(coverage: Coverage, level: Level, villages: dict[str, Village],
           areas: dict[str, Names], delimiter: Delimiter = "comma") -> str:  # fmt: skip
    """One level as CSV, after a byte-order mark (empty cells where a value is unknown)."""
    header, rows = table(coverage, level, villages, areas)
    out = io.StringIO()
    out.write(BOM)
    writer = csv.writer(out, delimiter=";" if delimiter == "semicolon" else ",")
    writer.writerow(header)
    writer.writerows([["" if c is None else _text(c) for c in row] for row in rows])
    return out.getvalue()


def to_xlsx(coverage: Coverage, villages: dict[str, Village], areas: dict[str, Names]) -> bytes:
    """A workbook with one sheet per level: numbers as numbers, the header row frozen, columns
    as wide as what they hold."""
    book = Workbook()
    book.remove(book.active)
    for level in LEVELS:
        sheet = book.create_sheet(level)
        header, rows = table(coverage, level, villages, areas)
        sheet.append(header)
        for row in rows:
            sheet.append([_text(c) for c in row])
        sheet.freeze_panes = "B2"
        for index, name in enumerate(header):
            longest = max([len(name), *(len(str(r[index])) for r in rows if r[index] is not None)])
            sheet.column_dimensions[get_column_letter(index + 1)].width = min(longest + 2, 60)
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
