"""Coverage on a seeded scenario, every figure computed by hand in the comments; the progress
week by week; which campaign is current."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import msgspec
import pytest

from outreach.domain.coverage import MeetingFacts, ResidentFacts, VillageFacts, shares
from outreach.domain.coverage_campaigns import CampaignPeriod, campaigns, current
from outreach.domain.coverage_exports import PROGRAMME_NAMES
from outreach.domain.planning import PlanDocument
from outreach.domain.progress import progress
from outreach.domain.records import PROGRAMMES
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


def test_coverage_rollups_say_how_many_villages_have_a_known_population(coverage):
    h = coverage.headline
    # A, B and E are known (3,500 people); C and F are not
    assert (h.villages_population_known, h.villages_population_unknown) == (3, 2)
    assert h.residents_reached_known == 76.0  # A 20 + B 16 + E 40; C's 6 is apart
    assert h.residents_reached_share == round(h.residents_reached_known / h.population_known, 4)
    d1, d2 = coverage.districts
    assert (d1.villages_population_known, d1.residents_reached_known) == (2, 36.0)
    assert (d2.villages_population_known, d2.residents_reached_known) == (1, 40.0)
    [o2] = [o for o in coverage.okrugs if o.key == "O2"]
    assert (o2.villages_population_known, o2.residents_reached_known) == (0, 0.0)
    assert o2.residents_reached_share is None


def test_coverage_okrug_filter_adds_up_as_the_okrug_row():
    facts = Facts(villages=VILLAGES, meetings=MEETINGS, residents=RESIDENTS, plans={})
    o1 = build(facts, CoverageFilter(okrug="O1"))
    assert [v.kato for v in o1.villages] == [A, B]
    h = o1.headline
    # m2 gathered C (O2) and B: B keeps its 6, as in the unfiltered row, never C's share too
    assert (h.villages_in_scope, h.villages_reached, h.meetings_held) == (2, 2, 2)
    assert (h.residents_reached, h.population_known) == (36.0, 1500)
    [row] = [o for o in build(facts, CoverageFilter()).okrugs if o.key == "O1"]
    assert (h.villages_reached, h.residents_reached, h.meetings_held) == (
        row.villages_reached, row.residents_reached, row.meetings_held)  # fmt: skip
    assert [o.key for o in o1.okrugs] == ["O1"]
    assert build(facts, CoverageFilter(okrug="O1", district="D2")).headline.villages_in_scope == 0
    # r5, brought in by a programme's list, says no village: an okrug does not count them
    assert build(facts, CoverageFilter(okrug="O3")).funnel.interested == 1  # r4 only
    assert build(facts, CoverageFilter(district="D2")).funnel.interested == 2  # r4 and r5


def make_document(meetings: list[dict], start: str = "2027-03-01", end: str = "2027-04-30"):
    """A published plan's document by hand: only what coverage reads is meaningful."""
    place = {"kind": "meeting", "names": {"ru": "x"}, "position": {"lat": 45.0, "lon": 64.0}}
    member = {"names": {"ru": "x"}, "population": None, "approximate": False}
    return msgspec.convert({
        "name": "Spring", "spec": {"name": "Spring", "start": start, "end": end},
        "gazetteer_version": 1, "places": [], "days": [], "unplaced": [], "solver": {},
        "totals": {"road_km": 0, "meetings": len(meetings), "meetings_placed": len(meetings),
                   "villages": 0, "team_days": {}, "balance_days": 0, "last_date": None,
                   "extra_team_days_needed": 0},
        "meetings": [{
            "id": f"g-{hub}", "status": "planned" if team else "unplaced",
            "hub": {**place, "id": f"g-{hub}"},
            "members": [{**member, "kato": k} for k in members],
            "expected_attendance": expected, "team": team, "date": day,
            "start": None, "end": None, "order": None,
        } for hub, members, expected, team, day in meetings],
    }, PlanDocument)  # fmt: skip


# placed: W09 A+B (25) and C+B (10), W11 E+F (35.5), W13 F (8); nothing in W12; one unplaced
PLANNED = [
    (A, (A, B), 25.0, "team-1", "2027-03-02"),
    (C, (C, B), 10.0, "team-1", "2027-03-03"),
    (E, (E, F), 35.5, "team-2", "2027-03-17"),
    (F, (F,), 8.0, "team-2", "2027-03-31"),
    (B, (B,), 99.0, None, None),
]


def progress_of(rows):
    return [(r.week, r.starts.isoformat(), r.villages_reached, r.villages_planned,
             r.residents_met, r.residents_expected, r.meetings_held, r.meetings_planned)
            for r in rows]  # fmt: skip


