"""Coverage on a seeded scenario, every figure computed by hand in the comments."""

from __future__ import annotations

from datetime import date

import pytest

from outreach.domain.coverage import MeetingFacts, ResidentFacts, VillageFacts
from outreach.services.coverage import CoverageFilter, Facts, build

# D1 has A (1,000 people) and B (500) in okrug O1, C (unknown) in O2; D2 has E (2,000), F (unknown)
VILLAGES = [
    VillageFacts(kato="111000001", district="D1", okrug="O1", population=1000),
    VillageFacts(kato="111000002", district="D1", okrug="O1", population=500),
    VillageFacts(kato="111000003", district="D1", okrug="O2", population=None),
    VillageFacts(kato="222000001", district="D2", okrug="O3", population=2000),
    VillageFacts(kato="222000002", district="D2", okrug="O3", population=None),
]
A, B, C, E, F = (v.kato for v in VILLAGES)
MEETINGS = [
    # A and B known: 30 shared 1000:500 -> A 20, B 10
    MeetingFacts(id="m1", team="team-1", date=date(2027, 3, 2), hub=A, villages=(A, B),
                 attendance=30, referrals=(("microcredit", 2),),
                 interested=(("p1", A, None), ("p2", None, "bastau_business"))),
    # C unknown: 12 shared equally -> C 6, B 6
    MeetingFacts(id="m2", team="team-1", date=date(2027, 3, 3), hub=C, villages=(C, B),
                 attendance=12),
    # no villages listed: the hub E gets all 40
    MeetingFacts(id="m3", team="team-2", date=date(2027, 3, 10), hub=E, villages=(),
                 attendance=40, referrals=(("bastau_business", 1), ("microcredit", 1))),
]  # fmt: skip
# r1..r4 met at the meetings, r5 only on a programme's list, r6 at a meeting not held
RESIDENTS = [
    ResidentFacts(
        id=1, district="D1", programme="bastau_business", stage=3, dropped=False, meetings=("m1",)
    ),
    ResidentFacts(
        id=2, district="D1", programme="bastau_business", stage=0, dropped=False, meetings=("m1",)
    ),
    ResidentFacts(
        id=3,
        district="D1",
        programme="microcredit",
        stage=5,
        dropped=False,
        requested_tenge=5_000_000,
        financed_tenge=3_000_000,
        meetings=("m2",),
    ),
    ResidentFacts(
        id=4,
        district="D2",
        programme="microcredit",
        stage=4,
        dropped=True,
        requested_tenge=2_000_000,
        meetings=("m3",),
    ),
    ResidentFacts(
        id=5,
        district="D2",
        programme="bastau_business",
        stage=5,
        dropped=False,
        requested_tenge=1_000_000,
        financed_tenge=800_000,
    ),
    ResidentFacts(id=6, district="D1", programme=None, stage=1, dropped=False, meetings=("m9",)),
]


@pytest.fixture
def coverage():
    return build(Facts(villages=VILLAGES, meetings=MEETINGS, residents=RESIDENTS, plans={}),
                 CoverageFilter())  # fmt: skip


def test_coverage_villages_by_hand(coverage):
    got = {v.kato: (v.reached, v.meetings, v.attendance, v.share, v.interested)
           for v in coverage.villages}  # fmt: skip
    assert got == {
        A: (True, 1, 20.0, 0.02, 2),  # p2 names no village: counted at the hub
        B: (True, 2, 16.0, 0.032, 0),  # 10 + 6 of 500
        C: (True, 1, 6.0, None, 0),  # unknown population: no share, not zero
        E: (True, 1, 40.0, 0.02, 0),
        F: (False, 0, 0.0, None, 0),
    }


def test_coverage_headline_by_hand(coverage):
    h = coverage.headline
    assert (h.villages_in_scope, h.villages_reached) == (5, 4)
    assert (h.population_known, h.villages_population_unknown) == (3500, 2)
    assert h.residents_reached == 82.0  # 20 + 16 + 6 + 40
    assert h.residents_reached_share == round(76 / 3500, 4)  # C's 6 has no known population
    assert (h.meetings_held, h.meetings_planned) == (3, 0)
    assert h.referrals == {"bastau_business": 1, "microcredit": 3}


