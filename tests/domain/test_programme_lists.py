"""Parsing programme operators' lists (CSV and xlsx) into rows to import."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook

from outreach.domain.gazetteer import District, Names, Village
from outreach.domain.programme_lists import (
    MAX_BYTES,
    MAX_LINES,
    MAX_ROWS,
    InvalidProgrammeList,
    ListRow,
    Places,
    parse_programme_list,
)

PWA = Path(__file__).resolve().parents[2] / "static" / "pwa"
FIELD_I18N, CONSOLE_I18N = PWA / "i18n", PWA / "i18n" / "console"
SHIELI, ZHANAKORGAN = "431600000", "433400000"
HEADER = ["name", "stage", "phone", "village", "district", "date", "amount", "programme",
          "funding_source", "reason", "note"]  # fmt: skip
GOOD = ["Айгүл Сейтқали", "financed", "+7 701 123 45 67", "431610100", "", "2027-03-01",
        "3 000 000", "bastau_business", "Фонд", "", "первый транш"]  # fmt: skip


def make_district(kato: str, ru: str, kk: str, en: str) -> District:
    return District(kato=kato, region_kato="430000000", names=Names(ru=ru, kk=kk, en=en))


def make_village(kato: str, district: str, ru: str, kk: str | None = None) -> Village:
    return Village(
        kato=kato, names=Names(ru=ru, kk=kk), kind="village", district_kato=district,
        okrug_kato=None, position=None, location_quality="unknown", fallback_position=None,
        population=None, population_year=None, coord_source=None, population_source=None,
        version=1, updated_at="2027-01-01T00:00:00Z",
    )  # fmt: skip


@pytest.fixture
def places() -> Places:
    return Places(
        villages=[
            make_village("431610100", SHIELI, "Акжар", "Ақжар"),
            make_village("433410100", ZHANAKORGAN, "Акжар", "Ақжар"),
            make_village("431620100", SHIELI, "Тартогай"),
            make_village("431620200", SHIELI, "Тартогай"),
            make_village("431630100", SHIELI, "Жиделиарык", "Жиделіарық"),
            make_village("431640100", SHIELI, "Ауыл"),  # found by its KATO code only
            make_village("439910100", "439900000", "Байкенже"),  # its district is not listed
            make_village("439910200", "439900000", "Байкенже"),
        ],
        districts=[
            make_district(SHIELI, "Шиелийский район", "Шиелі ауданы", "Shieli District"),
            make_district(ZHANAKORGAN, "Жанакорганский район", "Жаңақорған ауданы", "Zhanakorgan"),
        ],
    )


def make_csv(rows: list[list[str]], sep: str = ",", encoding: str = "utf-8") -> bytes:
    text = io.StringIO()
    csv.writer(text, delimiter=sep, lineterminator="\n").writerows(rows)
    return text.getvalue().encode(encoding)


def make_xlsx(rows: list[list[Any]], *, sheets: int = 1) -> bytes:
    book = Workbook(write_only=True)
    for _ in range(sheets):
        sheet = book.create_sheet()
        for row in rows:
            sheet.append(row)
        rows = [["other sheet"]]
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def make_row(**cells: str) -> list[str]:
    return [cells.get(column, value) for column, value in zip(HEADER, GOOD, strict=True)]


def problems_of(body: bytes, places: Places, **kwargs: Any) -> list[dict[str, Any]]:
    with pytest.raises(InvalidProgrammeList) as caught:
        parse_programme_list(body, places, **kwargs)
    assert caught.value.code == "invalid_programme_list" and caught.value.status == 400
    return caught.value.details


def test_programme_list_csv_with_bom_gives_every_field(places: Places) -> None:
    body = b"\xef\xbb\xbf" + make_csv([HEADER, GOOD])
    parsed = parse_programme_list(body, places)
    assert parsed.ignored_columns == []
    assert parsed.rows == [
        ListRow(
            line=2, name="Айгүл Сейтқали", phone="+77011234567", village="431610100",
            district=SHIELI, stage="financed", on=date(2027, 3, 1), amount_tenge=3_000_000,
            programme="bastau_business", funding_source="Фонд", reason=None, note="первый транш",
        )
    ]  # fmt: skip


def test_programme_list_russian_headers_semicolons_cp1251(places: Places) -> None:
    rows = [
        ["ФИО", "Телефон", "Село", "Район", "Статус", "Дата", "Сумма (тенге)", "Программа",
         "Источник финансирования", "Причина", "Примечание", "Куратор"],
        ["  Иванов   Иван ", "87011234567", "с. Акжар", "Жанакорганский р-н", "Прошёл обучение",
         "01.03.2027", "3 000 000,00", "Микрокредит", "", "", "", "Петров"],
    ]  # fmt: skip
    parsed = parse_programme_list(make_csv(rows, ";", "cp1251"), places)
    (row,) = parsed.rows
    assert (row.name, row.phone, row.village, row.district) == (
        "Иванов Иван", "+77011234567", "433410100", ZHANAKORGAN,
    )  # fmt: skip
    assert (row.stage, row.on, row.amount_tenge, row.programme) == (
        "trained", date(2027, 3, 1), 3_000_000, "microcredit",
    )  # fmt: skip
    assert parsed.ignored_columns == ["Куратор"]


def test_programme_list_kazakh_headers_tabs(places: Places) -> None:
    rows = [
        ["Аты-жөні", "Ауыл", "Аудан", "Кезең", "Күні", "Сомасы", "Бағдарлама",
         "Қаржыландыру көзі", "Себебі", "Ескертпе"],
        ["Сейтқали Айгүл", "Жиделіарық ауылы", "", "бас тартты", "", "", "Бастау Бизнес",
         "", "көшіп кетті", ""],
    ]  # fmt: skip
    (row,) = parse_programme_list(make_csv(rows, "\t"), places).rows
    assert (row.village, row.district, row.stage, row.reason, row.programme) == (
        "431630100", SHIELI, "dropped", "көшіп кетті", "bastau_business",
    )  # fmt: skip
    assert row.on is None and row.amount_tenge is None and row.note is None


def test_programme_list_xlsx_numbers_dates_and_blank_rows(places: Places) -> None:
    rows = [
        [],
        [None, "Name", "Stage", "Amount", "Date", "Phone", "Village"],
        [None, "A", "defended", 5_000_000, datetime(2027, 2, 20), 87011234567, 431610100],
        [None, None, "", None],
        [None, "B", "financed", 2_500_000.0, "2027-03-01", None, None],
    ]
    parsed = parse_programme_list(make_xlsx(rows, sheets=2), places)
    assert [(r.line, r.amount_tenge, r.on, r.phone, r.village) for r in parsed.rows] == [
        (3, 5_000_000, date(2027, 2, 20), "+77011234567", "431610100"),
        (5, 2_500_000, date(2027, 3, 1), None, None),
    ]


def rewritten(body: bytes, *changes: tuple[bytes, bytes]) -> bytes:
    """A workbook with its first sheet's XML changed as a hand (or a forger) would."""
    with zipfile.ZipFile(io.BytesIO(body)) as source:
        files = {name: source.read(name) for name in source.namelist()}
    sheet = "xl/worksheets/sheet1.xml"
    for old, new in changes:
        assert old in files[sheet]
        files[sheet] = files[sheet].replace(old, new)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as target:
        for name, data in files.items():
            target.writestr(name, data)
    return buffer.getvalue()


