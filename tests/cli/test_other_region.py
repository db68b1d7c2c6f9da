"""Another region than the shipped one, as its coordinator would plan it: the synthetic Dala
oblast of docs/examples/dala/ (scripts/synthetic_region.py), with a chosen base and lodgings,
run exactly as docs/cli.md shows."""

from __future__ import annotations

import json
import re
import shlex
import subprocess
import sys
from pathlib import Path

from tests.cli.test_cli import outreach

ROOT = Path(__file__).resolve().parent.parent.parent
DALA = ROOT / "docs" / "examples" / "dala"
SWAPPED = "994004300"


def documented_command() -> list[str]:
    """The `outreach plan` command of docs/cli.md's worked example, as arguments."""
    text = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    found = re.search(r"^\$ (outreach plan .*?)(?<!\\)\n", text, re.MULTILINE | re.DOTALL)
    assert found is not None
    return shlex.split(found.group(1).replace("\\\n", " "))[1:]


def test_the_example_region_is_what_its_script_writes(tmp_path) -> None:
    subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "synthetic_region.py"), str(tmp_path)],
        check=True,
        timeout=60,
    )
    for name in ("settlements.csv", "districts.csv", "lodgings.txt"):
        assert (tmp_path / name).read_bytes() == (DALA / name).read_bytes(), name


def test_plan_another_region_with_a_chosen_base_and_lodgings(tmp_path) -> None:
    args = documented_command()
    assert {"--gazetteer", "--districts-file", "--base", "--lodgings"} <= set(args)
    out = tmp_path / "plan.json"
    args[args.index("--out") + 1] = str(out)
    result = subprocess.run(
        [sys.executable, "-m", "outreach", *args],
        cwd=ROOT,
        text=True,
        capture_output=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    document = json.loads(out.read_text(encoding="utf-8"))
    places = {p["id"]: p["kind"] for p in document["places"] if p["kind"] != "meeting"}
    # --base Zhanadala; lodgings.txt names Dalakent, Карасу and 996004100 (Ынталы)
    assert places == {
        "994010100": "base",
        "992010100": "lodging",
        "992005100": "lodging",
        "996004100": "lodging",
    }
    assert "base Жанадала; lodgings Карасу, Далакент, Ынталы" in result.stdout
    # the village with lat and lon swapped: refused as the import refuses it, still planned
    refusal = next(line for line in result.stderr.splitlines() if SWAPPED in line)
    assert "settlements.csv line 24" in refusal and "are lat and lon swapped?" in refusal
    assert "1 position refused" in result.stderr
    members = {m["kato"]: m for meeting in document["meetings"] for m in meeting["members"]}
    assert members[SWAPPED]["approximate"] is True
    # stages on stderr as they begin
    stages = [line.split("] ", 1)[1] for line in result.stderr.splitlines() if line.startswith("[")]
    assert [s.split()[0] for s in stages] == ["loading", "grouping", "road", "routing", "writing"]


def test_plan_another_region_defaults_to_its_largest_city_and_district_centres(tmp_path) -> None:
    out = tmp_path / "plan.json"
    result = outreach(
        "plan",
        "--gazetteer",
        str(DALA / "settlements.csv"),
        "--districts-file",
        str(DALA / "districts.csv"),
        "--teams",
        "2",
        "--start",
        "2027-04-05",
        "--end",
        "2027-04-30",
        "--time-limit",
        "2",
        "--out",
        str(out),
    )
    assert result.returncode == 0, result.stderr
    document = json.loads(out.read_text(encoding="utf-8"))
    places = {p["id"]: p["kind"] for p in document["places"] if p["kind"] != "meeting"}
    assert places == {"992010100": "base", "994010100": "lodging", "996010100": "lodging"}


def test_import_refuses_the_swapped_village_as_plan_reports_it(empty_database) -> None:
    result = outreach(
        "import-gazetteer",
        str(DALA / "settlements.csv"),
        "--districts",
        str(DALA / "districts.csv"),
        database=empty_database,
    )
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "settlements.csv: line 24, column lat:" in result.stderr
    assert "are lat and lon swapped?" in result.stderr and "nothing imported" in result.stderr


def test_plan_from_the_database_with_a_base_named_in_kazakh(database, tmp_path) -> None:
    out = tmp_path / "plan.json"
    result = outreach(
        "plan",
        "--district",
        "Aral",
        "--base",
        "арал",
        "--teams",
        "1",
        "--start",
        "2027-04-05",
        "--end",
        "2027-04-30",
        "--time-limit",
        "2",
        "--out",
        str(out),
        database=database,
    )
    assert result.returncode == 0, result.stderr
    document = json.loads(out.read_text(encoding="utf-8"))
    assert [p["id"] for p in document["places"] if p["kind"] == "base"] == ["433220100"]
    assert document["spec"]["districts"] == ["433200000"]
