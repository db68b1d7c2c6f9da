"""Campaign plans through the API: drafts, publication, versions, differences, exports."""

from __future__ import annotations

import csv
import io
from urllib.parse import quote

import pytest

from tests.api.test_grouping_api import assert_valid_feature_collection_with_lines

KARMAKSHY = {"start": "2027-03-01", "end": "2027-05-28", "districts": ["434600000"]}


async def make_plan(client, **changes) -> dict:
    response = await client.post("/api/v1/plans", json={**KARMAKSHY, **changes})
    assert response.status_code == 201, response.text
    return response.json()


async def test_draft_plan_places_meetings_on_working_days(client) -> None:
    plan = await make_plan(client)
    assert plan["summary"]["status"] == "draft"
    document = plan["document"]
    placed = [m for m in document["meetings"] if m["team"]]
    assert len(placed) == plan["summary"]["meetings_placed"] > 10
    assert all(m["date"] not in ("2027-03-08", "2027-03-22", "2027-05-01") for m in placed)
    assert sum(document["totals"]["team_days"].values()) == len(document["days"])


async def test_publishing_supersedes_the_previous_plan(client) -> None:
    first = (await make_plan(client))["summary"]["id"]
    second = (await make_plan(client, teams=2))["summary"]["id"]
    assert (await client.post(f"/api/v1/plans/{first}/publish")).json()["status"] == "published"
    assert (await client.post(f"/api/v1/plans/{second}/publish")).json()["status"] == "published"
    statuses = {p["id"]: p["status"] for p in (await client.get("/api/v1/plans")).json()}
    assert statuses == {first: "superseded", second: "published"}
    again = await client.post(f"/api/v1/plans/{first}/publish")
    assert again.status_code == 422


async def test_diff_lists_moved_meetings(client) -> None:
    first = await make_plan(client)
    second = await make_plan(client, teams=2)
    a, b = first["summary"]["id"], second["summary"]["id"]
    diff = (await client.get(f"/api/v1/plans/{b}/diff", params={"against": a})).json()
    old = {m["id"]: (m["team"], m["date"], m["start"]) for m in first["document"]["meetings"]}
    new = {m["id"]: (m["team"], m["date"], m["start"]) for m in second["document"]["meetings"]}
    changed = {m["meeting_id"] for m in diff["moved"] + diff["retimed"]}
    assert changed == {i for i in old if old[i] != new[i]}
    assert {m["meeting_id"] for m in diff["moved"]} == {i for i in old if old[i][:2] != new[i][:2]}
    assert diff["unchanged"] == sum(old[i] == new[i] for i in old)
    assert diff["added"] == diff["removed"] == []


async def test_exports_carry_the_plan(client) -> None:
    plan = await make_plan(client)
    plan_id, document = plan["summary"]["id"], plan["document"]
    geo = (await client.get(f"/api/v1/plans/{plan_id}/routes.geojson")).json()
    assert_valid_feature_collection_with_lines(geo)
    assert sum(f["properties"]["kind"] == "route" for f in geo["features"]) == len(document["days"])
    response = await client.get(f"/api/v1/plans/{plan_id}/itinerary.csv", params={"team": "team-1"})
    # the byte-order mark Excel needs to read Cyrillic, and the charset said once
    assert response.content.startswith(b"\xef\xbb\xbf")
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    expected = [s for d in document["days"] if d["team"] == "team-1" for s in d["stops"]]
    assert [r["start"] for r in rows] == [s["start"] for s in expected]
    # a team's name in Kazakh names the file too, without breaking the header
    named = await client.get(f"/api/v1/plans/{plan_id}/itinerary.csv",
                             params={"team": "Шиелі тобы"})  # fmt: skip
    assert named.status_code == 200
    disposition = named.headers["content-disposition"]
    assert f'filename="plan-{plan_id}-_.csv"' in disposition
    assert "filename*=UTF-8''" + quote(f"plan-{plan_id}-Шиелі тобы.csv", safe="") in disposition
    day = next(d for d in document["days"] if d["stops"])
    sheet = await client.get(f"/api/v1/plans/{plan_id}/day-sheet",
                             params={"team": day["team"], "date": day["date"], "lang": "ru"})  # fmt: skip
    assert sheet.headers["content-type"].startswith("text/html")
    assert "План дня" in sheet.text
    assert day["stops"][0]["start"] in sheet.text


@pytest.mark.parametrize(("body", "status"), [
    ({"start": "2027-03-01"}, 400),
    ({**KARMAKSHY, "teams": 0}, 400),
    ({**KARMAKSHY, "day_cost_km": -1}, 400),
    ({**KARMAKSHY, "end": "2026-01-01"}, 422),
    ({**KARMAKSHY, "day_start": "25:00"}, 400),
    ({**KARMAKSHY, "districts": ["999900000"]}, 422),
    ({**KARMAKSHY, "unknown": True}, 400),
    ({**KARMAKSHY, "start": "2027-03-06", "end": "2027-03-07"}, 422),  # a weekend: no working day
    ({**KARMAKSHY, "start": "2027-03-08", "end": "2027-03-08"}, 422),  # a public holiday
])  # fmt: skip
async def test_bad_campaigns_are_refused(client, body: dict, status: int) -> None:
    response = await client.post("/api/v1/plans", json=body)
    assert response.status_code == status, response.text


