"""`outreach simulate --district` names a district as the other commands do: by KATO code
or by a name in any language (the simulated season is played on the shipped gazetteer)."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from outreach.cli import main
from outreach.cli.simulate import simulated_district


@pytest.mark.parametrize(
    "name", ["434600000", "Karmakshy", "Кармакшинский район", "Қармақшы", "karmak"]
)
def test_simulate_takes_a_district_by_code_or_name(name: str) -> None:
    assert simulated_district(name) == "434600000"


@pytest.mark.parametrize(
    ("name", "said"),
    [("Nowhere", "--district 'Nowhere' names 0 districts"), ("999999999", "no district has")],
)
def test_simulate_refuses_an_unknown_district_before_playing(tmp_path, name, said) -> None:
    result = CliRunner().invoke(main, ["simulate", "--district", name, "--folder", str(tmp_path)])
    assert result.exit_code == 1, result.output
    assert said in result.stderr and "434600000 Karmakshy District" in result.stderr
    assert list(tmp_path.iterdir()) == []  # nothing was played