def test_programme_list_xlsx_phone_in_scientific_notation(places: Places) -> None:
    body = make_xlsx([["name", "stage", "phone"], ["A", "trained", 87011234567]])
    body = rewritten(body, (b">87011234567<", b">8.7011234567E10<"))
    (row,) = parse_programme_list(body, places).rows
    assert row.phone == "+77011234567"


def _cell(ref: str, text: str) -> bytes:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'.encode()


def test_programme_list_xlsx_whose_stated_size_is_forged_is_read_as_it_is(places: Places) -> None:
    """A 5 KB workbook saying it runs to XFD1048576 made openpyxl pad every row to 16,384
    cells and every line to the millionth: the server was held for minutes."""
    body = make_xlsx([["name", "stage"], ["A", "trained"], ["B", "referred"]])
    forged = (b"</sheetPr>", b'</sheetPr><dimension ref="A1:XFD1048576"/>')
    wide = (b"</row></sheetData>", _cell("XFD3", "far") + b"</row></sheetData>")
    rows = parse_programme_list(rewritten(body, forged, wide), places).rows
    assert [(r.line, r.name, r.stage) for r in rows] == [(2, "A", "trained"), (3, "B", "referred")]
    # a cell far down is refused, blank lines counted, before a million are read
    far = (b"</sheetData>", b'<row r="1000000">' + _cell("A1000000", "Z")
           + _cell("B1000000", "trained") + b"</row></sheetData>")  # fmt: skip
    [problem] = problems_of(rewritten(body, forged, far), places)
    assert problem["line"] == MAX_LINES + 1 and "runs past line" in problem["message"]


