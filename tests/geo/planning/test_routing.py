"""The routing core's use of its time."""

from __future__ import annotations

import time

import pytest

from geo.planning import routing
from geo.planning.skeleton import build_slots
from tests.geo.planning.factories import make_problem, ring


def test_first_solutions_share_part_of_the_time_and_the_cheapest_descends_on(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    problem = make_problem(ring(12, 0.3), time_limit_s=2.0)
    calls: list[tuple[float, int | None, bool]] = []
    descend = routing._Model.descend

    def recorded(self, fixed, due, strategy, start):  # type: ignore[no-untyped-def]
        calls.append((due - time.monotonic(), strategy, start is not None))
        return descend(self, fixed, due, strategy, start)

    monkeypatch.setattr(routing._Model, "descend", recorded)
    routes, status = routing.solve(problem, build_slots(problem), set())
    assert status == "solved"
    assert sum(len(r) for r in routes.values()) == 12
    firsts = [call for call in calls if call[1] is not None]
    assert [strategy for _, strategy, _ in firsts] == list(routing.STARTS)
    assert firsts[0][0] <= routing.FIRST_SHARE * 2.0 / len(routing.STARTS) + 0.01
    assert calls[len(firsts)][1:] == (None, True)  # then on from the cheapest, with the rest
    assert calls[len(firsts)][0] > firsts[0][0]
