"""Every settlement is accounted for: in exactly one meeting of the plan, and that meeting is
placed on a team-day, cancelled, or listed as unplaced with its reason — over random
gazetteers (positions missing, district centres missing, whole okrugs without a position) read
through the same file parser as `outreach plan --gazetteer`, and over the shipped one.
Approximate hubs and the legs that touch them are flagged."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from geo.planning.check import violations
from geo.travel import DetourTravelModel
from outreach.domain.errors import InvalidInput
from outreach.domain.locate import districts, planning_sites
from outreach.domain.planning import CampaignSpec, PlanDocument
from outreach.services.gazetteer_import import parse_files
from outreach.services.planning import Snapshot, solve
from tests.services.conftest import SPRING

SETTLEMENT_COLUMNS = ("kato,name_kk,name_ru,name_en,kind,district_kato,district_kk,district_ru,"
                      "rural_okrug_kato,rural_okrug_kk,rural_okrug_ru,lat,lon,population,"
                      "population_year,coord_source,population_source")  # fmt: skip
DISTRICT_COLUMNS = "kato,name_kk,name_ru,name_en,center_name,center_lat,center_lon"
SPEC = CampaignSpec(start=date(2027, 3, 1), end=date(2027, 4, 30), time_limit_s=1.0)


def accounted(document: PlanDocument, scope: set[str]) -> None:
    """The property: each settlement in scope in exactly one meeting; each meeting placed,
    cancelled, or unplaced with a reason, and never two of these."""
    seen = [m.kato for meeting in document.meetings for m in meeting.members]
    assert sorted(seen) == sorted(scope)
    unplaced = {u.meeting_id: u for u in document.unplaced}
    assert len(unplaced) == len(document.unplaced)
    placed = {s.meeting_id for day in document.days for s in day.stops}
    for meeting in document.meetings:
        if meeting.status == "cancelled":
            assert meeting.id not in placed and meeting.id not in unplaced
        elif meeting.team is not None:
            assert meeting.id in placed and meeting.id not in unplaced
        else:
            assert meeting.status == "unplaced" and unplaced[meeting.id].reason
    assert set(unplaced) <= {m.id for m in document.meetings}
    hubs = {m.id: m.hub for m in document.meetings}
    for meeting in document.meetings:
        if meeting.hub.position is None:
            assert unplaced[meeting.id].reason == "no_position" and unplaced[meeting.id].detail
    approximate = {i for i, hub in hubs.items() if hub.approximate}
    for day in document.days:
        before = [day.start_place, *(s.place for s in day.stops)]
        for came_from, stop in zip(before, day.stops, strict=False):
            assert stop.approximate == bool({came_from, stop.place} & approximate)
        assert day.return_approximate == bool({before[-1], day.end_place} & approximate)


@st.composite
def gazetteers(draw: st.DrawFn) -> tuple[bytes, bytes | None]:
    """A small region's settlements and (maybe) districts files: positions near each district's
    centre, many missing; some okrugs with no position at all; a district centre that may be
    unknown; sometimes no districts file."""
    rows, district_rows = [SETTLEMENT_COLUMNS], [DISTRICT_COLUMNS]
    for d in range(draw(st.integers(1, 3))):
        district = f"43{20 + 10 * d}00000"
        lat0, lon0 = 44.0 + d * 0.6, 64.0 + d * 0.7
        centre_known = draw(st.booleans())
        centre = f"Centre {d}"
        for o in range(draw(st.integers(1, 3))):
            okrug = f"{district[:4]}{30 + o:02d}000"
            located_okrug = draw(st.booleans())
            for s in range(draw(st.integers(1, 5))):
                kato = f"{okrug[:6]}{100 + s:03d}"
                name = centre if (o, s) == (0, 0) else f"V{d}{o}{s}"
                located = (located_okrug and draw(st.booleans())) or (name == centre
                                                                      and centre_known)  # fmt: skip
                lat = lat0 + draw(st.floats(-0.25, 0.25)) if located else ""
                lon = lon0 + draw(st.floats(-0.25, 0.25)) if located else ""
                population = draw(st.one_of(st.none(), st.integers(50, 3000)))
                rows.append(f"{kato},,{name},,village,{district},,District {d},{okrug},,"
                            f"Okrug {d}{o},{lat},{lon},{population or ''},,,")  # fmt: skip
        district_rows.append(f"{district},,District {d},,{centre},"
                             f"{lat0 if centre_known else ''},{lon0 if centre_known else ''}")  # fmt: skip
    files = "\n".join(district_rows).encode() if draw(st.booleans()) else None
    return "\n".join(rows).encode(), files


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(gazetteers())
def test_every_settlement_of_a_random_gazetteer_is_accounted_for(files) -> None:
    settlements, district_file = files
    data = parse_files(settlements, district_file)
    snapshot = Snapshot(sites=planning_sites(data), districts=districts(data))
    if not [s for s in snapshot.sites if s.location_quality == "exact"]:
        with pytest.raises(InvalidInput, match="surveyed position"):  # nothing to start from
            solve(SPEC, snapshot, DetourTravelModel())
        return
    solved = solve(SPEC, snapshot, DetourTravelModel())
    accounted(solved.document, {s.kato for s in snapshot.sites})
    assert violations(solved.problem, solved.plan) == []


def test_a_meeting_with_no_position_is_unplaced_with_why_not_dropped() -> None:
    settlements = "\n".join([
        SETTLEMENT_COLUMNS,
        "432000100,,Base,,city,432000000,,D,,,,44.0,64.0,5000,,,",
        "432030100,,A,,village,432000000,,D,432030000,,O1,44.1,64.1,,,,",
        "433031100,,Lost1,,village,433000000,,E,433031000,,O2,,,,,,",
        "433031101,,Lost2,,village,433000000,,E,433031000,,O2,,,,,,",
    ]).encode()  # fmt: skip
    data = parse_files(settlements, None)  # no districts file, and nothing located in E
    snapshot = Snapshot(sites=planning_sites(data), districts=districts(data))
    document = solve(SPEC, snapshot, DetourTravelModel()).document
    accounted(document, {s.kato for s in snapshot.sites if s.kind in SPEC.kinds})
    [lost] = [m for m in document.meetings if m.hub.position is None]
    assert {m.kato for m in lost.members} == {"433031100", "433031101"}
    assert lost.status == "unplaced" and lost.hub.approximate
    [why] = [u for u in document.unplaced if u.meeting_id == lost.id]
    assert why.reason == "no_position" and "2 settlements" in (why.detail or "")
    assert document.totals.villages == 3  # the city is the base, not a meeting


def test_every_settlement_of_the_shipped_gazetteer_is_accounted_for(kyzylorda, spring_plan) -> None:
    # the spring plan tests/services/test_planning.py checks too (made once: conftest.py)
    document = spring_plan.document
    accounted(document, {s.kato for s in kyzylorda.sites if s.kind in SPRING.kinds})
    flagged = [m for m in document.meetings if m.hub.approximate]
    assert flagged  # the gazetteer has hubs known only by their okrug's or district's centre
    legs = [s for d in document.days for s in d.stops if s.approximate]
    assert {s.place for s in legs} | {d.start_place for d in document.days} >= {
        m.id for m in flagged if m.team}  # fmt: skip


def test_the_itinerary_says_which_legs_are_estimates(kyzylorda) -> None:
    from outreach.domain.plan_exports import itinerary_csv

    spec = CampaignSpec(start=date(2027, 3, 1), end=date(2027, 5, 28), districts=["434600000"])
    document = solve(spec, kyzylorda, DetourTravelModel()).document
    rows = list(csv.DictReader(io.StringIO(itinerary_csv(document))))
    approximate = {s.meeting_id for d in document.days for s in d.stops if s.approximate}
    assert approximate
    assert {f"g-{r['hub_kato']}" for r in rows if r["approximate_leg"] == "yes"} == approximate
