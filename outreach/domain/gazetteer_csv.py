"""Reading gazetteer CSV files (the columns of the shipped settlements.csv) into Structs."""

from __future__ import annotations

import csv
import io
import math
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

import msgspec

from outreach.domain.errors import InvalidGazetteerFile
from outreach.domain.gazetteer import FIRST_CENSUS_YEAR, KINDS, Kind, Names, Position
from outreach.domain.names import transliterate

SETTLEMENT_REQUIRED = ("kato", "name_ru", "kind", "district_kato", "district_ru")
SETTLEMENT_OPTIONAL = (
    "name_kk", "name_en", "district_kk", "rural_okrug_kato", "rural_okrug_kk",
    "rural_okrug_ru", "lat", "lon", "population", "population_year", "coord_source",
    "population_source",
)  # fmt: skip
DISTRICT_REQUIRED = ("kato", "name_ru")
DISTRICT_OPTIONAL = ("name_kk", "name_en", "center_name", "center_lat", "center_lon")
MAX_ERRORS = 50
MAX_TEXT = 300
# what a spreadsheet may separate cells with instead of commas (Excel in ru/kk locales: ';')
OTHER_SEPARATORS = {";": "';'", "\t": "tabs"}


class SettlementRecord(msgspec.Struct, frozen=True, kw_only=True):
    """One settlement row of an import file; `line` is where it stands in the file."""

    line: int
    kato: str
    names: Names
    kind: Kind
    district_kato: str
    okrug_kato: str | None
    position: Position | None
    population: int | None
    population_year: int | None
    coord_source: str | None
    population_source: str | None


class DistrictRecord(msgspec.Struct, frozen=True, kw_only=True):
    """One district of an import file, with its centre where known. `derived` when it comes
    from the settlement rows alone (no districts file): then it only fills in a new district."""

    kato: str
    names: Names
    centre_name: str | None = None
    centre: Position | None = None
    derived: bool = False


class OkrugRecord(msgspec.Struct, frozen=True, kw_only=True):
    """One rural okrug of an import file."""

    kato: str
    district_kato: str
    names: Names
    centre_kato: str | None


class GazetteerFile(msgspec.Struct, frozen=True, kw_only=True):
    """A whole import: one region's districts, okrugs and settlements."""

    source: str
    region_kato: str
    region_names: Names | None
    districts: tuple[DistrictRecord, ...]
    okrugs: tuple[OkrugRecord, ...]
    settlements: tuple[SettlementRecord, ...]


class _Problems:
    """Collects (line, column, message) until there are enough to stop."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.items: list[dict[str, Any]] = []

    def add(self, line: int, column: str | None, message: str) -> None:
        self.items.append({"file": self.file, "line": line, "column": column, "message": message})
        if len(self.items) >= MAX_ERRORS:
            self.raise_if_any()

    def raise_if_any(self) -> None:
        if self.items:
            first = self.items[0]
            where = f"line {first['line']}" + (
                f", column {first['column']}" if first["column"] else ""
            )
            more = f" (and {len(self.items) - 1} more problems)" if len(self.items) > 1 else ""
            raise InvalidGazetteerFile(
                f"{self.file}: {where}: {first['message']}{more}", details=self.items
            )


def decode_text(data: bytes, file: str) -> str:
    """UTF-8 text of an uploaded file (a byte-order mark is allowed)."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InvalidGazetteerFile(
            f"{file}: not UTF-8 text (byte {exc.start})",
            details=[{"file": file, "line": None, "column": None, "message": "not UTF-8 text"}],
        ) from exc


def _rows(
    text: str, required: tuple[str, ...], optional: tuple[str, ...], problems: _Problems
) -> Iterator[tuple[int, dict[str, str]]]:
    reader = csv.DictReader(io.StringIO(text, newline=""), strict=True)
    try:
        header = reader.fieldnames or []
    except csv.Error as exc:
        problems.add(1, None, f"unreadable header: {exc}")
        return
    if not header:
        problems.add(1, None, "the file is empty")
        return
    if (separator := _other_separator(header)) is not None:
        problems.add(
            1, None, f"the file is separated by {separator}: save it comma-separated (CSV UTF-8)"
        )
        return
    missing = [name for name in required if name not in header]
    unknown = [name for name in header if name not in required + optional]
    for name in missing:
        problems.add(1, name, "required column is missing")
    for name in unknown:
        problems.add(1, name, "unknown column (expected: " + ", ".join(required + optional) + ")")
    if missing or unknown:
        return
    try:
        for row in reader:
            if None in row or any(value is None for value in row.values()):
                problems.add(reader.line_num, None, f"expected {len(header)} cells")
                continue
            yield reader.line_num, {key: value.strip() for key, value in row.items()}
    except csv.Error as exc:
        problems.add(reader.line_num, None, f"malformed CSV: {exc}")