def test_programme_list_csv_lines_count_quoted_newlines_and_blank_lines(places: Places) -> None:
    body = b'name,stage,note\n\nA,trained,"two\nlines"\n\n\nB,referred\n'
    parsed = parse_programme_list(body, places)
    assert [(r.line, r.note) for r in parsed.rows] == [(3, "two\nlines"), (6, None)]


@pytest.mark.parametrize(("word", "stage"), [
    ("Contacted", "contacted"), ("связались", "contacted"), ("хабарласылды", "contacted"),
    ("REFERRED", "referred"), ("направлен", "referred"), ("жіберілді", "referred"),
    ("обучен", "trained"), ("оқытылды", "trained"), ("прошел обучение", "trained"),
    ("защитил", "defended"), ("қорғады", "defended"), ("профинансирован", "financed"),
    ("Одобрен", "financed"), ("қаржыландырылды", "financed"), ("выбыл", "dropped"),
    ("отказ", "dropped"), ("Бас тартты", "dropped"),
])  # fmt: skip
def test_programme_list_stage_words(places: Places, word: str, stage: str) -> None:
    (row,) = parse_programme_list(make_csv([HEADER, make_row(stage=word)]), places).rows
    assert row.stage == stage


@pytest.mark.parametrize(("text", "tenge"), [
    ("3 000 000", 3_000_000), ("3000000", 3_000_000), ("3 000 000,00", 3_000_000),
    ("3\u00a0000\u00a0000.00", 3_000_000), ("250", 250), ("0", 0), ("1 000,0", 1000),
])  # fmt: skip
def test_programme_list_amounts(places: Places, text: str, tenge: int) -> None:
    (row,) = parse_programme_list(make_csv([HEADER, make_row(amount=text)]), places).rows
    assert row.amount_tenge == tenge


@pytest.mark.parametrize(("village", "district", "kato"), [
    ("Акжар", "Жаңақорған ауданы", "433410100"),
    ("ақжар", "433400000", "433410100"),
    ("с.Акжар", "Шиелийский район", "431610100"),
    ("Ақжар ауылы", "shieli", "431610100"),
    ("433410100", "", "433410100"),
    ("433410100", "Zhanakorgan", "433410100"),
    ("Жиделі-арық", "", "431630100"),
    ("431640100", "", "431640100"),
    ("", "Шиелі", None),
])  # fmt: skip
def test_programme_list_places(places: Places, village: str, district: str, kato: str) -> None:
    body = make_csv([HEADER, make_row(village=village, district=district)])
    (row,) = parse_programme_list(body, places).rows
    expected_district = SHIELI if kato is None else kato[:4] + "00000"
    assert (row.village, row.district) == (kato, expected_district)


