"""The districts CSV is `--districts-file` on both `import-gazetteer` and `plan`, and
`--districts` is accepted on both as well (each command once had one spelling only)."""

from __future__ import annotations

import pytest
from click.testing import CliRunner, Result

from outreach.cli import main
from tests.conftest import DISTRICTS_CSV, SETTLEMENTS_CSV


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


@pytest.mark.parametrize("spelling", ["--districts-file", "--districts"])
def test_import_gazetteer_reads_the_districts_file_under_either_name(
    empty_database, spelling: str
) -> None:
    result = run("import-gazetteer", str(SETTLEMENTS_CSV), spelling, str(DISTRICTS_CSV),
                 "--database-url", empty_database.url)  # fmt: skip
    assert result.exit_code == 0, result.output
    # the districts file names the city administration in English as itself; without the
    # file its name would be made up from the settlement rows (`... District`)
    name = empty_database.scalar("SELECT name_en FROM districts WHERE kato = '431000000'")
    assert name == "Kyzylorda G.A."


@pytest.mark.parametrize("spelling", ["--districts-file", "--districts"])
def test_plan_takes_the_districts_file_under_either_name(tmp_path, spelling: str) -> None:
    result = run("plan", spelling, str(DISTRICTS_CSV), "--start", "2027-04-05",
                 "--end", "2027-04-30", "--out", str(tmp_path / "p.json"))  # fmt: skip
    assert result.exit_code == 2
    assert "--districts-file goes with --gazetteer" in result.stderr