def _other_separator(header: Sequence[str]) -> str | None:
    """The separator a header that did not split on commas does split on, named for people."""
    if len(header) != 1:
        return None
    return next((name for sep, name in OTHER_SEPARATORS.items() if sep in header[0]), None)


class _Row:
    """Typed access to one row's cells, recording a problem for each bad one."""

    def __init__(self, line: int, cells: dict[str, str], problems: _Problems) -> None:
        self.line, self.cells, self.problems = line, cells, problems

    def text(self, column: str, *, required: bool = False) -> str | None:
        value = self.cells.get(column, "")
        if not value:
            if required:
                self.problems.add(self.line, column, "must not be empty")
            return None
        if len(value) > MAX_TEXT:
            self.problems.add(self.line, column, f"longer than {MAX_TEXT} characters")
            return None
        if any(unicodedata.category(char) == "Cc" for char in value):
            self.problems.add(self.line, column, "contains control characters")
            return None
        return value

    def kato(self, column: str, *, required: bool = True) -> str | None:
        value = self.text(column, required=required)
        if value is not None and not (len(value) == 9 and value.isascii() and value.isdigit()):
            self.problems.add(self.line, column, f"{value!r} is not a 9-digit KATO code")
            return None
        return value

    def number(
        self, column: str, low: float, high: float, cast: Callable[[str], Any] = float
    ) -> Any:
        value = self.text(column)
        if value is None:
            return None
        try:
            number = cast(value)
        except ValueError:
            self.problems.add(self.line, column, _not_a_number(value, cast))
            return None
        if not (math.isfinite(number) and low <= number <= high):
            self.problems.add(self.line, column, f"{value} is outside {low}..{high}")
            return None
        return number

    def position(self, lat_column: str, lon_column: str) -> Position | None:
        if bool(self.cells.get(lat_column)) != bool(self.cells.get(lon_column)):
            self.problems.add(
                self.line, lon_column, f"give both {lat_column} and {lon_column}, or neither"
            )
            return None
        lat = self.number(lat_column, -90, 90)
        lon = self.number(lon_column, -180, 180)
        return None if lat is None or lon is None else Position(lat=lat, lon=lon)


def _not_a_number(value: str, cast: Callable[[str], Any]) -> str:
    """What is wrong with a cell that is not the number its column holds, said so that one
    knows what to write instead."""
    if cast is int:
        return f"{value!r} is not a whole number"
    if "," in value:
        return f"{value!r} is not a number (decimals take a dot: {value.replace(',', '.')})"
    return f"{value!r} is not a number"


def parse_gazetteer(
    settlements_text: str,
    *,
    districts_text: str | None = None,
    region_names: Names | None = None,
    source: str = "settlements.csv",
) -> GazetteerFile:
    """Parse and check a whole import; InvalidGazetteerFile names every bad line and column."""
    district_problems = _Problems("districts.csv")
    districts_given = (
        _parse_districts(districts_text, district_problems) if districts_text is not None else {}
    )
    district_problems.raise_if_any()
    problems = _Problems(source)
    settlements: dict[str, SettlementRecord] = {}
    first_line: dict[str, int] = {}
    districts: dict[str, DistrictRecord] = {}
    okrugs: dict[str, OkrugRecord] = {}
    for line, cells in _rows(settlements_text, SETTLEMENT_REQUIRED, SETTLEMENT_OPTIONAL, problems):
        row = _Row(line, cells, problems)
        record = _settlement(row)
        if record is None:
            continue
        if record.kato in settlements:
            problems.add(line, "kato", f"{record.kato} repeats line {first_line[record.kato]}")
            continue
        settlements[record.kato] = record
        first_line[record.kato] = line
        _collect_district(row, record, districts, districts_given)
        _collect_okrug(row, record, okrugs)
    if not settlements and not problems.items:
        problems.add(1, None, "the file has no settlement rows")
    regions = {kato[:2] for kato in settlements}
    if len(regions) > 1:
        problems.add(1, "kato", f"one region per file; found codes of {sorted(regions)}")
    problems.raise_if_any()
    region_kato = next(iter(regions)) + "0000000"
    okrug_list = tuple(
        msgspec.structs.replace(o, centre_kato=o.kato[:6] + "100")
        if o.kato[:6] + "100" in settlements
        else o
        for o in okrugs.values()
    )
    return GazetteerFile(
        source=source,
        districts=tuple(_with_centre(d, settlements.values()) for d in districts.values()),
        region_kato=region_kato,
        region_names=region_names,
        okrugs=okrug_list,
        settlements=tuple(settlements.values()),
    )


