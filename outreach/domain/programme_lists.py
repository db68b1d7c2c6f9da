"""Programme operators' lists (who was contacted, trained, financed ...) read from CSV or xlsx
into rows to preview and import; a bad file is refused whole, every bad line and column named."""

from __future__ import annotations

import contextlib
import csv
import io
import re
import warnings
from collections.abc import Callable, Iterable
from datetime import date
from typing import Any, TypeVar

import msgspec

from outreach.domain.errors import DomainError
from outreach.domain.gazetteer import District, Names, Village
from outreach.domain.programme_cells import (
    BadCell,
    amount_of,
    cell_text,
    fold,
    limited,
    phone_of,
    programme_of,
    stage_date,
    stage_of,
)

MAX_BYTES = 10 * 1024 * 1024
MAX_ROWS = 20_000
MAX_LINES = 2 * MAX_ROWS
"""Lines read, blank ones included: a workbook can say it runs to line 1,048,576."""
MAX_COLUMNS = 64
"""Columns read of a workbook's rows (one cell in column XFD made every row 16,384 wide)."""
REQUIRED = ("name", "stage")
ALIASES: dict[str, tuple[str, ...]] = {
    "name": ("name", "full name", "фио", "ф.и.о.", "имя", "аты-жөні", "аты"),
    "phone": ("phone", "phone number", "mobile", "телефон", "тел", "телефон нөмірі"),
    "village": ("village", "settlement", "село", "аул", "ауыл", "населенный пункт", "елді мекен"),
    "district": ("district", "район", "аудан"),
    "stage": ("stage", "status", "этап", "статус", "кезең", "мәртебе"),
    "date": ("date", "дата", "күні", "күн"),
    "amount": ("amount", "amount tenge", "sum", "сумма", "сумма тенге", "сомасы", "сома"),
    "programme": ("programme", "program", "программа", "бағдарлама"),
    "funding_source": (
        "funding source", "source", "источник финансирования", "источник", "қаржыландыру көзі",
    ),
    "reason": ("reason", "причина", "себебі", "себеп"),
    "note": ("note", "notes", "comment", "примечание", "комментарий", "ескертпе", "ескерту"),
}  # fmt: skip

_KATO = re.compile(r"[0-9]{9}")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_PLACE_WORDS = re.compile(
    r"(?<!\w)(?:(?:с|п|пос)\.|(?:ауылы|ауыл|село|ауданы|аудан|район|р-н|village|district)(?!\w))"
)
T = TypeVar("T")


class InvalidProgrammeList(DomainError):
    """A programme list the service cannot read; `details` names each (line, column, problem)."""

    code = "invalid_programme_list"
    status = 400


class ListRow(msgspec.Struct, frozen=True, kw_only=True):
    """One person on a programme list; `line` is the row number a spreadsheet shows (the header
    is line 1), places are KATO codes, the amount whole tenge."""

    line: int
    name: str
    phone: str | None
    village: str | None
    district: str | None
    stage: str
    on: date | None
    amount_tenge: int | None
    programme: str | None
    funding_source: str | None
    reason: str | None
    note: str | None


class ProgrammeList(msgspec.Struct, frozen=True, kw_only=True):
    """A whole list: its rows, and the headers of the columns nobody reads."""

    rows: list[ListRow]
    ignored_columns: list[str]


def _place_key(text: str) -> str:
    return fold(_PLACE_WORDS.sub(" ", text.casefold().replace("ё", "е")))


_HEADERS = {fold(alias): column for column, aliases in ALIASES.items() for alias in aliases}


