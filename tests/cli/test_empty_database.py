"""Commands that read the gazetteer never fill a database with Kyzylorda's on their own: an
empty database (or a SQLite path that names no file, as a mistyped one does) is refused with
what to do; an import beside another region's settlements says that plans will mix them."""

from __future__ import annotations

from click.testing import CliRunner, Result

from outreach.cli import main
from tests.conftest import SETTLEMENTS_CSV
from tests.engines import TestDatabase
from tests.synthetic import make_rows, to_csv

SEASON = ["--start", "2027-04-05", "--end", "2027-04-30"]


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


def settlements(database: TestDatabase) -> int:
    return int(database.scalar("SELECT count(*) FROM villages") or 0)


def refused_as_empty(result: Result) -> None:
    assert result.exit_code == 1, result.output
    assert isinstance(result.exception, SystemExit), result.exception
    assert "holds no settlements" in result.stderr
    assert "outreach import-gazetteer FILE.csv" in result.stderr


def test_groups_refuses_an_empty_database_and_leaves_it_empty(empty_database) -> None:
    refused_as_empty(run("groups", "--database-url", empty_database.url))
    if empty_database.engine == "sqlite":
        assert not empty_database.path.exists()
    else:
        assert settlements(empty_database) == 0


def test_plan_refuses_an_empty_database_and_names_the_file_option(empty_database, tmp_path) -> None:
    out = tmp_path / "plan.json"
    result = run("plan", "--database-url", empty_database.url, *SEASON, "--out", str(out))
    refused_as_empty(result)
    assert "--gazetteer FILE.csv" in result.stderr
    assert "grouping" not in result.stderr and not out.exists()


def test_a_mistyped_sqlite_path_creates_no_file(tmp_path) -> None:
    mistyped = tmp_path / "outreahc.db"
    refused_as_empty(run("groups", "--database-url", f"sqlite:///{mistyped}"))
    assert not mistyped.exists()
    assert str(mistyped) in run("groups", "--database-url", f"sqlite:///{mistyped}").stderr


def test_import_beside_another_region_warns_and_still_imports(database, tmp_path) -> None:
    before = settlements(database)
    rows = make_rows("991100000")
    other = tmp_path / "other.csv"
    other.write_bytes(to_csv(rows))
    result = run("import-gazetteer", str(other), "--database-url", database.url)
    assert result.exit_code == 0, result.output
    assert settlements(database) == before + len(rows)
    warning = next(line for line in result.stderr.splitlines() if "already holds" in line)
    assert f"({before} settlements)" in warning and "430000000" in warning
    assert "plans will mix both regions" in warning


def test_import_of_the_same_region_does_not_warn(database) -> None:
    result = run("import-gazetteer", str(SETTLEMENTS_CSV), "--database-url", database.url)
    assert result.exit_code == 0, result.output
    assert "already holds" not in result.stderr
