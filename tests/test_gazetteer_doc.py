"""docs/gazetteer.md stays true: every column the parser knows is described (the required
ones as required), every kind is named, and its example files are read as it says."""

from __future__ import annotations

import re
from pathlib import Path

import msgspec
import pytest

from outreach.domain import gazetteer_csv as csv_format
from outreach.domain.gazetteer import KINDS
from outreach.domain.locate import planning_sites
from outreach.domain.planning import CampaignSpec

ROOT = Path(__file__).resolve().parent.parent
DOC = (ROOT / "docs" / "gazetteer.md").read_text(encoding="utf-8")


def section(title: str) -> str:
    found = re.search(rf"^## {re.escape(title)}.*?\n(.*?)(?=^## |\Z)", DOC, re.M | re.S)
    assert found, title
    return found.group(1)


def table_columns(text: str) -> dict[str, bool]:
    """Each column a table row describes, and whether it is marked required (bold)."""
    columns: dict[str, bool] = {}
    for cell in re.findall(r"^\| ([^|]+) \|", text, re.M):
        for name in re.findall(r"`([a-z_]+)`", cell):
            columns[name] = f"**`{name}`**" in cell
    return columns


@pytest.mark.parametrize(
    ("title", "required", "optional"),
    [
        ("Settlements", csv_format.SETTLEMENT_REQUIRED, csv_format.SETTLEMENT_OPTIONAL),
        ("Districts", csv_format.DISTRICT_REQUIRED, csv_format.DISTRICT_OPTIONAL),
    ],
)
def test_every_column_is_described_and_required_ones_are_marked(title, required, optional):
    described = table_columns(section(title))
    assert described == {name: name in required for name in required + optional}


def test_every_kind_is_named_and_a_plan_covers_the_kinds_the_page_says() -> None:
    settlements = section("Settlements")
    assert all(f"`{kind}`" in settlements for kind in KINDS)
    spec = msgspec.convert({"start": "2027-04-05", "end": "2027-04-09"}, CampaignSpec)
    covered = re.search(r"Plans cover (.*?) settlements", section("What is planned"), re.S)
    assert covered is not None
    assert set(re.findall(r"`([a-z]+)`", covered.group(1))) == set(spec.kinds)


def test_the_example_files_read_as_the_page_says() -> None:
    settlements, districts = re.findall(r"```csv\n(.*?)```", DOC, re.S)
    data = csv_format.parse_gazetteer(settlements, districts_text=districts)
    sites = {site.names.ru: site for site in planning_sites(data)}
    assert sites["Талап"].location_quality == "okrug_centre"
    assert sites["Талап"].position == sites["Аксу"].position