@pytest.mark.parametrize(("cell", "default", "programme"), [
    (None, "land_plots", "land_plots"),
    ("", "land_plots", "land_plots"),
    ("", None, None),
    ("Микронесие", "land_plots", "microcredit"),
    ("Entrepreneurs' House", None, "entrepreneurs_house"),
    ("BASTAU_BUSINESS", None, "bastau_business"),
])  # fmt: skip
def test_programme_list_default_programme(
    places: Places, cell: str | None, default: str | None, programme: str | None
) -> None:
    rows = [["name", "stage"], ["A", "trained"]]
    if cell is not None:
        rows = [[*rows[0], "programme"], [*rows[1], cell]]
    (row,) = parse_programme_list(make_csv(rows), places, default_programme=default).rows
    assert row.programme == programme


@pytest.mark.parametrize(("column", "value", "message"), [
    ("name", "", "name is empty"),
    ("name", "x" * 201, "name is longer than 200 characters"),
    ("name", "A\x00B", "contains control characters"),
    ("stage", "", "stage is empty"),
    ("stage", "new", "stage 'new' is not one of contacted, referred, trained"),
    ("stage", "maybe", "stage 'maybe' is not one of"),
    ("phone", "123", "phone '123' is not a Kazakhstan number"),
    ("village", "Нигде", "village 'Нигде' is not in the gazetteer"),
    ("village", "431699999", "no village with KATO code 431699999 in the gazetteer"),
    ("village", "Акжар", "village 'Акжар' is in several districts (Shieli District (431600000), Zhanakorgan (433400000))"),
    ("village", "Тартогай", "2 villages named 'Тартогай' in Shieli District (431600000): give its KATO"),
    ("village", "Байкенже", "2 villages named 'Байкенже' in 439900000"),
    ("district", "Аралский", "district 'Аралский' is not in the gazetteer"),
    ("district", "439900000", "no district with KATO code 439900000"),
    ("date", "31.02.2027", "date '31.02.2027' is not a date (YYYY-MM-DD or DD.MM.YYYY)"),
    ("date", "tomorrow", "date 'tomorrow' is not a date"),
    ("amount", "3,5", "amount '3,5' is not a whole number of tenge"),
    ("amount", "-5 000", "amount '-5 000' is negative"),
    ("amount", "3 млн", "amount '3 млн' is not a whole number"),
    ("amount", "10000000000001", "is more than 10,000,000,000,000 tenge"),
    ("programme", "Other things", "programme 'Other things' is not one of bastau_business"),
    ("funding_source", "x" * 201, "funding_source is longer than 200 characters"),
    ("reason", "x" * 501, "reason is longer than 500 characters"),
    ("note", "x" * 2001, "note is longer than 2000 characters"),
])  # fmt: skip
def test_programme_list_bad_cell(places: Places, column: str, value: str, message: str) -> None:
    body = make_csv([HEADER, make_row(**{column: value}), GOOD])
    (problem,) = problems_of(body, places)
    assert (problem["line"], problem["column"]) == (2, column)
    assert message in problem["message"]
    # what is wrong as a code the console says in the user's language (the message is English)
    assert problem["code"] in PROBLEM_CODES


PROBLEM_CODES = ("unknown_district", "ambiguous_district", "unknown_village", "ambiguous_village",
                 "village_elsewhere", "too_long", "unknown_stage", "bad_phone", "bad_date",
                 "bad_amount", "negative_amount", "amount_too_large", "unknown_programme",
                 "empty", "control_characters", "no_column", "date_out_of_range")  # fmt: skip


