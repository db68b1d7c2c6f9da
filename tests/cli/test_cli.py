"""The `outreach` command, run as a user would: in its own process."""

from __future__ import annotations

import json
import os
import re
import stat
import subprocess
import sys

import pytest

from outreach.db.migrate import latest
from tests.conftest import DISTRICTS_CSV, SETTLEMENTS_CSV
from tests.dbstate import dump, scalar
from tests.engines import TestDatabase, with_database
from tests.synthetic import make_rows, to_csv


def outreach(
    *args: str, database: TestDatabase | None = None, stdin: str | None = None
) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    if database is not None:
        env["OUTREACH_DATABASE_URL"] = database.url
    return subprocess.run([sys.executable, "-m", "outreach", *args], env=env, capture_output=True,
                          text=True, timeout=60, input=stdin)  # fmt: skip


def test_help_explains_every_command() -> None:
    result = outreach("--help")
    assert result.returncode == 0
    for command in ("serve", "migrate", "import-gazetteer"):
        assert command in result.stdout
        sub = outreach(command, "--help")
        assert sub.returncode == 0 and len(sub.stdout.splitlines()) > 5


def test_migrate_twice_is_idempotent(empty_database) -> None:
    first = outreach("migrate", database=empty_database)
    second = outreach("migrate", database=empty_database)
    assert first.returncode == second.returncode == 0
    assert f"schema version {latest()}" in second.stdout
    if empty_database.url.startswith("sqlite"):  # made by the service: its owner's alone
        made = [empty_database.path, empty_database.path.with_name("outreach.db.lock")]
        assert [stat.S_IMODE(f.stat().st_mode) for f in made] == [0o600, 0o600]


def test_import_gazetteer_counts_equal_the_csv_and_repeat_changes_nothing(empty_database) -> None:
    result = outreach("import-gazetteer", str(SETTLEMENTS_CSV), "--districts", str(DISTRICTS_CSV),
                      "--region-ru", "Кызылординская область", database=empty_database)  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "298 settlements: 298 created" in result.stdout
    assert scalar(empty_database, "SELECT count(*) FROM villages") == 298
    assert scalar(empty_database, "SELECT count(*) FROM districts") == 9
    before = dump(empty_database)
    again = outreach("import-gazetteer", str(SETTLEMENTS_CSV), "--districts", str(DISTRICTS_CSV),
                     database=empty_database)  # fmt: skip
    assert "0 created, 0 updated, 298 unchanged" in again.stdout
    assert dump(empty_database) == before


def test_import_bad_file_names_line_and_column_and_changes_nothing(
    empty_database, tmp_path
) -> None:
    outreach("import-gazetteer", str(SETTLEMENTS_CSV), database=empty_database)
    before = dump(empty_database)
    rows = make_rows("991100000")
    rows[3]["lat"] = "44,5"
    bad = tmp_path / "bad.csv"
    bad.write_bytes(to_csv(rows))
    result = outreach("import-gazetteer", str(bad), database=empty_database)
    assert result.returncode == 1
    assert "bad.csv: line 5, column lat" in result.stderr
    assert "nothing imported" in result.stderr
    assert dump(empty_database) == before


def test_bad_setting_is_a_clear_usage_error() -> None:
    env_result = subprocess.run(
        [sys.executable, "-m", "outreach", "migrate"], capture_output=True, text=True, timeout=60,
        env={**os.environ, "OUTREACH_DATABASE_URL": "mysql://x"},
    )  # fmt: skip
    assert env_result.returncode == 2
    assert "OUTREACH_DATABASE_URL" in env_result.stderr


def test_groups_prints_meetings_and_district_table(database) -> None:
    lines = outreach("groups", "--district", "Aral", "--max-km", "15", database=database)
    assert lines.returncode == 0, lines.stderr
    assert "meetings for 58 settlements" in lines.stdout
    table = outreach("groups", "--format", "districts", database=database)
    assert "| **all** | 298 |" in table.stdout
    assert len(table.stdout.strip().splitlines()) == 12  # header, rule, nine districts, total


def test_groups_with_ambiguous_district_name_is_refused(database) -> None:
    result = outreach("groups", "--district", "Ж", database=database)
    assert result.returncode == 1
    assert "use a KATO code" in result.stderr


def test_plan_from_a_gazetteer_file_without_a_server(tmp_path) -> None:
    out = tmp_path / "plan.json"
    result = outreach("plan", "--gazetteer", str(SETTLEMENTS_CSV), "--districts-file",
                      str(DISTRICTS_CSV), "--teams", "3", "--start", "2027-03-01",
                      "--end", "2027-05-28", "--time-limit", "3", "--out", str(out))  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "meetings placed" in result.stdout
    document = json.loads(out.read_text())
    assert document["format_version"] == 1
    assert set(document["totals"]["team_days"]) == {"team-1", "team-2", "team-3"}
    placed = [m for m in document["meetings"] if m["team"]]
    assert len(placed) == document["totals"]["meetings_placed"] > 100


def test_plan_with_dates_reversed_is_refused(tmp_path) -> None:
    result = outreach("plan", "--gazetteer", str(SETTLEMENTS_CSV), "--start", "2027-05-01",
                      "--end", "2027-03-01", "--out", str(tmp_path / "p.json"))  # fmt: skip
    assert result.returncode == 1
    assert "ends before it starts" in result.stderr
    assert not (tmp_path / "p.json").exists()


