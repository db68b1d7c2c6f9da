"""What the leadership dashboard reads beside coverage, on both engines: the campaigns and the
current one (by Kazakhstan's today), the okrug filter on every coverage operation, the
villages of known population, the progress week by week, and typed workbooks."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime, timedelta
from itertools import pairwise

import pytest
from litestar.testing import AsyncTestClient
from openpyxl import load_workbook

from outreach.app import create_app
from outreach.services.clock import today_local
from tests.api.test_coverage_api import seeded
from tests.api.test_plans_api import make_plan
from tests.conftest import enrol_device, sign_in

KARMAKSHY = "434600000"
COVERAGE_OPERATIONS = ("/api/v1/coverage", "/api/v1/coverage.csv", "/api/v1/coverage.xlsx",
                       "/api/v1/coverage.geojson")  # fmt: skip


async def publish(client, name: str, start: date, end: date) -> int:
    """A Karmakshy plan of the campaign `name` over those dates, published; its id."""
    plan = await make_plan(client, name=name, start=start.isoformat(), end=end.isoformat())
    plan_id = plan["summary"]["id"]
    response = await client.post(f"/api/v1/plans/{plan_id}/publish")
    assert response.status_code == 200, response.text
    return int(plan_id)


async def listed(client) -> dict:
    response = await client.get("/api/v1/coverage/campaigns")
    assert response.status_code == 200, response.text
    return response.json()


async def test_campaigns_list_published_plans_and_the_current_one(client):
    assert await listed(client) == {"current": None, "campaigns": []}
    today = today_local()
    days = lambda n: today + timedelta(days=n)  # noqa: E731
    later = await publish(client, "Autumn", days(40), days(60))
    earlier = await publish(client, "Winter", days(-60), days(-40))
    await make_plan(client, name="Draft", start=days(-3).isoformat(), end=days(3).isoformat())
    got = await listed(client)
    assert [c["id"] for c in got["campaigns"]] == [earlier, later]  # by start; no draft
    assert got["current"] == earlier  # none under way today: the one that ended last

    now = await publish(client, "Spring", days(-5), days(10))
    got = await listed(client)
    assert [c["id"] for c in got["campaigns"]] == [earlier, now, later]
    assert got["current"] == now  # its dates include today
    [entry] = [c for c in got["campaigns"] if c["id"] == now]
    assert entry == {"id": now, "name": "Spring", "campaign": "Spring",
                     "start": days(-5).isoformat(), "end": days(10).isoformat(),
                     "districts": [KARMAKSHY]}  # fmt: skip
    # the names coverage's campaign rows carry after the id
    rows = (await client.get("/api/v1/coverage")).json()["campaigns"]
    assert {r["key"] for r in rows} == {f"{c['id']}: {c['name']}" for c in got["campaigns"]}

    again = await publish(client, "Spring", days(-5), days(12))  # supersedes `now`
    got = await listed(client)
    assert [c["id"] for c in got["campaigns"]] == [earlier, again, later]
    assert got["current"] == again


async def test_campaigns_are_for_leadership_and_coordinators_as_coverage_is(
    client, anonymous_phone, database, settings
):
    async with AsyncTestClient(app=create_app(settings)) as nobody:
        for path in ("/api/v1/coverage", "/api/v1/coverage/campaigns"):
            response = await nobody.get(path)
            assert (response.status_code, response.json()["code"]) == (401, "sign_in_required")
    await enrol_device(client, anonymous_phone, database, "field-a", "team-1")
    for path in ("/api/v1/coverage", "/api/v1/coverage/campaigns"):
        response = await anonymous_phone.get(path)
        assert (response.status_code, response.json()["code"]) == (403, "forbidden"), path
    async with AsyncTestClient(app=create_app(settings)) as boss:
        await sign_in(boss, database, "leadership")
        assert (await boss.get("/api/v1/coverage/campaigns")).status_code == 200


async def okrug_of_the_first_meeting(client, sent) -> tuple[str, set[str]]:
    """The okrug of the first held meeting's hub, and its villages' KATO codes."""
    hub = sent[0]["set"]["hub"]
    okrug = (await client.get(f"/api/v1/villages/{hub}")).json()["okrug_kato"]
    found = await client.get("/api/v1/villages", params={"okrug": okrug, "limit": 1000})
    return okrug, {v["kato"] for v in found.json()["items"]}


async def test_coverage_okrug_filter_on_every_operation(client, anonymous_phone, database):
    _, sent = await seeded(client, anonymous_phone, database)
    okrug, villages = await okrug_of_the_first_meeting(client, sent)
    got = (await client.get("/api/v1/coverage", params={"okrug": okrug})).json()
    headline = got["headline"]
    assert headline["villages_in_scope"] == len(villages) > 1
    assert {v["kato"] for v in got["villages"]} == villages
    assert [o["key"] for o in got["okrugs"]] == [okrug]
    assert headline["meetings_held"] >= 1
    # the okrug alone adds up as its row of the whole region does
    [row] = [
        o for o in (await client.get("/api/v1/coverage")).json()["okrugs"] if o["key"] == okrug
    ]
    for figure in ("villages_in_scope", "villages_reached", "population_known",
                   "villages_population_known", "residents_reached", "meetings_held"):  # fmt: skip
        assert headline[figure] == row[figure], figure

    text = (await client.get("/api/v1/coverage.csv", params={"okrug": okrug})).text
    assert {r["kato"] for r in csv.DictReader(io.StringIO(text.lstrip("\ufeff")))} == villages
    book = load_workbook(io.BytesIO(
        (await client.get("/api/v1/coverage.xlsx", params={"okrug": okrug})).content))  # fmt: skip
    assert {r[0] for r in book["villages"].iter_rows(min_row=2, values_only=True)} == villages
    geojson = (await client.get("/api/v1/coverage.geojson", params={"okrug": okrug})).json()
    assert {f["id"] for f in geojson["features"]} == villages
    # an okrug and a district it is not in: nothing in scope
    other = await client.get("/api/v1/coverage", params={"okrug": okrug, "district": "431000000"})
    assert other.json()["headline"]["villages_in_scope"] == 0


@pytest.mark.parametrize("path", COVERAGE_OPERATIONS)
async def test_coverage_bad_okrug_is_400_as_a_bad_district_is(client, path):
    district = await client.get(path, params={"district": "12"})
    okrug = await client.get(path, params={"okrug": "4346300"})
    assert okrug.status_code == district.status_code == 400
    body = okrug.json()
    assert body["code"] == district.json()["code"] == "validation_failed"
    assert body["status"] == 400 and body["request_id"]
    assert [(d["key"], d["source"]) for d in body["details"]] == [("okrug", "query")]


async def test_coverage_rollups_count_villages_of_known_population(client, anonymous_phone,
                                                                   database):  # fmt: skip
    _, sent = await seeded(client, anonymous_phone, database)
    first, second = ([m["set"]["hub"], *m["add"]["villages"]] for m in sent)
    for population, kato in enumerate(dict.fromkeys(first), start=3):  # the first meeting's
        patched = await client.patch(
            f"/api/v1/villages/{kato}", json={"population": population * 100}
        )
        assert patched.status_code == 200, patched.text
    got = (await client.get("/api/v1/coverage", params={"district": KARMAKSHY})).json()
    headline, villages = got["headline"], got["villages"]
    known = [v for v in villages if v["population"] is not None]
    assert set(first) <= {v["kato"] for v in known}
    assert not set(second) & {v["kato"] for v in known}  # the second's stay unknown
    assert headline["villages_population_known"] == len(known)
    assert len(known) + headline["villages_population_unknown"] == headline["villages_in_scope"]
    # the first meeting's attendance, all of it to villages of known population now
    assert headline["residents_reached_known"] == sent[0]["set"]["attendance"]["total"]
    assert headline["residents_reached_known"] < headline["residents_reached"]
    assert headline["residents_reached_known"] == pytest.approx(
        sum(v["attendance"] for v in known), abs=0.006)  # fmt: skip
    assert headline["residents_reached_share"] == pytest.approx(
        headline["residents_reached_known"] / headline["population_known"], abs=1e-4)  # fmt: skip
    for row in got["districts"] + got["okrugs"] + got["teams"] + got["weeks"]:
        assert row["villages_population_known"] + row["villages_population_unknown"] == (
            row["villages_in_scope"])  # fmt: skip


def monday_of(day: str) -> date:
    found = date.fromisoformat(day)
    return found - timedelta(days=found.weekday())


async def test_coverage_progress_ends_at_the_headline(client, anonymous_phone, database):
    plan, sent = await seeded(client, anonymous_phone, database)
    got = (await client.get("/api/v1/coverage")).json()
    progress, headline = got["progress"], got["headline"]
    placed = [m for m in plan["document"]["meetings"] if m["team"]]
    starts = [date.fromisoformat(r["starts"]) for r in progress]
    dates = [m["date"] for m in placed] + [m["set"]["date"] for m in sent]
    assert starts[0] == min(map(monday_of, dates))
    assert starts[-1] == max(map(monday_of, dates))
    assert starts == [starts[0] + timedelta(weeks=i) for i in range(len(starts))]  # no gap
    for row, monday in zip(progress, starts, strict=True):
        year, week, weekday = monday.isocalendar()
        assert (row["week"], weekday) == (f"{year}-W{week:02d}", 1)
    figures = ("villages_reached", "villages_planned", "residents_met", "residents_expected",
               "meetings_held", "meetings_planned")  # fmt: skip
    for before, after in pairwise(progress):
        assert all(before[f] <= after[f] for f in figures)  # cumulative
    last = progress[-1]
    assert last["villages_reached"] == headline["villages_reached"]
    assert last["meetings_held"] == headline["meetings_held"] == 2
    assert last["meetings_planned"] == headline["meetings_planned"] == len(placed)
    assert last["residents_met"] == pytest.approx(headline["residents_reached"], abs=0.05)
    expected = sum(m["expected_attendance"] for m in placed)
    assert last["residents_expected"] == pytest.approx(expected, abs=0.05)
    invited = {k for m in placed for k in (m["hub"]["id"].removeprefix("g-"),
                                           *(v["kato"] for v in m["members"]))}  # fmt: skip
    assert last["villages_planned"] == len(invited)

    text = (await client.get("/api/v1/coverage.csv", params={"level": "progress"})).text
    rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    assert [r["starts"] for r in rows] == [r["starts"] for r in progress]  # ISO dates
    assert [int(r["meetings_held"]) for r in rows] == [r["meetings_held"] for r in progress]


async def test_coverage_workbook_keeps_types_and_a_bold_frozen_header(client, anonymous_phone,
                                                                      database):  # fmt: skip
    await seeded(client, anonymous_phone, database)
    api = (await client.get("/api/v1/coverage")).json()
    book = load_workbook(io.BytesIO((await client.get("/api/v1/coverage.xlsx")).content))
    assert "progress" in book.sheetnames
    for sheet in book:
        assert sheet.freeze_panes == "B2", sheet.title
        assert all(cell.font.bold for cell in sheet[1]), sheet.title
    rows = {sheet.title: list(sheet.iter_rows(values_only=True)) for sheet in book}
    header, *villages = rows["villages"]
    met = [dict(zip(header, v, strict=True)) for v in villages]
    met = [v for v in met if v["last_met"] is not None]
    assert met and all(isinstance(v["last_met"], datetime) for v in met)  # dates, not text
    assert all(isinstance(v["meetings"], int) for v in met)
    assert all(isinstance(v["attendance"], int | float) for v in met)
    column = header.index("last_met") + 1
    dated = [c for (c,) in book["villages"].iter_rows(min_row=2, min_col=column, max_col=column)
             if c.value is not None]  # fmt: skip
    assert dated and {c.number_format for c in dated} == {"yyyy-mm-dd"}
    by_kato = {v["kato"]: v for v in api["villages"]}
    assert {v["kato"]: v["last_met"].date().isoformat() for v in met} == {
        k: v["last_met"] for k, v in by_kato.items() if v["last_met"]}  # fmt: skip
    header, *weeks = rows["progress"]
    assert len(weeks) == len(api["progress"])
    first = dict(zip(header, weeks[0], strict=True))
    assert first["starts"] == datetime.fromisoformat(api["progress"][0]["starts"])
    assert isinstance(first["meetings_planned"], int)
    assert isinstance(first["residents_expected"], int | float)
    header, values = rows["headline"]
    headline = dict(zip(header, values, strict=True))
    assert headline["villages_population_known"] == api["headline"]["villages_population_known"]
    assert isinstance(headline["villages_population_known"], int)
    assert headline["residents_reached_known"] == pytest.approx(
        api["headline"]["residents_reached_known"])  # fmt: skip
