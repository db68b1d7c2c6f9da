"""Positions field teams suggest for villages reach the coordinator: listed beside the
village's current position and quality; accepting moves the village (a correction like any
other, plausibility-checked); refusing leaves it; either way the suggestion is closed."""

from __future__ import annotations

from tests.sync.phone import new_id
from tests.sync.test_push import push

APPROXIMATE = "431033103"  # Калгандарья: only its okrug centre's position is known


def suggestion(village: str, lat: float, lon: float) -> dict:
    return {"mutation_id": new_id(), "record_id": new_id(), "kind": "village_position",
            "set": {"village": village, "lat": lat, "lon": lon, "accuracy_m": 12.0,
                    "note": "at the school"}}  # fmt: skip


async def test_a_suggested_position_is_accepted_or_refused(phone, client, database):
    before = (await client.get(f"/api/v1/villages/{APPROXIMATE}")).json()
    assert before["location_quality"] != "exact"
    good, far = suggestion(APPROXIMATE, 44.91, 65.42), suggestion("431033400", 44.8, 65.3)
    assert {r["status"] for r in await push(phone, [good, far])} == {"applied"}
    listed = {
        s["id"]: s
        for s in (await client.get("/api/v1/gazetteer/suggestions")).json()["suggestions"]
    }
    assert set(listed) == {good["record_id"], far["record_id"]}
    first = listed[good["record_id"]]
    assert (first["village"], first["position"], first["current"], first["team"]) == (
        APPROXIMATE, {"lat": 44.91, "lon": 65.42}, None, "team-1")  # fmt: skip
    assert first["quality"] == before["location_quality"] and first["note"] == "at the school"

    accepted = await client.post(f"/api/v1/gazetteer/suggestions/{good['record_id']}/accept")
    assert accepted.status_code == 200, accepted.text
    village = (await client.get(f"/api/v1/villages/{APPROXIMATE}")).json()
    assert (village["position"], village["location_quality"]) == (
        {"lat": 44.91, "lon": 65.42}, "exact")  # fmt: skip
    assert village["version"] == before["version"] + 1
    refused = await client.post(f"/api/v1/gazetteer/suggestions/{far['record_id']}/refuse",
                                json={"comment": "that is the neighbouring village"})  # fmt: skip
    assert refused.status_code == 200
    assert (await client.get("/api/v1/gazetteer/suggestions")).json()["suggestions"] == []
    again = await client.post(f"/api/v1/gazetteer/suggestions/{far['record_id']}/accept")
    assert again.status_code == 404
    decided = database.rows("SELECT decision, comment FROM position_suggestion_decisions"
                            " ORDER BY decision")  # fmt: skip
    assert decided == [("accepted", None), ("refused", "that is the neighbouring village")]


async def test_an_implausible_suggestion_is_not_accepted(phone, client):
    swapped = suggestion(APPROXIMATE, 65.42, 44.91)
    await push(phone, [swapped])
    accepted = await client.post(f"/api/v1/gazetteer/suggestions/{swapped['record_id']}/accept")
    assert accepted.status_code == 422
    assert accepted.json()["details"][0]["field"] == "position"
    assert [s["id"] for s in (await client.get("/api/v1/gazetteer/suggestions")).json()["suggestions"]] == [
        swapped["record_id"]]  # fmt: skip