class Places:
    """The gazetteer's villages and districts, found by KATO code or by any of their names."""

    def __init__(self, villages: Iterable[Village], districts: Iterable[District]) -> None:
        self._villages = {village.kato: village for village in villages}
        self._districts: dict[str, Names] = {d.kato: d.names for d in districts}
        self._village_names = _by_name((v.kato, v.names) for v in self._villages.values())
        self._district_names = _by_name(self._districts.items())

    def district(self, text: str) -> str:
        """The KATO code of the district a cell names."""
        if _KATO.fullmatch(text):
            if text not in self._districts:
                raise BadCell(
                    f"no district with KATO code {text} in the gazetteer", "unknown_district", text
                )
            return text
        found = sorted(self._district_names.get(_place_key(text), ()))
        if not found:
            raise BadCell(f"district {text!r} is not in the gazetteer", "unknown_district", text)
        if len(found) > 1:
            raise BadCell(
                f"district {text!r} could be any of {self._labels(found)}",
                "ambiguous_district",
                text,
            )
        return found[0]

    def village(self, text: str, district: str | None) -> Village:
        """The village a cell names, looked for in `district` when that is given."""
        if _KATO.fullmatch(text):
            if text not in self._villages:
                raise BadCell(
                    f"no village with KATO code {text} in the gazetteer", "unknown_village", text
                )
            found = [text]
        else:
            found = sorted(self._village_names.get(_place_key(text), ()))
            if not found:
                raise BadCell(f"village {text!r} is not in the gazetteer", "unknown_village", text)
        where = [self._villages[kato].district_kato for kato in found]
        inside = [k for k, d in zip(found, where, strict=True) if district in (None, d)]
        if len(inside) == 1:
            return self._villages[inside[0]]
        if not inside:
            raise BadCell(
                f"village {text!r} is not in {self._labels([district])}:"
                f" it is in {self._labels(where)}",
                "village_elsewhere",
                text,
            )
        if len(set(where)) > 1 and district is None:
            raise BadCell(
                f"village {text!r} is in several districts ({self._labels(where)}): give one",
                "ambiguous_village",
                text,
            )
        raise BadCell(
            f"{len(inside)} villages named {text!r} in {self._labels(where)}: give its KATO",
            "ambiguous_village",
            text,
        )

    def _labels(self, katos: Iterable[str | None]) -> str:
        named = [(kato, self._districts.get(kato or "")) for kato in katos]
        return ", ".join(dict.fromkeys(f"{n.en or n.ru} ({k})" if n else str(k) for k, n in named))


def _by_name(places: Iterable[tuple[str, Names]]) -> dict[str, set[str]]:
    index: dict[str, set[str]] = {}
    for kato, names in places:
        for name in (names.kk, names.ru, names.en):
            if name and (key := _place_key(name)):
                index.setdefault(key, set()).add(kato)
    return index


def parse_programme_list(
    body: bytes, places: Places, default_programme: str | None = None, today: date | None = None
) -> ProgrammeList:
    """A whole list (CSV or xlsx bytes); InvalidProgrammeList names every problem in it. With
    `today`, a stage's date must lie from 2000 to the day after it (as a stage set by hand)."""
    if len(body) > MAX_BYTES:
        raise _refuse(f"the file is larger than {MAX_BYTES // (1024 * 1024)} MB")
    table = _xlsx(body) if body.startswith(b"PK\x03\x04") else _csv(body)
    if not table:
        raise _refuse("the file is empty")
    try:
        default = None if default_programme is None else programme_of(default_programme)
    except BadCell as bad:
        raise _refuse(f"default {bad}") from None
    problems: list[dict[str, Any]] = []
    columns = _columns(*table[0], problems)
    if len(table) == 1:
        problems.append(_problem(None, None, "the file has no rows under its header"))
    rows: list[ListRow] = []
    if not problems:
        for line, cells in table[1:]:
            if parsed := _row(_Cells(line, cells, columns, problems), places, default, today):
                rows.append(parsed)
    if problems:
        first = problems[0]
        where = "" if first["line"] is None else f"line {first['line']}, column {first['column']}: "
        more = f" (and {len(problems) - 1} more problems)" if len(problems) > 1 else ""
        raise InvalidProgrammeList(where + first["message"] + more, details=problems)
    ignored = [label for label in columns.values() if label not in ALIASES]
    return ProgrammeList(rows=rows, ignored_columns=ignored)


def _problem(line: int | None, column: str | None, message: str, code: str | None = None,
             value: Any = None) -> dict[str, Any]:  # fmt: skip
    """A problem of the file: where, what (English), and its `code` and `value` when a client
    can say it in its own language."""
    found = {"line": line, "column": column, "message": message}
    if code is not None:
        kept = value if value is None or isinstance(value, int | str) else str(value)
        found |= {"code": code, "value": kept}
    return found


def _refuse(message: str, line: int | None = None) -> InvalidProgrammeList:
    return InvalidProgrammeList(message, details=[_problem(line, None, message)])


def _csv(body: bytes) -> list[tuple[int, list[Any]]]:
    for encoding in ("utf-8-sig", "cp1251"):  # Excel saves "CSV" in Windows-1251 here
        with contextlib.suppress(UnicodeDecodeError):
            text = body.decode(encoding)
            break
    else:
        raise _refuse("the file is neither UTF-8 nor Windows-1251 text")
    first = next((line for line in text.splitlines() if line.strip()), "")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=max(",;\t", key=first.count))
    try:
        return _nonblank(reader)
    except csv.Error as exc:
        raise _refuse(f"malformed CSV: {exc}", reader.line_num) from exc


