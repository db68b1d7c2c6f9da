"""Where phones were when meetings were saved: a coordinator sees each held meeting's distance
from its planned hub (the published plan's, else the record's own), with a warning when it is
too far even allowing for the fix's accuracy; a meeting at a village whose position is only
approximate suggests where the village is, accepted or refused like a phone's suggestion."""

from __future__ import annotations

import random

from litestar.testing import AsyncTestClient

from outreach.app import create_app
from outreach.config import Settings
from tests.api.test_coverage_api import seeded
from tests.conftest import enrol_device, sign_in
from tests.sync.phone import edit, make_meeting
from tests.sync.test_position_suggestions import suggestion
from tests.sync.test_push import push

HUB = "431033100"  # Баймурат, located exactly at 44.85306, 65.34917
APPROXIMATE = "431033103"  # Калгандарья: only its okrug centre's position is known
POSITIONS = "/api/v1/meetings/positions"


def at(lat: float, lon: float, accuracy_m: float | None = 15.0) -> dict:
    return {"lat": lat, "lon": lon, "accuracy_m": accuracy_m}


async def enrolled(client, phone, database):
    await enrol_device(client, phone, database, "field-a", "team-1")
    return phone


async def test_a_far_meeting_is_warned_and_a_near_one_is_not(client, anonymous_phone, database,
                                                            settings):  # fmt: skip
    phone = await enrolled(client, anonymous_phone, database)
    rng = random.Random(17)
    near = make_meeting(rng, date="2027-05-02", position=at(44.8535, 65.3495))  # 50 m off
    far = make_meeting(rng, date="2027-05-03", position=at(44.95, 65.35))  # 10.8 km north
    # 6.3 km away, but the phone may have been within 2 km of where it said: not beyond 5 km
    fuzzy = make_meeting(rng, date="2027-05-01", position=at(44.91, 65.35, 2000.0))
    unplaced = make_meeting(rng, date="2027-05-04")
    called_off = make_meeting(rng, status="cancelled", reason="буран", position=at(44.95, 65.35))
    sent = [near, far, fuzzy, unplaced, called_off]
    assert {r["status"] for r in await push(phone, sent)} == {"applied"}

    page = (await client.get(POSITIONS)).json()
    ids = [m["record_id"] for m in (far, near, fuzzy)]
    assert [item["id"] for item in page["items"]] == ids  # held ones, newest first
    assert (page["total"], page["far"], page["threshold_km"]) == (3, 1, 5.0)
    warned, close, vague = page["items"]
    assert warned["far"] and 10.5 < warned["distance_km"] < 11.0
    assert warned["planned_hub"] | {"names": None} == {
        "kato": HUB, "names": None, "position": {"lat": 44.85306, "lon": 65.34917},
        "quality": "exact", "source": "record"}  # fmt: skip
    assert warned["planned_hub"]["names"]["ru"] == "Баймурат"
    assert (warned["position"], warned["accuracy_m"], warned["team"]) == (
        {"lat": 44.95, "lon": 65.35}, 15.0, "team-1")  # fmt: skip
    assert not close["far"] and close["distance_km"] < 0.1
    assert not vague["far"] and vague["distance_km"] > 6

    only_far = (await client.get(POSITIONS, params={"far": "true"})).json()
    assert ([i["id"] for i in only_far["items"]], only_far["total"]) == ([far["record_id"]], 1)
    paged = (await client.get(POSITIONS, params={"limit": 2, "offset": 1})).json()
    assert [i["id"] for i in paged["items"]] == ids[1:] and paged["next_offset"] is None
    other_team = (await client.get(POSITIONS, params={"team": "team-2"})).json()
    assert (other_team["items"], other_team["total"]) == ([], 0)
    assert database.rows("SELECT count(*) FROM audit_log WHERE action = 'meetings.positions_read'"
                         ) == [(4,)]  # fmt: skip

    wider = Settings(database_url=settings.database_url, secure_cookies=False,
                     meeting_distance_warn_km=20)  # fmt: skip
    async with AsyncTestClient(app=create_app(wider)) as admin:
        await sign_in(admin, database, "admin")  # admins see it too
        page = (await admin.get(POSITIONS)).json()
    assert (page["far"], page["threshold_km"]) == (0, 20.0)