@pytest.mark.parametrize(("option", "value", "said"), [
    ("--max-km", "-1", "--max-km: Expected `float` > 0.0"),
    ("--max-km", "500", "--max-km: Expected `float` <= 200.0"),
    ("--time-limit", "0", "--time-limit: Expected `float` > 0.0"),
    ("--time-limit", "1e9", "--time-limit: Expected `float` <= 120.0"),
])  # fmt: skip
def test_plan_refuses_a_bad_number_by_its_option(tmp_path, option: str, value: str,
                                                 said: str) -> None:  # fmt: skip
    out = tmp_path / "p.json"
    result = outreach("plan", "--gazetteer", str(SETTLEMENTS_CSV), "--start", "2027-03-01",
                      "--end", "2027-05-28", "--out", str(out), option, value)  # fmt: skip
    assert (result.returncode, result.stdout) == (1, "")
    assert said in result.stderr and "Traceback" not in result.stderr
    assert not out.exists()


def test_plan_refuses_an_unwritable_out_before_anything_else(tmp_path) -> None:
    """Checked first: a bad gazetteer file beside it is not even read."""
    bad = tmp_path / "bad.csv"
    bad.write_text("not a gazetteer")
    for out, code, said in ((tmp_path / "missing" / "p.json", 1, "does not exist"),
                            (tmp_path, 2, "is a directory")):  # fmt: skip
        result = outreach("plan", "--gazetteer", str(bad), "--start", "2027-03-01",
                          "--end", "2027-05-28", "--out", str(out))  # fmt: skip
        assert result.returncode == code and "--out" in result.stderr and said in result.stderr


def test_groups_refuses_a_negative_distance(empty_database) -> None:
    result = outreach("groups", "--max-km", "-1", database=empty_database)
    assert result.returncode == 1 and "--max-km: Expected `float` > 0.0" in result.stderr


def test_users_create_admin_from_the_command_line(empty_database) -> None:
    result = outreach("users", "create", "--login", "admin", "--role", "admin",
                      "--password-stdin", database=empty_database,
                      stdin="a long enough password\n")  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "created admin admin" in result.stdout
    assert scalar(empty_database, "SELECT role FROM users WHERE login = 'admin'") == "admin"
    assert "a long enough password" not in result.stdout + result.stderr


def test_users_create_refuses_a_short_password(empty_database) -> None:
    result = outreach("users", "create", "--login", "admin", "--role", "admin",
                      "--password-stdin", database=empty_database, stdin="short\n")  # fmt: skip
    assert result.returncode == 2
    assert "password" in result.stderr


def test_serve_demo_creates_accounts_once_and_they_sign_in(tmp_path) -> None:
    from tests.conftest import LiveServer

    demo = TestDatabase(f"sqlite:///{tmp_path / 'demo.db'}")
    server = LiveServer(demo.url, tmp_path / "server.log", args=["--demo"])
    server.start()
    try:
        printed = (tmp_path / "server.log").read_text()
        assert "DEMO ACCOUNTS" in printed and "enrolment code" in printed
        secrets_file = tmp_path / "demo.demo-accounts.txt"
        assert oct(secrets_file.stat().st_mode & 0o777) == "0o600"
        line = next(line for line in secrets_file.read_text().splitlines() if "coordinator" in line)
        password = line.split()[-1]
        import httpx

        response = httpx.post(f"{server.url}/api/v1/session",
                              json={"login": "demo-coordinator", "password": password})  # fmt: skip
        assert response.status_code == 200
    finally:
        server.stop()
    records = scalar(demo, "SELECT count(*) FROM sync_records")
    assert records > 5  # demo data: a short simulated season
    plan = scalar(demo, "SELECT campaign FROM plans WHERE status = 'published'")
    assert plan.startswith("DEMO")
    again = LiveServer(demo.url, tmp_path / "server2.log", args=["--demo"])
    again.start()
    again.stop()
    assert scalar(demo, "SELECT count(*) FROM users WHERE login LIKE 'demo-%'") == 4
    # the simulator's accounts (their password is in the source) cannot sign in
    assert scalar(demo, "SELECT count(*) FROM users WHERE disabled_at IS NULL") == 4
    assert scalar(demo, "SELECT count(*) FROM sync_records") == records  # played once


def test_a_wrong_postgresql_password_or_database_is_said_at_once(postgres: str) -> None:
    """It took 30 s of retries and ended with "pool initialization incomplete after 30 sec"
    (retries are for a server still starting, not for a URL it refuses)."""
    wrong_password = re.sub(r"//([^:@/]+):[^@]*@", r"//\1:not-the-password@", postgres)
    no_database = with_database(postgres, "outreach_no_such_database")
    for url, said in ((wrong_password, "password authentication failed"),
                      (no_database, 'database "outreach_no_such_database" does not exist')):  # fmt: skip
        result = outreach("migrate", database=TestDatabase(url))
        assert result.returncode == 1
        assert said in result.stderr and "check OUTREACH_DATABASE_URL" in result.stderr
        assert "not-the-password" not in result.stderr and "Traceback" not in result.stderr


def test_import_refuses_region_names_given_without_the_russian_one(empty_database) -> None:
    """The Russian name is the one every region has: a Kazakh or English name alone used to
    be dropped without a word."""
    result = outreach("import-gazetteer", str(SETTLEMENTS_CSV), "--region-en", "Kyzylorda Region",
                      database=empty_database)  # fmt: skip
    assert result.returncode == 2
    assert "--region-ru" in result.stderr and "nothing imported" not in result.stdout
    if empty_database.engine == "sqlite":
        assert not empty_database.path.exists()
    else:
        assert scalar(empty_database, "SELECT count(*) FROM villages") == 0
