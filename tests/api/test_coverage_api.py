"""Coverage through the API on a published plan and meetings pushed by a phone: planned against
held, road km, exports that carry the API's numbers, privacy for leadership, audits."""

from __future__ import annotations

import csv
import io
import random
from datetime import timedelta

from openpyxl import load_workbook

from outreach.services.clock import today_local
from tests.api.test_geojson import assert_valid_feature_collection
from tests.api.test_plans_api import make_plan
from tests.conftest import enrol_device, sign_in
from tests.sync.phone import make_meeting
from tests.sync.test_push import push


async def seeded(client, phone, database) -> tuple[dict, list[dict]]:
    """A published Karmakshy plan, and team-1's first two planned meetings held."""
    plan = await make_plan(client)
    plan_id = plan["summary"]["id"]
    await client.post(f"/api/v1/plans/{plan_id}/publish")
    await enrol_device(client, phone, database, "field-a", "team-1")
    doc = plan["document"]
    mine = sorted((m for m in doc["meetings"] if m["team"] == "team-1"),
                  key=lambda m: (m["date"], m["order"]))[:2]  # fmt: skip
    rng = random.Random(40)
    sent = [make_meeting(rng, plan_id=plan_id, plan_meeting=m["id"], date=m["date"],
                         hub=m["hub"]["id"].removeprefix("g-")) for m in mine]  # fmt: skip
    for mutation, planned in zip(sent, mine, strict=True):
        hub = planned["hub"]["position"]  # the phone's position, a little off the hub's
        mutation["set"]["position"] = {"lat": round(hub["lat"] + 0.001234, 6),
                                       "lon": round(hub["lon"] - 0.002345, 6), "accuracy_m": 8.5}  # fmt: skip
        mutation["add"]["villages"] = [v["kato"] for v in planned["members"]]
        mutation["add"]["interested"] = mutation["add"]["interested"][:1]
        del mutation["add"]["interested"][0]["village"]
    results = await push(phone, sent)
    assert {r["status"] for r in results} == {"applied"}, results
    return plan, sent


async def test_coverage_planned_held_and_road_km(client, anonymous_phone, database):
    plan, sent = await seeded(client, anonymous_phone, database)
    got = (await client.get("/api/v1/coverage")).json()
    doc = plan["document"]
    placed = [m for m in doc["meetings"] if m["team"]]
    headline = got["headline"]
    assert headline["meetings_planned"] == len(placed)
    assert headline["meetings_held"] == 2
    held_days = {m["set"]["date"] for m in sent}
    expected_km = sum(d["road_km"] for d in doc["days"]
                      if d["team"] == "team-1" and d["date"] in held_days)  # fmt: skip
    assert headline["road_km"] == round(expected_km, 1)
    assert headline["residents_reached"] == sum(m["set"]["attendance"]["total"] for m in sent)
    reached = {k for m in sent for k in m["add"]["villages"]}
    assert headline["villages_reached"] == len(reached)
    [team] = [t for t in got["teams"] if t["key"] == "team-1"]
    assert team["meetings_held"] == 2
    [campaign] = got["campaigns"]
    assert campaign["meetings_planned"] == len(placed)
    karmakshy = [d for d in got["districts"] if d["key"] == "434600000"]
    assert karmakshy[0]["villages_reached"] == len(reached)