async def test_the_planned_hub_is_the_published_plans(client, anonymous_phone, database):
    plan, sent = await seeded(client, anonymous_phone, database)  # two meetings at their hubs
    page = (await client.get(POSITIONS)).json()
    assert {i["id"] for i in page["items"]} == {m["record_id"] for m in sent}
    assert {(i["planned_hub"]["source"], i["far"]) for i in page["items"]} == {("plan", False)}

    # held somewhere else than planned: the distance is from the plan's hub
    planned = next(m for m in plan["document"]["meetings"]
                   if m["team"] == "team-1" and m["id"] not in {s["set"]["plan_meeting"] for s in sent})  # fmt: skip
    hub = planned["hub"]["position"]
    elsewhere = make_meeting(random.Random(3), hub=HUB, date="2027-05-28",
                             plan_id=plan["summary"]["id"], plan_meeting=planned["id"],
                             position=at(44.85306, 65.34917))  # fmt: skip
    assert (await push(anonymous_phone, [elsewhere]))[0]["status"] == "applied"
    [newest] = (await client.get(POSITIONS, params={"far": "true"})).json()["items"]
    assert newest["id"] == elsewhere["record_id"] and newest["hub"] == HUB
    assert newest["planned_hub"]["kato"] == planned["hub"]["id"].removeprefix("g-")
    assert newest["planned_hub"]["source"] == "plan" and newest["distance_km"] > 5
    assert newest["planned_hub"]["position"] == {"lat": hub["lat"], "lon": hub["lon"]}


async def test_a_meeting_at_an_approximate_village_suggests_its_position(client, anonymous_phone,
                                                                         database):  # fmt: skip
    phone = await enrolled(client, anonymous_phone, database)
    before = (await client.get(f"/api/v1/villages/{APPROXIMATE}")).json()
    rng = random.Random(5)
    first = make_meeting(rng, hub=APPROXIMATE, position=at(44.91, 65.42, 12.0))
    second = make_meeting(rng, hub=APPROXIMATE, position=at(44.9102, 65.4203, 30.0))
    vague = make_meeting(rng, hub=APPROXIMATE, position=at(44.9, 65.4, 1500.0))
    unknown = make_meeting(rng, hub=APPROXIMATE, position=at(44.9, 65.4, None))
    located = make_meeting(rng, hub=HUB, position=at(44.8535, 65.3495))
    # logged in Aral, 370 km from the okrug's centre: not where the village is
    elsewhere = make_meeting(rng, hub=APPROXIMATE, position=at(46.80174, 61.66312))
    other = suggestion("431033400", 44.8, 65.3)
    await push(phone, [first, second, vague, unknown, located, elsewhere, other])

    listed = {
        s["id"]: s
        for s in (await client.get("/api/v1/gazetteer/suggestions")).json()["suggestions"]
    }
    assert {k: s["source"] for k, s in listed.items()} == {
        first["record_id"]: "meeting", second["record_id"]: "meeting",
        other["record_id"]: "village_position"}  # fmt: skip
    mine = listed[first["record_id"]]
    # 8.5 km from the okrug's centre (Баймурат), which stands in for the village's position
    assert 8 < mine["distance_km"] < 9
    assert mine | {"at": None, "distance_km": None} == {
        "id": first["record_id"], "village": APPROXIMATE, "names": before["names"],
        "position": {"lat": 44.91, "lon": 65.42}, "accuracy_m": 12.0, "note": None,
        "current": None, "quality": "okrug_centre", "distance_km": None, "team": "team-1",
        "by": "field-a", "at": None, "source": "meeting"}  # fmt: skip

    accepted = await client.post(f"/api/v1/gazetteer/suggestions/{first['record_id']}/accept",
                                 json={"comment": "the school, on the satellite map"})  # fmt: skip
    assert accepted.status_code == 200, accepted.text
    village = (await client.get(f"/api/v1/villages/{APPROXIMATE}")).json()
    assert (village["position"], village["location_quality"], village["version"]) == (
        {"lat": 44.91, "lon": 65.42}, "exact", before["version"] + 1)  # fmt: skip
    # the village is located now: its other meetings no longer suggest anything
    left = (await client.get("/api/v1/gazetteer/suggestions")).json()["suggestions"]
    assert [s["id"] for s in left] == [other["record_id"]]
    late = await client.post(f"/api/v1/gazetteer/suggestions/{second['record_id']}/accept")
    assert (late.status_code, late.json()["code"]) == (404, "not_found")
    assert database.rows("SELECT record_id, decision, comment FROM position_suggestion_decisions"
                         ) == [(first["record_id"], "accepted", "the school, on the satellite map")]  # fmt: skip
    assert database.rows("SELECT action, object FROM audit_log WHERE action LIKE 'gazetteer.%'"
                         ) == [("gazetteer.suggestion_accepted", APPROXIMATE)]  # fmt: skip