def _xlsx(body: bytes) -> list[tuple[int, list[Any]]]:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns of features it drops when reading
            from openpyxl import load_workbook  # only for a workbook (0.08 s to load)

            book = load_workbook(io.BytesIO(body), read_only=True, data_only=True)
            try:
                sheet = book.worksheets[0]
                # the size a workbook states is not believed: a forged one made openpyxl pad
                # every row to it (a 5 KB file held the server for minutes)
                sheet.reset_dimensions()
                return _nonblank(sheet.iter_rows(max_col=MAX_COLUMNS, values_only=True))
            finally:
                book.close()
    except InvalidProgrammeList:
        raise
    except Exception as exc:  # a damaged zip or workbook fails in many ways
        raise _refuse(f"the xlsx file is damaged ({type(exc).__name__})") from exc


def _nonblank(rows: Iterable[Iterable[Any]]) -> list[tuple[int, list[Any]]]:
    """The rows holding anything, with their numbers; refused past the header and MAX_ROWS,
    or past MAX_LINES lines, blank ones included."""
    kept: list[tuple[int, list[Any]]] = []
    for line, row in enumerate(rows, start=1):
        if line > MAX_LINES:
            raise _refuse(f"the list runs past line {MAX_LINES}", line)
        cells = list(row)
        if any(cell_text(cell) for cell in cells):
            if len(kept) > MAX_ROWS:
                raise _refuse(f"more than {MAX_ROWS} rows", line)
            kept.append((line, cells))
    return kept


def _columns(line: int, header: list[Any], problems: list[dict[str, Any]]) -> dict[int, str]:
    """Each column's canonical name (or, when nobody reads it, its header)."""
    columns: dict[int, str] = {}
    seen: dict[str, str] = {}
    for index, cell in enumerate(header):
        label = cell_text(cell)
        column = _HEADERS.get(fold(label))
        if column in seen:
            problems.append(
                _problem(line, column, f"columns {seen[column]!r} and {label!r} repeat")
            )
        elif column is not None:
            seen[column] = label
        if label:
            columns[index] = column or label
    for column in REQUIRED:
        if column not in seen:
            accepted = ", ".join(ALIASES[column])
            problems.append(
                _problem(
                    line, column, f"no {column} column (headers: {accepted})", "no_column", accepted
                )
            )
    return columns


class _Cells:
    """One row's cells by column, recording a problem for each bad one."""

    def __init__(
        self, line: int, cells: list[Any], columns: dict[int, str], problems: list[dict[str, Any]]
    ) -> None:
        self.line, self.problems, self.failed = line, problems, set[str]()
        self.cells = {name: cells[i] if i < len(cells) else None for i, name in columns.items()}
        for column, value in self.cells.items():
            if isinstance(value, str) and _CONTROL.search(value):
                self.fail(column, BadCell("contains control characters", "control_characters"))

    def get(self, column: str, parse: Callable[[Any], T], *, required: bool = False) -> T | None:
        value = self.cells.get(column)
        if column in self.failed or cell_text(value) == "":
            if required and column not in self.failed:
                self.fail(column, BadCell(f"{column} is empty", "empty"))
            return None
        try:
            return parse(value)
        except BadCell as bad:
            self.fail(column, bad)
            return None

    def fail(self, column: str, bad: BadCell) -> None:
        self.failed.add(column)
        self.problems.append(_problem(self.line, column, str(bad), bad.code, bad.value))


def _row(row: _Cells, places: Places, default: str | None, today: date | None) -> ListRow | None:
    name = row.get("name", limited("name"), required=True)
    stage = row.get("stage", stage_of, required=True)
    district = row.get("district", lambda value: places.district(cell_text(value)))
    village = None
    if "district" not in row.failed:
        village = row.get("village", lambda value: places.village(cell_text(value), district))
    parsed = ListRow(
        line=row.line,
        name=name or "",
        phone=row.get("phone", phone_of),
        village=village.kato if village else None,
        district=village.district_kato if village else district,
        stage=stage or "",
        on=row.get("date", stage_date(today)),
        amount_tenge=row.get("amount", amount_of),
        programme=row.get("programme", programme_of) or default,
        funding_source=row.get("funding_source", limited("funding_source")),
        reason=row.get("reason", limited("reason")),
        note=row.get("note", limited("note")),
    )
    return None if row.failed else parsed