def test_coverage_districts_okrugs_teams_weeks_by_hand(coverage):
    d1, d2 = coverage.districts
    assert (d1.key, d1.villages_reached, d1.population_known, d1.residents_reached,
            d1.residents_reached_share, d1.meetings_held) == ("D1", 3, 1500, 42.0, 0.024, 2)  # fmt: skip
    assert (d2.key, d2.villages_in_scope, d2.villages_reached, d2.villages_population_unknown,
            d2.residents_reached, d2.referrals) == (
        "D2", 2, 1, 1, 40.0, {"bastau_business": 1, "microcredit": 1})  # fmt: skip
    assert [(o.key, o.villages_reached, o.residents_reached) for o in coverage.okrugs] == [
        ("O1", 2, 36.0), ("O2", 1, 6.0), ("O3", 1, 40.0)]  # fmt: skip
    assert [(t.key, t.villages_reached, t.meetings_held) for t in coverage.teams] == [
        ("team-1", 3, 2), ("team-2", 1, 1)]  # fmt: skip
    assert [(w.key, w.meetings_held, w.villages_reached) for w in coverage.weeks] == [
        ("2027-W09", 2, 3), ("2027-W10", 1, 1)]  # fmt: skip


def funnel_of(row):
    return (row.key, row.interested, row.contacted, row.referred, row.trained, row.defended,
            row.financed, row.dropped, row.requested_tenge, row.financed_tenge)  # fmt: skip


def test_coverage_funnel_by_hand(coverage):
    # reached this stage or a later one: r1 trained (3), r3 and r5 financed (5), r4 defended (4)
    # then dropped; tenge requested by projects defended or further, financed by those financed
    assert funnel_of(coverage.funnel) == ("all", 5, 4, 4, 4, 3, 2, 1, 8_000_000, 3_800_000)
    assert coverage.funnel.conversion == {"contacted": 0.8, "referred": 1.0, "trained": 1.0,
                                          "defended": 0.75, "financed": 0.6667}  # fmt: skip
    assert [funnel_of(r) for r in coverage.funnel_by_district] == [
        ("D1", 3, 2, 2, 2, 1, 1, 0, 5_000_000, 3_000_000),
        ("D2", 2, 2, 2, 2, 2, 1, 1, 3_000_000, 800_000),
    ]
    d1 = coverage.funnel_by_district[0]
    assert d1.conversion == {"contacted": 0.6667, "referred": 1.0, "trained": 1.0,
                             "defended": 0.5, "financed": 1.0}  # fmt: skip
    assert [funnel_of(r) for r in coverage.funnel_by_programme] == [
        ("bastau_business", 3, 2, 2, 2, 1, 1, 0, 1_000_000, 800_000),
        ("microcredit", 2, 2, 2, 2, 2, 1, 1, 7_000_000, 3_000_000),
    ]
    nobody = build(Facts(villages=VILLAGES, meetings=[], residents=[], plans={}), CoverageFilter())
    assert nobody.funnel.conversion == dict.fromkeys(nobody.funnel.conversion)  # all None


def test_coverage_funnel_follows_the_filter():
    facts = Facts(villages=VILLAGES, meetings=MEETINGS, residents=RESIDENTS, plans={})
    d2 = build(facts, CoverageFilter(district="D2")).funnel
    assert (d2.interested, d2.financed, d2.financed_tenge) == (2, 1, 800_000)  # r4 and r5
    team = build(facts, CoverageFilter(team="team-2")).funnel  # r5 was met by no team
    assert (team.interested, team.defended, team.financed_tenge) == (1, 1, 0)


def test_coverage_filters_by_district_team_and_dates():
    facts = Facts(villages=VILLAGES, meetings=MEETINGS, residents=RESIDENTS, plans={})
    d2 = build(facts, CoverageFilter(district="D2")).headline
    assert (d2.villages_in_scope, d2.villages_reached, d2.meetings_held) == (2, 1, 1)
    early = build(facts, CoverageFilter(date_to=date(2027, 3, 2))).headline
    assert (early.meetings_held, early.residents_reached) == (1, 30.0)
    team = build(facts, CoverageFilter(team="team-2")).headline
    assert team.meetings_held == 1
