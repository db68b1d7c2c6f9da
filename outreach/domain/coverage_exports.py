"""Coverage as files: CSV of one level, an Excel workbook with a sheet per level, GeoJSON of
villages with their coverage. The numbers are the API's, cell for cell; every row of a
village, okrug, district or programme carries its names in Kazakh, Russian and English beside
its code. The funnel (people per stage, tenge requested and financed, conversion between
stages) and the targets against actuals are counts and tenge only: never a resident's name or
phone. CSV starts with a UTF-8 byte-order mark (Excel on Windows reads Cyrillic right only
then), comes comma- or semicolon-separated (Excel in ru/kk locales splits on `;`) and writes
dates as ISO text; the workbook keeps numbers as numbers and dates as dates."""

from __future__ import annotations

import csv
import io
from datetime import date
from typing import Any, Literal, get_args

import msgspec

from outreach.domain.coverage import (
    STAGES,
    Coverage,
    FunnelRow,
    ProgressRow,
    Rollup,
    TargetRow,
    Versus,
    VillageCoverage,
)
from outreach.domain.gazetteer import Names, Village
from outreach.domain.geojson import Feature, FeatureCollection, village_feature
from outreach.domain.records import PROGRAMMES
from outreach.domain.spreadsheet import BOM, csv_cell, is_formula_like

Level = Literal[
    "headline",
    "districts",
    "okrugs",
    "teams",
    "campaigns",
    "weeks",
    "progress",
    "villages",
    "funnel",
    "funnel_by_district",
    "funnel_by_programme",
    "targets",
]
LEVELS: tuple[Level, ...] = get_args(Level)
ROLLUP_COLUMNS = [f for f in Rollup.__struct_fields__ if f != "referrals"] + [
    f"referrals_{p}" for p in PROGRAMMES
]
VILLAGE_COLUMNS = ["kato", "name_kk", "name_ru", "name_en", *VillageCoverage.__struct_fields__[1:]]
PROGRESS_COLUMNS = list(ProgressRow.__struct_fields__)
NAME_COLUMNS = ["name_kk", "name_ru", "name_en"]
# named one by one (not every field of the row), so that nothing personal can slip into a file
FUNNEL_FIGURES = ["interested", "contacted", "referred", "trained", "defended", "requested_tenge",
                  "financed", "financed_tenge", "dropped"]  # fmt: skip
FUNNEL_COLUMNS = ["key", *FUNNEL_FIGURES, *(f"conversion_{s}" for s in STAGES)]
TARGET_FIGURES = ["villages", "residents", "trained", "financed", "financed_tenge"]
TARGET_COLUMNS = ["district", *(f"{f}_{m}" for f in TARGET_FIGURES for m in ("target", "actual"))]
# levels keyed by a district's or an okrug's code, which get their names beside it (villages
# have theirs in their own columns; programmes get PROGRAMME_NAMES)
NAMED_LEVELS = frozenset({"districts", "okrugs", "funnel_by_district", "targets"})
# the funnel's key for residents who named no programme, worded as the dashboard words it
UNSPECIFIED = {"kk": "Көрсетілмеген", "ru": "Не указана", "en": "Not given"}
PROGRAMME_NAMES = {
    key: Names(ru=names["ru"], kk=names["kk"], en=names["en"])
    for key, names in {**PROGRAMMES, "unspecified": UNSPECIFIED}.items()
}
# how Excel shows a column (the cell keeps the number): tenge grouped, conversion as percent
TENGE_COLUMNS = [
    "requested_tenge",
    "financed_tenge",
    "financed_tenge_target",
    "financed_tenge_actual",
]
FORMATS = {**dict.fromkeys(TENGE_COLUMNS, "#,##0"), **{f"conversion_{s}": "0.0%" for s in STAGES}}
DATE_FORMAT = "yyyy-mm-dd"
Delimiter = Literal["comma", "semicolon"]


def _rollup_row(r: Rollup) -> list[Any]:
    row = [getattr(r, f) for f in ROLLUP_COLUMNS if not f.startswith("referrals_")]
    return row + [r.referrals.get(p, 0) for p in PROGRAMMES]


def _village_row(v: VillageCoverage, names: dict[str, Village]) -> list[Any]:
    known = names.get(v.kato)
    spelled = [known.names.kk, known.names.ru, known.names.en] if known else [None] * 3
    return [v.kato, *spelled, *(getattr(v, f) for f in VillageCoverage.__struct_fields__[1:])]


def _funnel_row(r: FunnelRow) -> list[Any]:
    figures = [getattr(r, f) for f in FUNNEL_FIGURES]
    return [r.key, *figures, *(r.conversion.get(s) for s in STAGES)]


def _target_row(r: TargetRow) -> list[Any]:
    figures: list[Versus] = [getattr(r, f) for f in TARGET_FIGURES]
    return [r.district, *(value for v in figures for value in (v.target, v.actual))]


def table(
    coverage: Coverage, level: Level, villages: dict[str, Village], areas: dict[str, Names]
) -> tuple[list[str], list[list[Any]]]:
    """(header, rows) of one level; `areas` names districts and okrugs by code."""
    if level == "villages":
        return VILLAGE_COLUMNS, [_village_row(v, villages) for v in coverage.villages]
    if level == "progress":
        return PROGRESS_COLUMNS, [[getattr(r, f) for f in PROGRESS_COLUMNS]
                                  for r in coverage.progress]  # fmt: skip
    if level.startswith("funnel"):
        funnel: list[FunnelRow] = (
            [coverage.funnel] if level == "funnel" else getattr(coverage, level)
        )
        header, rows = FUNNEL_COLUMNS, [_funnel_row(r) for r in funnel]
    elif level == "targets":
        header, rows = TARGET_COLUMNS, [_target_row(r) for r in coverage.targets]
    else:
        rollups: list[Rollup] = (
            [coverage.headline] if level == "headline" else getattr(coverage, level)
        )
        header, rows = ROLLUP_COLUMNS, [_rollup_row(r) for r in rollups]
    if level == "funnel_by_programme":
        areas = PROGRAMME_NAMES
    elif level not in NAMED_LEVELS:
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
    writer.writerows([["" if c is None else csv_cell(_text(c)) for c in row] for row in rows])
    return out.getvalue()


def to_xlsx(coverage: Coverage, villages: dict[str, Village], areas: dict[str, Names]) -> bytes:
    """A workbook with one sheet per level: numbers as numbers, dates as dates, the header row
    bold and frozen, columns as wide as what they hold."""
    from openpyxl import Workbook  # only for a workbook (0.08 s to load)
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    book = Workbook()
    book.remove(book.active)
    bold = Font(bold=True)
    for level in LEVELS:
        sheet = book.create_sheet(level)
        header, rows = table(coverage, level, villages, areas)
        sheet.append(header)
        for cell in sheet[1]:
            cell.font = bold
        for row in rows:
            sheet.append(row)
        for line in sheet.iter_rows(min_row=2):
            for cell in line:
                if isinstance(cell.value, date):
                    cell.number_format = DATE_FORMAT
                elif is_formula_like(cell.value):
                    cell.data_type = "s"  # a name, shown as written: never a formula
        sheet.freeze_panes = "B2"
        for index, name in enumerate(header):
            longest = max([len(name), *(len(str(r[index])) for r in rows if r[index] is not None)])
            letter = get_column_letter(index + 1)
            sheet.column_dimensions[letter].width = min(longest + 2, 60)
            if name in FORMATS:
                for (cell,) in sheet.iter_rows(min_row=2, min_col=index + 1, max_col=index + 1):
                    cell.number_format = FORMATS[name]
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