def test_every_problem_code_is_said_in_the_consoles_languages() -> None:
    for lang in ("kk", "ru", "en"):
        texts = json.loads((CONSOLE_I18N / f"{lang}.json").read_text(encoding="utf-8"))
        assert [c for c in PROBLEM_CODES if f"con.line.{c}" not in texts] == [], lang


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_the_apps_own_stage_words_are_read(places: Places, lang: str) -> None:
    """The stage names the console and the phones show were refused by the import."""
    texts = json.loads((FIELD_I18N / f"{lang}.json").read_text(encoding="utf-8"))
    for stage in ("contacted", "referred", "trained", "defended", "financed", "dropped"):
        body = make_csv([HEADER, make_row(stage=texts[f"stage.{stage}"])])
        [row] = parse_programme_list(body, places).rows
        assert row.stage == stage, (lang, texts[f"stage.{stage}"])


@pytest.mark.parametrize(("village", "district", "column", "message", "code"), [
    ("Акжар", "Аралский", "district", "district 'Аралский' is not in the gazetteer",
     "unknown_district"),
    ("Жиделиарык", "Zhanakorgan", "village",
     "village 'Жиделиарык' is not in Zhanakorgan (433400000): it is in Shieli District (431600000)",
     "village_elsewhere"),
    ("431610100", "433400000", "village",
     "village '431610100' is not in Zhanakorgan (433400000): it is in Shieli District (431600000)",
     "village_elsewhere"),
])  # fmt: skip
def test_programme_list_place_mismatch(
    places: Places, village: str, district: str, column: str, message: str, code: str
) -> None:
    body = make_csv([HEADER, make_row(village=village, district=district)])
    value = district if column == "district" else village
    assert problems_of(body, places) == [
        {"line": 2, "column": column, "message": message, "code": code, "value": value}
    ]


def test_programme_list_ambiguous_district_name() -> None:
    twins = Places(villages=[], districts=[
        make_district("431600000", "Шиели", "Шиелі", "Shieli"),
        make_district("431700000", "Шиели", "Шиелі", "Shieli"),
    ])  # fmt: skip
    body = make_csv([["name", "stage", "district"], ["A", "trained", "Шиели"]])
    (problem,) = problems_of(body, twins)
    assert problem["message"] == (
        "district 'Шиели' could be any of Shieli (431600000), Shieli (431700000)"
    )


def test_programme_list_xlsx_bad_numbers(places: Places) -> None:
    rows = [["name", "stage", "amount"], ["A", "financed", 3.5], ["B", "financed", -1],
            ["C", "financed", True]]  # fmt: skip
    assert problems_of(make_xlsx(rows), places) == [
        {"line": 2, "column": "amount", "message": "amount 3.5 is not a whole number of tenge",
         "code": "bad_amount", "value": "3.5"},
        {"line": 3, "column": "amount", "message": "amount -1 is negative",
         "code": "negative_amount", "value": -1},
        {"line": 4, "column": "amount", "message": "amount 'True' is not a whole number of tenge",
         "code": "bad_amount", "value": "True"},
    ]  # fmt: skip


def test_programme_list_lists_every_problem(places: Places) -> None:
    body = make_csv([HEADER, make_row(amount="x", phone="1"), GOOD, make_row(stage="")])
    with pytest.raises(InvalidProgrammeList) as caught:
        parse_programme_list(body, places)
    assert [(p["line"], p["column"]) for p in caught.value.details] == [
        (2, "phone"), (2, "amount"), (4, "stage"),
    ]  # fmt: skip
    assert caught.value.message == (
        "line 2, column phone: phone '1' is not a Kazakhstan number (+7 and ten digits)"
        " (and 2 more problems)"
    )


def test_programme_list_control_character_in_ignored_column(places: Places) -> None:
    body = make_csv([["name", "stage", "Extra"], ["A", "trained", "x\x07"]])
    assert problems_of(body, places) == [
        {
            "line": 2,
            "column": "Extra",
            "message": "contains control characters",
            "code": "control_characters",
            "value": None,
        }
    ]


