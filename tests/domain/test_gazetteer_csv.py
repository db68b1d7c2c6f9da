"""Parsing gazetteer CSV files."""

from __future__ import annotations

import pytest

from outreach.domain.errors import InvalidGazetteerFile
from outreach.domain.gazetteer_csv import decode_text, parse_gazetteer
from tests.conftest import DISTRICTS_CSV, SETTLEMENTS_CSV
from tests.synthetic import make_rows, to_csv


def parse_rows(rows, **kwargs):
    return parse_gazetteer(to_csv(rows).decode(), **kwargs)


def test_shipped_file_parses_whole() -> None:
    data = parse_gazetteer(SETTLEMENTS_CSV.read_text(), districts_text=DISTRICTS_CSV.read_text())
    assert (len(data.settlements), len(data.districts), len(data.okrugs)) == (298, 9, 144)
    assert data.region_kato == "430000000"
    assert sum(1 for s in data.settlements if s.position) == 116
    assert all(o.centre_kato == o.kato[:6] + "100" for o in data.okrugs)


def test_derived_district_takes_its_town_as_centre() -> None:
    rows = make_rows("991100000")
    data = parse_rows(rows)
    (district,) = data.districts
    assert district.derived and district.centre_name == rows[0]["name_ru"]
    assert district.centre is not None and district.centre.lat == float(rows[0]["lat"])


@pytest.mark.parametrize(("column", "value", "message"), [
    ("kato", "43A000000", "9-digit"),
    ("name_ru", "", "must not be empty"),
    ("name_ru", "x" * 301, "longer than"),
    ("name_ru", "a\x07b", "control characters"),
    ("kind", "hamlet", "not one of"),
    ("lat", "91", "outside"),
    ("lat", "inf", "outside"),
    ("lon", "east", "'east' is not a number"),
    ("lat", "44,5", "is not a number (decimals take a dot"),
    ("population", "-3", "outside"),
    ("population", "3.5", "'3.5' is not a whole number"),
    ("population", "many", "'many' is not a whole number"),
    ("population_year", "1700", "outside"),
    ("rural_okrug_kato", "991199000", "not the okrug"),
    ("district_kato", "992200000", "not the district"),
])  # fmt: skip
def test_bad_cell_is_named_by_line_and_column(column: str, value: str, message: str) -> None:
    rows = make_rows("991100000")
    rows[2][column] = value
    with pytest.raises(InvalidGazetteerFile) as caught:
        parse_rows(rows)
    problem = caught.value.details[0]
    assert (problem["line"], problem["column"]) == (4, column)
    assert message in problem["message"]


@pytest.mark.parametrize(("separator", "named"), [(";", "';'"), ("\t", "tabs")])
def test_a_file_separated_otherwise_than_by_commas_is_one_clear_problem(
    separator: str, named: str
) -> None:
    text = to_csv(make_rows("991100000")).decode().replace(",", separator)
    with pytest.raises(InvalidGazetteerFile) as caught:
        parse_gazetteer(text)
    assert len(caught.value.details) == 1
    assert f"separated by {named}: save it comma-separated (CSV UTF-8)" in caught.value.message


def test_a_districts_file_separated_by_semicolons_is_named() -> None:
    with pytest.raises(InvalidGazetteerFile) as caught:
        parse_gazetteer(SETTLEMENTS_CSV.read_text(), districts_text="kato;name_ru\n1;X\n")
    assert len(caught.value.details) == 1
    assert caught.value.message.startswith("districts.csv: line 1: the file is separated by ';'")


def test_two_regions_in_one_file_are_refused() -> None:
    with pytest.raises(InvalidGazetteerFile, match="one region per file"):
        parse_rows(make_rows("991100000") + make_rows("981100000"))


def test_conflicting_okrug_names_are_refused() -> None:
    rows = make_rows("991100000")
    rows[1]["rural_okrug_ru"] = "Другой с.о."
    with pytest.raises(InvalidGazetteerFile, match="differs"):
        parse_rows(rows)


def test_empty_file_and_header_only_are_refused() -> None:
    with pytest.raises(InvalidGazetteerFile, match="empty"):
        parse_gazetteer("")
    with pytest.raises(InvalidGazetteerFile, match="no settlement rows"):
        parse_gazetteer("kato,name_ru,kind,district_kato,district_ru\n")


def test_wrong_cell_count_is_refused() -> None:
    text = "kato,name_ru,kind,district_kato,district_ru\n991110100,X,village\n"
    with pytest.raises(InvalidGazetteerFile, match="expected 5 cells"):
        parse_gazetteer(text)


def test_errors_stop_at_a_bounded_count() -> None:
    rows = make_rows("991100000", okrugs=30, per_okrug=5)
    for row in rows:
        row["kind"] = "bad"
    with pytest.raises(InvalidGazetteerFile) as caught:
        parse_rows(rows)
    assert len(caught.value.details) == 50


def test_non_utf8_bytes_are_refused() -> None:
    with pytest.raises(InvalidGazetteerFile, match="not UTF-8"):
        decode_text("Жосалы".encode("cp1251"), "x.csv")


def test_byte_order_mark_is_accepted() -> None:
    assert decode_text(b"\xef\xbb\xbfkato", "x.csv") == "kato"


def test_bad_districts_file_is_named() -> None:
    with pytest.raises(InvalidGazetteerFile, match=r"districts\.csv"):
        parse_gazetteer(SETTLEMENTS_CSV.read_text(), districts_text="kato,name_ru\n12,X\n")
