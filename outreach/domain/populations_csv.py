"""A file of populations (from akimats, say): `kato`, `population` and optionally
`population_year`, comma- or semicolon-separated, UTF-8 with or without a byte-order mark.
A bad file is refused whole, every bad line and column named, as for the gazetteer."""

from __future__ import annotations

import csv
import io
import re

import msgspec

from outreach.domain.gazetteer import FIRST_CENSUS_YEAR, Names
from outreach.domain.gazetteer_csv import _Problems, decode_text

COLUMNS = ("kato", "population", "population_year")
MAX_POPULATION = 100_000_000
YEARS = range(FIRST_CENSUS_YEAR, 2101)
_KATO = re.compile(r"^\d{9}$")


class PopulationRow(msgspec.Struct, frozen=True, kw_only=True):
    """One line of the file."""

    kato: str
    population: int
    year: int | None


class PopulationChange(msgspec.Struct, frozen=True, kw_only=True):
    """What a line changes: the settlement's population (and year) before and after."""

    kato: str
    name: Names
    before: int | None
    after: int
    year: int | None


class PopulationImport(msgspec.Struct, frozen=True, kw_only=True):
    """A file's effect: the changes (only what differs) and how many lines change nothing;
    `applied` is false for a preview."""

    changes: list[PopulationChange]
    unchanged: int
    applied: bool


def _integer(text: str) -> int | None:
    cleaned = text.strip().replace(" ", "").replace("\u00a0", "")
    return int(cleaned) if re.fullmatch(r"\d{1,12}", cleaned) else None


def parse(data: bytes, known: set[str], file: str = "populations.csv") -> list[PopulationRow]:
    """The file's rows; InvalidGazetteerFile naming every bad line and column."""
    text = decode_text(data, file)
    problems = _Problems(file)
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter)
    header = [name.strip() for name in (reader.fieldnames or [])]
    if not header:
        problems.add(1, None, "the file is empty")
        problems.raise_if_any()
    reader.fieldnames = header
    for name in ("kato", "population"):
        if name not in header:
            problems.add(1, name, "required column is missing")
    for name in header:
        if name not in COLUMNS:
            problems.add(1, name, "unknown column (expected: kato, population, population_year)")
    problems.raise_if_any()
    rows: list[PopulationRow] = []
    seen: dict[str, int] = {}
    for row in reader:
        line = reader.line_num
        if None in row or any(value is None for value in row.values()):
            problems.add(line, None, f"expected {len(header)} cells")
            continue
        kato = row["kato"].strip()
        population = _integer(row["population"])
        year_text = (row.get("population_year") or "").strip()
        year = _integer(year_text) if year_text else None
        if not _KATO.match(kato):
            problems.add(line, "kato", f"not a 9-digit KATO code: {kato!r}")
        elif kato not in known:
            problems.add(line, "kato", f"no settlement {kato} in the gazetteer")
        elif kato in seen:
            problems.add(line, "kato", f"{kato} is already on line {seen[kato]}")
        if population is None or population > MAX_POPULATION:
            problems.add(line, "population", f"not a whole number of people: {row['population']!r}")
        if year_text and (year is None or year not in YEARS):
            problems.add(line, "population_year", f"not a year: {year_text!r}")
        seen.setdefault(kato, line)
        if population is not None:
            rows.append(PopulationRow(kato=kato, population=population, year=year))
    if not rows and not problems.items:
        problems.add(2, None, "the file has no rows")
    problems.raise_if_any()
    return rows
