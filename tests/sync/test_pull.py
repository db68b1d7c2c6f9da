"""Pulling changes: paged in server order, scoped to the team, reset on a foreign cursor."""

from __future__ import annotations

import random

from tests.conftest import enrol_device
from tests.sync.phone import edit, make_meeting, pull_all
from tests.sync.test_push import push


async def test_pull_returns_pushed_records_paged_in_seq_order(phone):
    rng = random.Random(10)
    batch = [make_meeting(rng) for _ in range(25)]
    await push(phone, batch)
    seqs, cursor = [], None
    while True:
        page = (await phone.post("/api/v1/sync/pull", json={"cursor": cursor, "limit": 10})).json()
        seqs += [r["seq"] for r in page["records"]]
        cursor = page["cursor"]
        if not page["more"]:
            break
    assert seqs == sorted(seqs) and len(seqs) == 25
    held, _ = await pull_all(phone)
    assert set(held) == {m["record_id"] for m in batch}
    one = held[batch[0]["record_id"]]
    assert one["data"]["hub"] == batch[0]["set"]["hub"]
    sent = batch[0]["add"]["interested"][0]["phone"]
    assert one["data"]["interested"][0]["phone"] == "+7" + sent.replace(" ", "")[2:]


async def test_pull_after_cursor_returns_only_later_changes(phone):
    first = make_meeting(random.Random(11))
    await push(phone, [first])
    _, cursor = await pull_all(phone)
    second = make_meeting(random.Random(12))
    await push(phone, [second, edit(first["record_id"], 1, notes="changed")])
    later, _ = await pull_all(phone, cursor)
    assert set(later) == {first["record_id"], second["record_id"]}
    assert later[first["record_id"]]["version"] == 2
    empty, same = await pull_all(phone, _)
    assert empty == {} and same == _


async def test_pull_sends_plan_and_reference_only_when_changed(phone):
    page = (await phone.post("/api/v1/sync/pull", json={})).json()
    reference = page["reference"]
    assert any(v["kato"] == "431033100" for v in reference["body"]["villages"])
    assert reference["body"]["programmes"]["bastau_business"]["en"] == "Bastau Business"
    assert page["plan"]["body"] == []
    again = (
        await phone.post(
            "/api/v1/sync/pull",
            json={"reference_etag": reference["etag"], "plan_etag": page["plan"]["etag"]},
        )
    ).json()
    assert again["reference"] is None and again["plan"] is None


async def test_pull_sends_the_reference_again_after_a_correction(phone, client):
    """The reference is made once per gazetteer version, not on every pull: a correction
    moves the version on, and the next pull sends the corrected reference."""
    first = (await phone.post("/api/v1/sync/pull", json={})).json()["reference"]
    village = next(v for v in first["body"]["villages"] if v["kato"] == "431033100")
    population = (village.get("population") or 0) + 17
    fixed = await client.patch("/api/v1/villages/431033100", json={"population": population})
    assert fixed.status_code == 200, fixed.text
    page = await phone.post("/api/v1/sync/pull", json={"reference_etag": first["etag"]})
    reference = page.json()["reference"]
    assert reference is not None and reference["etag"] != first["etag"]
    corrected = next(v for v in reference["body"]["villages"] if v["kato"] == "431033100")
    assert corrected["population"] == population
    again = await phone.post("/api/v1/sync/pull", json={"reference_etag": reference["etag"]})
    assert again.json()["reference"] is None


async def test_pull_foreign_cursor_resets_and_keeps_nothing_stale(phone, database):
    await push(phone, [make_meeting(random.Random(13))])
    _, cursor = await pull_all(phone)
    server_id, team, seq = cursor.split(".")
    for foreign in (
        f"{'0' * 32}.{team}.{seq}",
        f"{server_id}.{team}.{int(seq) + 50}",
        f"{server_id}.999.{seq}",
        "garbage",
    ):
        page = (await phone.post("/api/v1/sync/pull", json={"cursor": foreign})).json()
        assert page["reset"] is True, foreign
        assert len(page["records"]) == 1
    page = (await phone.post("/api/v1/sync/pull", json={"cursor": cursor})).json()
    assert page["reset"] is False