def test_coverage_progress_is_cumulative_week_by_week_by_hand():
    facts = Facts(villages=VILLAGES, meetings=MEETINGS, residents=[],
                  plans={7: make_document(PLANNED)})  # fmt: skip
    got = build(facts, CoverageFilter())
    # held: W09 m1 (A 20, B 10) and m2 (C 6, B 6), W10 m3 (E 40)
    assert progress_of(got.progress) == [
        ("2027-W09", "2027-03-01", 3, 3, 42.0, 35.0, 2, 2),
        ("2027-W10", "2027-03-08", 4, 3, 82.0, 35.0, 3, 2),
        ("2027-W11", "2027-03-15", 4, 5, 82.0, 70.5, 3, 3),
        ("2027-W12", "2027-03-22", 4, 5, 82.0, 70.5, 3, 3),  # a week with nothing: no gap
        ("2027-W13", "2027-03-29", 4, 5, 82.0, 78.5, 3, 4),
    ]
    last, h = got.progress[-1], got.headline
    assert (last.villages_reached, last.meetings_held, last.meetings_planned) == (
        h.villages_reached, h.meetings_held, h.meetings_planned)  # fmt: skip
    assert last.residents_met == round(h.residents_reached, 1)
    # an okrug: O3 (E, F) has m3 and the last two planned meetings only
    o3 = build(facts, CoverageFilter(okrug="O3"))
    assert progress_of(o3.progress) == [
        ("2027-W10", "2027-03-08", 1, 0, 40.0, 0.0, 1, 0),
        ("2027-W11", "2027-03-15", 1, 2, 40.0, 35.5, 1, 1),
        ("2027-W12", "2027-03-22", 1, 2, 40.0, 35.5, 1, 1),
        ("2027-W13", "2027-03-29", 1, 2, 40.0, 43.5, 1, 2),
    ]
    assert o3.progress[-1].meetings_planned == o3.headline.meetings_planned
    # dates cut both the meetings held and those planned
    early = build(facts, CoverageFilter(date_to=date(2027, 3, 10)))
    assert [r.week for r in early.progress] == ["2027-W09", "2027-W10"]
    assert early.progress[-1].meetings_planned == early.headline.meetings_planned == 2


def test_coverage_progress_is_empty_without_meetings():
    assert build(Facts(villages=VILLAGES, meetings=[], residents=[], plans={}),
                 CoverageFilter()).progress == []  # fmt: skip


def test_coverage_progress_crosses_a_year_by_iso_weeks():
    late = [MeetingFacts(id="y", team="t", date=date(2027, 12, 29), hub=A, villages=(),
                         attendance=3),
            MeetingFacts(id="z", team="t", date=date(2028, 1, 11), hub=B, villages=(),
                         attendance=5)]  # fmt: skip
    rows = progress([(m.date, got, 1) for m, got in shares_of(late)], [], {A, B})
    assert [(r.week, r.starts) for r in rows] == [
        ("2027-W52", date(2027, 12, 27)), ("2028-W01", date(2028, 1, 3)),
        ("2028-W02", date(2028, 1, 10))]  # fmt: skip
    assert [r.residents_met for r in rows] == [3.0, 3.0, 8.0]


def shares_of(meetings):
    villages = {v.kato: v for v in VILLAGES}
    return [(m, shares(m, villages)) for m in meetings]


def period(plan_id: int, start: str, end: str) -> CampaignPeriod:
    return CampaignPeriod(id=plan_id, name=f"c{plan_id}", campaign=f"c{plan_id}",
                          start=date.fromisoformat(start), end=date.fromisoformat(end),
                          districts=[])  # fmt: skip


def test_campaigns_current_is_the_one_under_way_else_the_latest():
    today = date(2027, 4, 15)
    earlier, now, later = (period(3, "2027-01-10", "2027-02-28"),
                           period(1, "2027-04-01", "2027-05-31"),
                           period(2, "2027-09-01", "2027-10-31"))  # fmt: skip
    got = campaigns([later, now, earlier], today)
    assert [c.id for c in got.campaigns] == [3, 1, 2]  # by start date
    assert got.current == 1
    # none under way: the one that ended last, not an upcoming one with nothing to show yet
    # (the dashboard opened on an empty campaign)
    assert current([earlier, later], today) == 3
    assert current([later], today) == 2  # none begun: the next to begin
    assert current([later, period(5, "2027-06-01", "2027-06-30")], today) == 5
    assert current([earlier], today) == 3
    assert current([], today) is None
    assert current([period(1, "2027-04-15", "2027-04-15")], today) == 1  # both ends count
    # two under way: the one that started last; the same start: the higher id
    overlapping = [
        now,
        period(4, "2027-04-10", "2027-04-20"),
        period(5, "2027-03-01", "2027-06-01"),
    ]
    assert current(overlapping, today) == 4
    assert current([period(6, "2027-04-10", "2027-04-30"), period(4, "2027-04-10", "2027-04-20")],
                   today) == 6  # fmt: skip
    # none under way, the same end: the later start, then the higher id (both ended)
    assert current([period(7, "2027-01-01", "2027-02-01"), period(8, "2027-01-05", "2027-02-01")],
                   today) == 8  # fmt: skip
    assert current([period(9, "2027-01-05", "2027-02-01"), period(8, "2027-01-05", "2027-02-01")],
                   today) == 9  # fmt: skip
    same_start = campaigns([period(9, "2027-01-05", "2027-02-01"),
                            period(8, "2027-01-05", "2027-03-01")], today)  # fmt: skip
    assert [c.id for c in same_start.campaigns] == [8, 9]


CATALOGUES = Path(__file__).resolve().parents[2] / "static" / "pwa" / "i18n"
# the phone's label is the short one; the server's is the programme's full name, which
# operators' lists are also matched by (outreach/domain/programme_lists.py)
SHORTER_IN_THE_APP = {("kk", "utility_connections")}


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_export_programme_names_are_the_dashboards(lang):
    catalogue = json.loads((CATALOGUES / f"{lang}.json").read_text(encoding="utf-8"))
    shown = {k.removeprefix("programme."): v for k, v in catalogue.items()
             if k.startswith("programme.")}  # fmt: skip
    shown["unspecified"] = catalogue["dash.unspecified"]
    assert set(shown) == set(PROGRAMME_NAMES) == {*PROGRAMMES, "unspecified"}
    exported = {k: getattr(names, lang) for k, names in PROGRAMME_NAMES.items()}
    assert {(lang, k) for k in shown if shown[k] != exported[k]} == {
        d for d in SHORTER_IN_THE_APP if d[0] == lang}  # fmt: skip