def _settlement(row: _Row) -> SettlementRecord | None:
    count_before = len(row.problems.items)
    kato = row.kato("kato")
    district = row.kato("district_kato")
    okrug = row.kato("rural_okrug_kato", required=False)
    name_ru = row.text("name_ru", required=True)
    kind = row.text("kind", required=True)
    if kind is not None and kind not in KINDS:
        row.problems.add(row.line, "kind", f"{kind!r} is not one of {', '.join(KINDS)}")
    if kato and district and district != kato[:4] + "00000":
        row.problems.add(row.line, "district_kato", f"{district} is not the district of {kato}")
    if kato and okrug and okrug != kato[:6] + "000":
        row.problems.add(row.line, "rural_okrug_kato", f"{okrug} is not the okrug of {kato}")
    if okrug:
        row.text("rural_okrug_ru", required=True)
    row.text("district_ru", required=True)
    record = SettlementRecord(
        line=row.line,
        kato=kato or "",
        names=Names(ru=name_ru or "", kk=row.text("name_kk"), en=row.text("name_en")),
        kind=kind if kind in KINDS else "village",
        district_kato=district or "",
        okrug_kato=okrug,
        position=row.position("lat", "lon"),
        population=row.number("population", 0, 100_000_000, int),
        population_year=row.number("population_year", FIRST_CENSUS_YEAR, 2100, int),
        coord_source=row.text("coord_source"),
        population_source=row.text("population_source"),
    )
    return record if len(row.problems.items) == count_before else None


def _collect_district(
    row: _Row,
    record: SettlementRecord,
    districts: dict[str, DistrictRecord],
    given: dict[str, DistrictRecord],
) -> None:
    names = Names(ru=row.cells["district_ru"], kk=row.text("district_kk"))
    known = districts.get(record.district_kato)
    if known is None:
        districts[record.district_kato] = given.get(record.district_kato) or DistrictRecord(
            kato=record.district_kato,
            names=msgspec.structs.replace(names, en=_english(names, "район", "District")),
            derived=True,
        )
    elif record.district_kato not in given and known.names.ru != names.ru:
        row.problems.add(row.line, "district_ru", f"{names.ru!r} differs from {known.names.ru!r}")


def _collect_okrug(row: _Row, record: SettlementRecord, okrugs: dict[str, OkrugRecord]) -> None:
    if record.okrug_kato is None:
        return
    names = Names(ru=row.cells["rural_okrug_ru"], kk=row.text("rural_okrug_kk"))
    known = okrugs.get(record.okrug_kato)
    if known is None:
        okrugs[record.okrug_kato] = OkrugRecord(
            kato=record.okrug_kato,
            district_kato=record.district_kato,
            names=msgspec.structs.replace(names, en=_english(names, "с.о.", "rural okrug")),
            centre_kato=None,
        )
    elif known.names.ru != names.ru:
        row.problems.add(
            row.line, "rural_okrug_ru", f"{names.ru!r} differs from {known.names.ru!r}"
        )


def _with_centre(
    district: DistrictRecord, settlements: Iterable[SettlementRecord]
) -> DistrictRecord:
    """A derived district's centre: its located city, else its located town."""
    if district.centre is not None or not district.derived:
        return district
    located = [s for s in settlements if s.district_kato == district.kato and s.position]
    for kind in ("city", "town"):
        for settlement in sorted(located, key=lambda s: s.kato):
            if settlement.kind == kind:
                return msgspec.structs.replace(
                    district, centre=settlement.position, centre_name=settlement.names.ru
                )
    return district


def _english(names: Names, russian_suffix: str, english_suffix: str) -> str:
    """A generated English name: transliterated, with the unit word translated."""
    base = names.kk or names.ru
    for word in (russian_suffix, "п.а.", "ауданы", "ауылдық округі"):
        base = base.replace(word, "")
    return f"{transliterate(base.strip())} {english_suffix}"


def _parse_districts(text: str, problems: _Problems) -> dict[str, DistrictRecord]:
    districts: dict[str, DistrictRecord] = {}
    for line, cells in _rows(text, DISTRICT_REQUIRED, DISTRICT_OPTIONAL, problems):
        row = _Row(line, cells, problems)
        kato = row.kato("kato")
        name_ru = row.text("name_ru", required=True)
        centre = row.position("center_lat", "center_lon")
        if kato is None or name_ru is None:
            continue
        districts[kato] = DistrictRecord(
            kato=kato,
            names=Names(ru=name_ru, kk=row.text("name_kk"), en=row.text("name_en")),
            centre_name=row.text("center_name"),
            centre=centre,
        )
    return districts