async def test_coverage_exports_carry_the_api_numbers_and_are_audited(client, anonymous_phone,
                                                                      database):  # fmt: skip
    await seeded(client, anonymous_phone, database)
    api = (await client.get("/api/v1/coverage")).json()
    districts = {d["kato"]: d["names"] for d in (await client.get("/api/v1/districts")).json()}
    for delimiter, separator in (("comma", ","), ("semicolon", ";")):
        got = await client.get("/api/v1/coverage.csv",
                               params={"level": "districts", "delimiter": delimiter})  # fmt: skip
        assert got.content.startswith(b"\xef\xbb\xbf")  # the byte-order mark Excel needs
        assert got.headers["content-type"] == "text/csv; charset=utf-8"
        text = got.content.decode("utf-8-sig")
        rows = list(csv.DictReader(io.StringIO(text), delimiter=separator))
        assert [r["key"] for r in rows] == [d["key"] for d in api["districts"]]
        for row, district in zip(rows, api["districts"], strict=True):
            assert row["name_ru"] == districts[row["key"]]["ru"]  # names beside the code
            assert row["name_kk"] == (districts[row["key"]]["kk"] or "")
            assert int(row["villages_reached"]) == district["villages_reached"]
            assert float(row["residents_reached"]) == district["residents_reached"]
            assert int(row["referrals_microcredit"]) == district["referrals"].get("microcredit", 0)
    okrugs = (await client.get("/api/v1/coverage.csv", params={"level": "okrugs"})).content
    okrug_rows = list(csv.DictReader(io.StringIO(okrugs.decode("utf-8-sig"))))
    assert okrug_rows and all(r["name_ru"] for r in okrug_rows)
    workbook = await client.get("/api/v1/coverage.xlsx")
    book = load_workbook(io.BytesIO(workbook.content))
    assert book.sheetnames[:2] == ["headline", "districts"]
    header, *values = list(book["headline"].iter_rows(values_only=True))
    headline = dict(zip(header, values[0], strict=True))
    assert headline["villages_reached"] == api["headline"]["villages_reached"]
    assert isinstance(headline["villages_reached"], int)  # typed numbers, not text
    assert headline["road_km"] == api["headline"]["road_km"]
    sheet = book["districts"]
    assert sheet.freeze_panes == "B2"  # the header row (and the key column) stay in view
    assert [c.value for c in sheet[1][:4]] == ["key", "name_kk", "name_ru", "name_en"]
    assert sheet.column_dimensions["C"].width >= max(len(n["ru"]) for n in districts.values())
    village_rows = list(book["villages"].iter_rows(values_only=True))
    assert len(village_rows) - 1 == len(api["villages"])
    geojson = (await client.get("/api/v1/coverage.geojson")).json()
    assert_valid_feature_collection(geojson)
    reached = [f for f in geojson["features"] if f["properties"]["reached"]]
    assert len(reached) == api["headline"]["villages_reached"]
    assert {f["properties"]["approximate"] for f in geojson["features"]} == {True, False}
    actions = [r[0] for r in database.rows(
        "SELECT action FROM audit_log WHERE action LIKE 'coverage.export.%' ORDER BY id")]  # fmt: skip
    # three CSVs, the workbook, the GeoJSON: every export is audited
    assert actions == ["coverage.export.csv"] * 3 + ["coverage.export.xlsx",
                                                     "coverage.export.geojson"]  # fmt: skip


async def test_exports_show_names_that_look_like_formulas_as_text(client, anonymous_phone,
                                                                  database):  # fmt: skip
    """A settlement named like a formula (a tampered gazetteer, a bad correction) reaches the
    spreadsheets as text: CSV cells behind an apostrophe, workbook cells as strings."""
    karmakshy = (await client.get("/api/v1/villages",
                                  params={"district": "434600000", "limit": 1000})).json()  # fmt: skip
    villages = karmakshy["items"]
    assert len(villages) == karmakshy["total"] > 4
    signs = ("=", "+", "-", "@")
    named = {}
    for n, village in enumerate(villages):
        name = f'{signs[n % 4]}HYPERLINK("http://x.invalid/{village["kato"]}","{n}")'
        patched = await client.patch(f"/api/v1/villages/{village['kato']}",
                                     json={"name_ru": name})  # fmt: skip
        assert patched.status_code == 200, patched.text
        named[village["kato"]] = name
    plan, _ = await seeded(client, anonymous_phone, database)
    itinerary = await client.get(f"/api/v1/plans/{plan['summary']['id']}/itinerary.csv")
    stops = list(csv.DictReader(io.StringIO(itinerary.text)))
    assert stops and all(r["hub_name"] == "'" + named[r["hub_kato"]] for r in stops)
    text = (await client.get("/api/v1/coverage.csv", params={"level": "villages"})).content
    rows = {r["kato"]: r for r in csv.DictReader(io.StringIO(text.decode("utf-8-sig")))}
    assert all(rows[kato]["name_ru"] == "'" + name for kato, name in named.items())
    book = load_workbook(io.BytesIO((await client.get("/api/v1/coverage.xlsx")).content))
    header, *lines = list(book["villages"].iter_rows())
    column = [c.value for c in header].index("name_ru")
    cells = {line[0].value: line[column] for line in lines}
    for kato, name in named.items():
        assert (cells[kato].value, cells[kato].data_type) == (name, "s")  # text, as written


