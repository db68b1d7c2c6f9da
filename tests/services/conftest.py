"""Fixtures the planning tests share: the shipped gazetteer as the planner takes it, and its
spring plan, made once for every test that reads it (a whole-oblast plan takes seconds)."""

from __future__ import annotations

from datetime import date

import msgspec
import pytest

from geo.travel import DetourTravelModel
from outreach.domain.locate import districts, planning_sites
from outreach.domain.planning import CampaignSpec
from outreach.services.gazetteer_import import packaged_kyzylorda
from outreach.services.planning import Snapshot, Solved, solve

SPRING = CampaignSpec(start=date(2027, 3, 1), end=date(2027, 5, 28))


@pytest.fixture(scope="session")
def kyzylorda() -> Snapshot:
    data, _ = packaged_kyzylorda()
    return Snapshot(sites=planning_sites(data), districts=districts(data))


@pytest.fixture(scope="session")
def spring_plan(kyzylorda: Snapshot) -> Solved:
    # 12 s rather than the default 8 for the whole oblast: the suite runs in two processes,
    # and a plan cut short by the other's load once left a meeting unplaced for want of search
    whole = msgspec.structs.replace(SPRING, time_limit_s=12)
    return solve(whole, kyzylorda, DetourTravelModel())
