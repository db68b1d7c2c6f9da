"""docs/plan-format.md stays true: its example decodes as a plan document's parts."""

from __future__ import annotations

import json
import re
from pathlib import Path

import msgspec

from outreach.domain.planning import PlanDay, PlannedMeeting, PlanTotals, UnplacedMeeting

DOC = (Path(__file__).resolve().parent.parent / "docs" / "plan-format.md").read_text()


def example() -> dict:
    text = re.search(r"```json\n(.*?)```", DOC, re.DOTALL).group(1)
    return json.loads(text)


def test_example_parts_decode_as_the_documented_types() -> None:
    doc = example()
    msgspec.convert(doc["meetings"], list[PlannedMeeting])
    msgspec.convert(doc["days"], list[PlanDay])
    msgspec.convert(doc["unplaced"], list[UnplacedMeeting])
    msgspec.convert(doc["totals"], PlanTotals)


def test_every_top_level_field_is_documented() -> None:
    from outreach.domain.planning import PlanDocument

    assert set(example()) == set(PlanDocument.__struct_fields__)