async def test_coverage_leadership_sees_counts_never_names(client, anonymous, anonymous_phone,
                                                           database, settings):  # fmt: skip
    from litestar.testing import AsyncTestClient

    from outreach.app import create_app

    _, sent = await seeded(client, anonymous_phone, database)
    name = sent[0]["add"]["interested"][0]["name"]
    where = [str(m["set"]["position"][axis]) for m in sent for axis in ("lat", "lon")]
    async with AsyncTestClient(app=create_app(settings)) as boss:
        await sign_in(boss, database, "leadership")
        for path in ("/api/v1/coverage", "/api/v1/coverage.csv?level=villages",
                     "/api/v1/coverage.geojson", "/api/v1/coverage.csv?level=teams"):  # fmt: skip
            response = await boss.get(path)
            assert response.status_code == 200
            assert name not in response.text and "+77" not in response.text
            # nor where the phones were when the meetings were saved
            assert not [p for p in where if p in response.text], path
        book = load_workbook(io.BytesIO((await boss.get("/api/v1/coverage.xlsx")).content))
        cells = " ".join(str(v) for sheet in book for row in sheet.iter_rows(values_only=True)
                         for v in row)  # fmt: skip
        assert not [p for p in where if p in cells]
        hub = sent[0]["set"]["hub"]
        assert (await boss.get(f"/api/v1/coverage/villages/{hub}")).status_code == 403
        assert (await boss.get("/api/v1/meetings/positions")).status_code == 403
    meetings = (await client.get(f"/api/v1/coverage/villages/{sent[0]['set']['hub']}")).json()
    assert name in str(meetings)


async def test_coverage_followup_status_moves_the_funnel(client, anonymous_phone, database):
    _, sent = await seeded(client, anonymous_phone, database)
    person = sent[0]["add"]["interested"][0]["id"]
    for status in ("contacted", "trained", "dropped"):
        response = await client.post(f"/api/v1/followups/{person}/status",
                                     json={"status": status, "on": "2026-11-02"})  # fmt: skip
        assert response.status_code == 200, response.text
    # a date from before the programmes, or past tomorrow, is a slip of the keyboard
    for wrong in ("1999-12-31", (today_local() + timedelta(days=2)).isoformat()):
        refused = await client.post(f"/api/v1/followups/{person}/status",
                                    json={"status": "financed", "on": wrong})  # fmt: skip
        assert refused.status_code == 422, refused.text
        assert [d["field"] for d in refused.json()["details"]] == ["on"]
    rows = (await client.get("/api/v1/coverage")).json()["funnel_by_district"]
    total = {k: sum(r[k] for r in rows) for k in ("interested", "contacted", "trained",
                                                  "defended", "dropped")}  # fmt: skip
    assert total == {"interested": 2, "contacted": 1, "trained": 1, "defended": 0, "dropped": 1}
    hub = sent[0]["set"]["hub"]
    village = (await client.get(f"/api/v1/coverage/villages/{hub}")).json()
    [followup] = [f for f in village["followups"] if f["id"] == person]
    assert followup["data"]["status"] == "dropped"
    assert [h["status"] for h in followup["data"]["history"]] == ["contacted", "trained", "dropped"]
    unknown = await client.post("/api/v1/followups/nobody/status", json={"status": "contacted"})
    assert unknown.status_code == 404


async def test_coverage_bad_filters_are_4xx(client):
    assert (await client.get("/api/v1/coverage", params={"district": "12"})).status_code == 400
    bad = await client.get("/api/v1/coverage", params={"from": "2027-05-01", "to": "2027-04-01"})
    assert bad.status_code == 422
    assert (await client.get("/api/v1/coverage.csv", params={"level": "x"})).status_code == 422


async def test_coverage_is_computed_once_per_change(client, anonymous_phone, database, settings):
    from outreach.db.database import connect
    from outreach.services.coverage import CoverageCache, CoverageFilter, coverage

    await seeded(client, anonymous_phone, database)
    db = connect(database.url)
    await db.open()
    try:
        cache = CoverageCache()
        first = await coverage(db, CoverageFilter(), cache)
        assert await coverage(db, CoverageFilter(), cache) is first  # nothing changed
        other = await coverage(db, CoverageFilter(team="team-1"), cache)
        assert other is not first
        await push(anonymous_phone, [make_meeting(random.Random(41))])
        after = await coverage(db, CoverageFilter(), cache)
        assert after is not first
        assert after.headline.meetings_held == first.headline.meetings_held + 1
    finally:
        await db.close()


async def test_meetings_of_a_replaced_plan_count_for_its_campaign(client, anonymous_phone,
                                                                 database):  # fmt: skip
    plan, sent = await seeded(client, anonymous_phone, database)
    old = plan["summary"]["id"]
    new = (await client.post(f"/api/v1/plans/{old}/replan", json={})).json()["summary"]["id"]
    await client.post(f"/api/v1/plans/{new}/publish")
    got = (await client.get("/api/v1/coverage")).json()
    [campaign] = got["campaigns"]
    assert campaign["key"].startswith(f"{new}: ") and campaign["meetings_held"] == 2
    narrowed = (await client.get("/api/v1/coverage", params={"campaign": new})).json()
    assert narrowed["headline"]["meetings_held"] == 2
    reached = {k for m in sent for k in m["add"]["villages"]}
    assert narrowed["headline"]["villages_reached"] == len(reached)