async def test_pull_two_teams_each_hold_exactly_their_own(
    client, anonymous_phone, settings, database
):
    from litestar.testing import AsyncTestClient

    from outreach.app import create_app

    await enrol_device(client, anonymous_phone, database, "field-a", "team-1")
    async with AsyncTestClient(app=create_app(settings)) as other:
        await enrol_device(client, other, database, "field-b", "team-2")
        rng = random.Random(14)
        mine = [make_meeting(rng) for _ in range(30)]
        theirs = [make_meeting(rng) for _ in range(20)]
        await push(anonymous_phone, mine)
        await push(other, theirs)
        held_a, _ = await pull_all(anonymous_phone, limit=7)
        held_b, _ = await pull_all(other, limit=7)
        assert set(held_a) == {m["record_id"] for m in mine}
        assert set(held_b) == {m["record_id"] for m in theirs}
        # the other team's record is no record at all to this phone
        [result] = await push(other, [edit(mine[0]["record_id"], 1, notes="not mine")])
        assert (result["status"], result["reason"]) == ("rejected", "unknown_record")
    doc = database.scalar("SELECT doc FROM sync_records WHERE id = ?", (mine[0]["record_id"],))
    assert "not mine" not in doc


async def test_pull_drains_a_two_week_backlog_of_5000(phone, database):
    rng = random.Random(15)
    backlog = [make_meeting(rng) for _ in range(5000)]
    outbox = list(backlog)
    while outbox:
        results = await push(phone, outbox[:500])
        assert {r["status"] for r in results} == {"applied"}
        outbox = outbox[500:]
    held, _ = await pull_all(phone, limit=2000)
    assert set(held) == {m["record_id"] for m in backlog}
    assert database.scalar("SELECT count(*) FROM sync_records") == 5000


async def test_pull_brings_the_team_plan_and_a_meeting_reports_its_outcome(phone, client):
    from tests.api.test_plans_api import make_plan

    before = (await phone.post("/api/v1/sync/pull", json={})).json()["plan"]
    assert before["body"] == []  # kept per team until another plan is published
    plan = (await make_plan(client))["summary"]["id"]
    await client.post(f"/api/v1/plans/{plan}/publish")
    page = (await phone.post("/api/v1/sync/pull", json={"plan_etag": before["etag"]})).json()
    [team_plan] = page["plan"]["body"]
    assert team_plan["team"] == "team-1"
    planned = team_plan["meetings"][0]
    outcome = make_meeting(random.Random(16), plan_id=plan, plan_meeting=planned["id"],
                           hub=planned["hub"]["id"].removeprefix("g-"))  # fmt: skip
    wrong = make_meeting(random.Random(17), plan_id=plan, plan_meeting="no-such-meeting")
    results = await push(phone, [outcome, wrong])
    assert [r["status"] for r in results] == ["applied", "rejected"], results[0]["message"]
    assert results[1]["reason"] == "unknown_plan_meeting"


async def test_a_meeting_of_the_plan_a_replan_replaced_is_still_taken(phone, client):
    """A team offline while its campaign is re-planned logs the meetings of the plan it has:
    they are taken as that campaign's, and the phone is told which plans the new one replaced,
    so that what it logged shows as done in the new plan."""
    from tests.api.test_plans_api import make_plan

    first = await make_plan(client)
    old = first["summary"]["id"]
    await client.post(f"/api/v1/plans/{old}/publish")
    planned = [m for m in first["document"]["meetings"] if m["team"] == "team-1"]
    before = make_meeting(random.Random(18), plan_id=old, plan_meeting=planned[0]["id"],
                          hub=planned[0]["hub"]["id"].removeprefix("g-"))  # fmt: skip
    assert [r["status"] for r in await push(phone, [before])] == ["applied"]
    replan = await client.post(f"/api/v1/plans/{old}/replan", json={})
    new = replan.json()["summary"]["id"]
    assert (await client.post(f"/api/v1/plans/{new}/publish")).json()["status"] == "published"
    # still offline: the next meeting of the plan the phone has
    after = make_meeting(random.Random(19), plan_id=old, plan_meeting=planned[1]["id"],
                         hub=planned[1]["hub"]["id"].removeprefix("g-"))  # fmt: skip
    made_up = make_meeting(random.Random(20), plan_id=old, plan_meeting="no-such-meeting")
    others = [m for m in first["document"]["meetings"] if m["team"] not in (None, "team-1")]
    not_ours = make_meeting(random.Random(21), plan_id=old, plan_meeting=others[0]["id"])
    results = await push(phone, [after, made_up, not_ours])
    assert [r["status"] for r in results] == ["applied", "rejected", "rejected"], results
    assert {r["reason"] for r in results[1:]} == {"unknown_plan_meeting"}
    [team_plan] = (await phone.post("/api/v1/sync/pull", json={})).json()["plan"]["body"]
    assert (team_plan["plan_id"], team_plan["earlier"]) == (new, [old])
