"""Every option of `outreach plan` and `outreach groups` refused clearly, before anything is
computed or written: a message naming the option (and the line of a file), exit code 1 or 2
(click's usage errors), never a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from outreach.cli import main
from tests.conftest import SETTLEMENTS_CSV

ROOT = Path(__file__).resolve().parent.parent.parent
DALA = ROOT / "docs" / "examples" / "dala"
SEASON = ["--start", "2027-04-05", "--end", "2027-04-30"]


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


def refused(result: Result, code: int, *said: str) -> None:
    assert result.exit_code == code, result.output
    assert isinstance(result.exception, SystemExit), result.exception  # no traceback
    assert result.stdout == ""
    for words in said:
        assert words in result.stderr, result.stderr


def plan_dala(tmp_path: Path, *args: str) -> Result:
    return run(
        "plan",
        "--gazetteer",
        str(DALA / "settlements.csv"),
        "--districts-file",
        str(DALA / "districts.csv"),
        *SEASON,
        "--out",
        str(tmp_path / "p.json"),
        *args,
    )


@pytest.mark.parametrize(
    ("args", "code", "said"),
    [
        (["--teams", "0"], 2, "'--teams': 0 is not in the range 1<=x<=50"),
        (["--teams", "-3"], 2, "'--teams'"),
        (["--max-trip-days", "0"], 2, "'--max-trip-days'"),
        (["--max-km", "0"], 1, "--max-km: Expected `float` > 0.0"),
        (["--time-limit", "-5"], 1, "--time-limit: Expected `float` > 0.0"),
        (["--day-cost-km", "-1"], 1, "--day-cost-km: Expected `float` >= 0.0"),
        (["--start", "2027-02-30"], 2, "'--start'"),
        (["--end", "2027-05-01", "--start", "2027-06-01"], 1, "ends before it starts"),
        (["--start", "2027-03-06", "--end", "2027-03-07"], 1, "the campaign has no working day"),
        (["--district", "Nowhere"], 1, "--district 'Nowhere' names 0 districts"),
        (["--district", "999999999"], 1, "--district 999999999: no district has this KATO code"),
        (["--base", "Nowhere"], 1, "--base: no settlement is named 'Nowhere'"),
        (["--base", "123456789"], 1, "--base: no settlement has the KATO code 123456789"),
        (["--base", "Akbulak"], 1, "'Akbulak' names 2 settlements; use a KATO code: 992003400"),
        (["--base", "Карабулак"], 1, "--base: Карабулак (994004300) has no surveyed position"),
        (["--lodgings", "missing.txt"], 2, "'--lodgings': File 'missing.txt' does not exist"),
        (["--database-url", "mysql://x"], 2, "OUTREACH_DATABASE_URL"),
    ],
)
def test_plan_refuses_a_bad_option_before_computing(tmp_path, args, code, said) -> None:
    result = plan_dala(tmp_path, *args)
    refused(result, code, said)
    assert "grouping" not in result.stderr
    assert not (tmp_path / "p.json").exists()


def test_plan_lists_the_candidates_of_a_district_name(tmp_path) -> None:
    refused(
        plan_dala(tmp_path, "--district", "Nowhere"),
        1,
        "992000000 Saryarka District, 994000000 Zhanadala District, 996000000 Koktobe",
    )


def test_plan_resolves_names_in_any_language(tmp_path) -> None:
    from outreach.cli.places import district_kato, settlement
    from outreach.domain.locate import districts, planning_sites
    from outreach.services.gazetteer_import import parse_files

    data = parse_files(
        (DALA / "settlements.csv").read_bytes(), (DALA / "districts.csv").read_bytes()
    )
    sites, known = planning_sites(data), districts(data)
    for name in ("Жаңадала", "жанадала", "ZHANADALA", " Zhanadala ", "994010100"):
        assert settlement(name, sites, known).kato == "994010100"
    for name in ("Жанадалинский район", "zhanadala", "994000000"):
        assert district_kato(name, known) == "994000000"


@pytest.mark.parametrize(
    ("text", "said"),
    [
        (
            "Dalakent\nNowhere\n\nАкбулак\n",
            ["line 2: no settlement is named 'Nowhere'", "line 4: 'Акбулак' names 2 settlements"],
        ),
        ("kato\n994004300\n", ["line 2: Карабулак (994004300) has no surveyed position"]),
        ("# nothing but a comment\n\n", ["names no settlement"]),
    ],
)
def test_plan_refuses_a_lodgings_file_naming_every_bad_line(tmp_path, text, said) -> None:
    lodgings = tmp_path / "lodgings.txt"
    lodgings.write_text(text, encoding="utf-8")
    refused(plan_dala(tmp_path, "--lodgings", str(lodgings)), 1, *said)


def test_plan_refuses_a_lodgings_file_not_in_utf8(tmp_path) -> None:
    lodgings = tmp_path / "lodgings.txt"
    lodgings.write_bytes("Далакент\n".encode("cp1251"))
    refused(plan_dala(tmp_path, "--lodgings", str(lodgings)), 1, "not UTF-8 text")


def test_plan_refuses_districts_file_without_gazetteer(tmp_path) -> None:
    result = run(
        "plan",
        "--districts-file",
        str(DALA / "districts.csv"),
        *SEASON,
        "--out",
        str(tmp_path / "p.json"),
    )
    refused(result, 2, "--districts-file goes with --gazetteer")


def test_plan_names_each_bad_line_of_the_gazetteer_file(tmp_path) -> None:
    bad = tmp_path / "bad.csv"
    lines = SETTLEMENTS_CSV.read_text(encoding="utf-8").splitlines()
    bad.write_text("\n".join([lines[0], lines[1].replace("city", "metropolis"), *lines[2:5]]))
    result = run("plan", "--gazetteer", str(bad), *SEASON, "--out", str(tmp_path / "p.json"))
    refused(result, 1, "bad.csv: line 2, column kind: 'metropolis' is not one of")


@pytest.mark.parametrize(
    ("args", "code", "said"),
    [
        (["--max-km", "0"], 1, "--max-km: Expected `float` > 0.0"),
        (["--turnout", "0"], 1, "--turnout: Expected `float` > 0.0"),
        (["--turnout", "1.5"], 1, "--turnout: Expected `float` <= 1.0"),
        (["--max-attendance", "0"], 1, "--max-attendance: Expected `int` >= 1"),
        (["--max-attendance", "many"], 2, "'--max-attendance': 'many' is not a valid integer"),
        (["--format", "xml"], 2, "'--format'"),
    ],
)
def test_groups_refuses_a_bad_number_before_opening_the_database(
    tmp_path, args, code, said
) -> None:
    database = tmp_path / "never.db"
    refused(run("groups", "--database-url", f"sqlite:///{database}", *args), code, said)
    assert not database.exists()


@pytest.mark.parametrize(
    ("name", "said"),
    [
        ("Nowhere", "--district 'Nowhere' names 0 districts; use a KATO code"),
        ("999999999", "--district 999999999: no district has this KATO code (431000000"),
        ("Ж", "names 2 districts"),
    ],
)
def test_groups_refuses_a_district_naming_none_or_several(database, name, said) -> None:
    refused(run("groups", "--database-url", database.url, "--district", name), 1, said)