@pytest.mark.parametrize(("header", "problems"), [
    (["name", "Status"], []),
    (["name"], [(1, "stage", "no stage column (headers: stage, status")]),
    (["Этап", "", "Примечание"], [(1, "name", "no name column")]),
    (["ФИО", "stage", "name"], [(1, "name", "columns 'ФИО' and 'name' repeat")]),
])  # fmt: skip
def test_programme_list_header(
    places: Places, header: list[str], problems: list[tuple[int, str, str]]
) -> None:
    body = make_csv([header, ["A", "trained", ""]])
    if not problems:
        assert parse_programme_list(body, places).rows[0].stage == "trained"
        return
    found = problems_of(body, places)
    assert [(p["line"], p["column"]) for p in found] == [(line, col) for line, col, _ in problems]
    assert all(want in p["message"] for p, (_, _, want) in zip(found, problems, strict=True))


def too_many_rows_csv() -> bytes:
    return make_csv([["name", "stage"]] + [["A", "trained"]] * (MAX_ROWS + 1))


@pytest.mark.parametrize(("body", "line", "message"), [
    (b"", None, "the file is empty"),
    (b"\n \n;;\n", None, "the file is empty"),
    (b"name,stage\n\n", None, "the file has no rows under its header"),
    (b"name,stage\nA,trained\n\x98\x98", None, "the file is neither UTF-8 nor Windows-1251 text"),
    (b"name,stage\nA," + b"x" * 200_000, 2, "malformed CSV: field larger than field limit"),
    (b"PK\x03\x04 not really a zip", None, "the xlsx file is damaged (BadZipFile)"),
    (too_many_rows_csv(), MAX_ROWS + 2, f"more than {MAX_ROWS} rows"),
    (b"x" * (MAX_BYTES + 1), None, "the file is larger than 10 MB"),
])  # fmt: skip
def test_programme_list_refused_whole(
    places: Places, body: bytes, line: int | None, message: str
) -> None:
    (problem,) = problems_of(body, places)
    assert (problem["line"], problem["column"]) == (line, None)
    assert problem["message"].startswith(message)


def test_programme_list_xlsx_too_many_rows(places: Places) -> None:
    body = make_xlsx([["name", "stage"]] + [["A", "trained"]] * (MAX_ROWS + 1))
    (problem,) = problems_of(body, places)
    assert problem == {"line": MAX_ROWS + 2, "column": None, "message": "more than 20000 rows"}


def test_programme_list_xlsx_without_sheets_is_damaged(places: Places) -> None:
    body = make_xlsx([["name", "stage"], ["A", "trained"]])
    damaged = body.replace(b"xl/worksheets/sheet1.xml", b"xl/worksheets/sheetX.xml")
    (problem,) = problems_of(damaged, places)
    assert problem["message"].startswith("the xlsx file is damaged")


def test_programme_list_unknown_default_programme(places: Places) -> None:
    body = make_csv([["name", "stage"], ["A", "trained"]])
    (problem,) = problems_of(body, places, default_programme="grants")
    assert problem == {
        "line": None, "column": None,
        "message": "default programme 'grants' is not one of bastau_business, microcredit, "
        "land_plots, utility_connections, business_adviser, entrepreneurs_house, other",
    }  # fmt: skip


@pytest.mark.parametrize(("on", "kept"), [
    ("1901-05-01", False), ("1999-12-31", False), ("2000-01-01", True), ("2027-03-01", True),
    ("2027-03-02", True), ("2027-03-03", False), ("2031-01-01", False),
])  # fmt: skip
def test_a_stage_date_lies_from_2000_to_tomorrow(places: Places, on: str, kept: bool) -> None:
    """A list's stage dated 1901 or 2031 was taken as it was (a stage set by hand was not)."""
    body = make_csv([HEADER, make_row(date=on)])
    today = date(2027, 3, 1)
    if kept:
        [row] = parse_programme_list(body, places, today=today).rows
        assert row.on == date.fromisoformat(on)
        return
    with pytest.raises(InvalidProgrammeList) as caught:
        parse_programme_list(body, places, today=today)
    [problem] = caught.value.details
    assert (problem["column"], problem["code"], problem["value"]) == (
        "date",
        "date_out_of_range",
        on,
    )