async def test_unknown_plan_is_404(client) -> None:
    assert (await client.get("/api/v1/plans/999")).status_code == 404
    assert (await client.post("/api/v1/plans/999/publish")).status_code == 404


async def test_replan_keeps_held_and_pins_and_moves_few(client) -> None:
    first = await make_plan(client)
    plan_id = first["summary"]["id"]
    await client.post(f"/api/v1/plans/{plan_id}/publish")
    placed = [m for m in first["document"]["meetings"] if m["team"]]
    # pin the meeting nearest the base to a day its new team has free: a day trip that fits
    pinned = min(placed, key=lambda m: abs(m["hub"]["position"]["lon"] - 65.50917))
    held, cancelled, dropped_village = [m for m in placed if m is not pinned][:3]
    other_team = "team-3" if pinned["team"] != "team-3" else "team-1"
    busy = {d["date"] for d in first["document"]["days"] if d["team"] == other_team}
    target_day = next(d for d in ("2027-05-04", "2027-05-05", "2027-05-06") if d not in busy)
    edits = {
        "held": [held["id"]],
        "pins": [{"meeting_id": pinned["id"], "team": other_team, "date": target_day}],
        "cancelled": [cancelled["id"]],
        "exclude": [m["kato"] for m in dropped_village["members"]],
    }
    response = await client.post(f"/api/v1/plans/{plan_id}/replan", json=edits)
    assert response.status_code == 201, response.text
    second = response.json()
    assert second["summary"]["based_on"] == plan_id
    meetings = {m["id"]: m for m in second["document"]["meetings"]}
    assert meetings[held["id"]]["status"] == "held"
    assert (meetings[held["id"]]["team"], meetings[held["id"]]["date"]) == (
        held["team"],
        held["date"],
    )
    assert (meetings[pinned["id"]]["team"], meetings[pinned["id"]]["date"]) == (
        other_team,
        target_day,
    )
    assert meetings[cancelled["id"]]["status"] == "cancelled"
    assert meetings[cancelled["id"]]["team"] is None
    excluded = {m["kato"] for m in dropped_village["members"]}
    assert not excluded & {v["kato"] for m in meetings.values() for v in m["members"]}
    diff = (await client.get(f"/api/v1/plans/{second['summary']['id']}/diff",
                             params={"against": plan_id})).json()  # fmt: skip
    moved = {m["meeting_id"] for m in diff["moved"]} - {pinned["id"], cancelled["id"]}
    assert len(moved) <= 2, diff["moved"]


@pytest.mark.parametrize("edits", [
    {"pins": [{"meeting_id": "g-999999999", "team": "team-1", "date": "2027-03-02"}]},
    {"pins": [{"meeting_id": "g-434630100", "team": "team-9", "date": "2027-03-02"}]},
    {"held": ["g-999999999"]},
    {"surprise": []},
])  # fmt: skip
async def test_bad_edits_are_refused(client, edits: dict) -> None:
    plan_id = (await make_plan(client))["summary"]["id"]
    response = await client.post(f"/api/v1/plans/{plan_id}/replan", json=edits)
    assert response.status_code in (400, 422), response.text
    assert len((await client.get("/api/v1/plans")).json()) == 1


async def test_a_pin_to_a_day_the_campaign_does_not_work_is_refused(client) -> None:
    """Such a pin was taken, and the meeting silently planned on another day or not at all."""
    plan = await make_plan(client)
    meetings = [m["id"] for m in plan["document"]["meetings"] if m["team"]]
    days = {"2027-03-06": "not a working day",  # a Saturday
            "2027-03-22": "not a working day",  # Nauryz, a public holiday
            "2027-06-15": "outside the campaign"}  # fmt: skip
    pins = [
        {"meeting_id": m, "team": "team-1", "date": d}
        for m, d in zip(meetings[:3], days, strict=True)
    ]
    response = await client.post(f"/api/v1/plans/{plan['summary']['id']}/replan",
                                 json={"pins": pins})  # fmt: skip
    assert (response.status_code, response.json()["code"]) == (422, "pin_not_working_day")
    details = response.json()["details"]
    assert [(d["field"], d["value"], d["meeting_id"]) for d in details] == [
        ("pins", p["date"], p["meeting_id"]) for p in pins]  # fmt: skip
    assert all(why in d["message"] for d, why in zip(details, days.values(), strict=True))
    assert len((await client.get("/api/v1/plans")).json()) == 1


async def test_publication_and_exports_are_audited(client, database) -> None:
    plan_id = (await make_plan(client))["summary"]["id"]
    await client.post(f"/api/v1/plans/{plan_id}/publish")
    await client.get(f"/api/v1/plans/{plan_id}/itinerary.csv")
    await client.get(f"/api/v1/plans/{plan_id}/routes.geojson")
    await client.get(f"/api/v1/plans/{plan_id}/day-sheet",
                     params={"team": "team-1", "date": "2027-03-02"})  # fmt: skip
    actions = [r[0] for r in database.rows(
        "SELECT action FROM audit_log WHERE actor = 'coordinator-user' ORDER BY id")]  # fmt: skip
    assert actions[-4:] == ["plan.publish", "plan.export.csv", "plan.export.geojson",
                            "plan.export.day_sheet"]  # fmt: skip