async def test_suggestions_come_a_page_at_a_time_with_how_many_are_open(
    client, anonymous_phone, database
):
    phone = await enrolled(client, anonymous_phone, database)
    rng = random.Random(13)
    meetings = [make_meeting(rng, hub=APPROXIMATE, position=at(44.91 + n / 1000, 65.42, 10.0))
                for n in range(5)]  # fmt: skip
    await push(phone, [*meetings, suggestion("431033400", 44.8, 65.3)])
    whole = (await client.get("/api/v1/gazetteer/suggestions")).json()
    assert whole["total"] == len(whole["suggestions"]) == 6
    paged = []
    for offset in range(0, 8, 2):
        page = (await client.get("/api/v1/gazetteer/suggestions",
                                 params={"limit": 2, "offset": offset})).json()  # fmt: skip
        assert page["total"] == 6
        paged += page["suggestions"]
    assert paged == whole["suggestions"]  # every one once, in the same order
    for bad in ({"limit": 0}, {"limit": 501}, {"offset": -1}):
        refused = await client.get("/api/v1/gazetteer/suggestions", params=bad)
        assert refused.status_code == 400, (bad, refused.text)
        assert {d["key"] for d in refused.json()["details"]} == set(bad)


async def test_a_refused_meeting_suggestion_stays_closed(client, anonymous_phone, database):
    phone = await enrolled(client, anonymous_phone, database)
    before = (await client.get(f"/api/v1/villages/{APPROXIMATE}")).json()
    meeting = make_meeting(random.Random(9), hub=APPROXIMATE, position=at(44.95, 65.5, 40.0))
    await push(phone, [meeting])
    record = meeting["record_id"]
    refused = await client.post(f"/api/v1/gazetteer/suggestions/{record}/refuse",
                                json={"comment": "they met in the next village"})  # fmt: skip
    assert refused.status_code == 200, refused.text
    assert (await client.get(f"/api/v1/villages/{APPROXIMATE}")).json() == before
    assert (await client.get("/api/v1/gazetteer/suggestions")).json()["suggestions"] == []
    # the team edits the meeting afterwards: the decision stands (one per meeting)
    assert (await push(phone, [edit(record, 1, notes="heating broken")]))[0]["status"] == "applied"
    assert (await client.get("/api/v1/gazetteer/suggestions")).json()["suggestions"] == []
    again = make_meeting(random.Random(10), hub=APPROXIMATE, position=at(44.91, 65.42))
    await push(phone, [again])
    listed = (await client.get("/api/v1/gazetteer/suggestions")).json()["suggestions"]
    assert [(s["id"], s["source"]) for s in listed] == [(again["record_id"], "meeting")]
    assert database.rows("SELECT action FROM audit_log WHERE action LIKE 'gazetteer.%'") == [
        ("gazetteer.suggestion_refused",)]  # fmt: skip


async def test_phones_see_no_positions_list(client, anonymous_phone, database):
    phone = await enrolled(client, anonymous_phone, database)
    assert (await phone.get(POSITIONS)).status_code == 403
