"""A coordinator decides what sync settled alone: each review item comes with its record's
context; `restore` puts an overwritten value back as the record's current value, which the
phones then pull; the decision and its comment are kept and listed; a parked mutation cannot
be "restored"."""

from __future__ import annotations

from tests.sync.phone import edit, pull_all
from tests.sync.test_push import push


async def overwrite(pair, client) -> dict:
    a, b, record = pair
    await push(a, [edit(record, 1, notes="from A")])
    [second] = await push(b, [edit(record, 1, notes="from B")])
    assert second["status"] == "conflict"
    [item] = (await client.get("/api/v1/sync/review")).json()["overwrites"]
    return item


async def test_an_overwrite_comes_with_its_meetings_context(pair, client):
    a, _, record = pair
    item = await overwrite(pair, client)
    held, _ = await pull_all(a)
    meeting = held[record]["data"]
    context = item["context"]
    assert context["kind"] == "meeting" and context["team"] == "team-1"
    assert (context["date"], context["hub"]) == (meeting["date"], meeting["hub"])
    assert context["villages"] == meeting["villages"]


async def test_restore_puts_the_old_value_back_for_every_phone(pair, client):
    a, b, record = pair
    item = await overwrite(pair, client)
    _, cursor = await pull_all(b)
    decided = await client.post(f"/api/v1/sync/review/overwrites/{item['id']}/resolve",
                                json={"action": "restore", "comment": "A был прав: сверено"})  # fmt: skip
    assert decided.status_code == 200, decided.text
    assert decided.json() | {"resolved_at": None} == {
        "list": "overwrites", "id": item["id"], "resolved_by": "coordinator-user",
        "action": "restore", "comment": "A был прав: сверено", "resolved_at": None}  # fmt: skip
    changed, _ = await pull_all(b, cursor)  # only what changed since: the restored record
    assert changed[record]["data"]["notes"] == "from A"
    assert changed[record]["version"] == item["version"] + 2
    held, _ = await pull_all(a)
    assert held[record]["data"]["notes"] == "from A"
    assert (await client.get("/api/v1/sync/review")).json()["overwrites"] == []
    [listed] = (await client.get("/api/v1/sync/review/resolved")).json()
    assert (listed["action"], listed["comment"], listed["list"]) == (
        "restore", "A был прав: сверено", "overwrites")  # fmt: skip
    again = await client.post(f"/api/v1/sync/review/overwrites/{item['id']}/resolve",
                              json={"action": "restore"})  # fmt: skip
    assert again.status_code == 404


async def test_keep_changes_nothing_but_is_kept_with_its_comment(pair, client):
    a, _, record = pair
    item = await overwrite(pair, client)
    _, cursor = await pull_all(a)
    decided = await client.post(f"/api/v1/sync/review/overwrites/{item['id']}/resolve",
                                json={"comment": "B is right"})  # fmt: skip
    assert decided.json()["action"] == "keep"
    changed, _ = await pull_all(a, cursor)
    assert record not in changed
    assert (await client.get("/api/v1/sync/review/resolved")).json()[0]["comment"] == "B is right"


async def test_a_parked_mutation_is_dismissed_not_restored(pair, client):
    a, _, record = pair
    [refused] = await push(a, [edit(record, 1, hub="not-a-kato")])
    assert refused["status"] == "rejected"
    [parked] = (await client.get("/api/v1/sync/review")).json()["parked"]
    assert parked["context"]["kind"] == "meeting" and parked["context"]["team"] == "team-1"
    wrong = await client.post(f"/api/v1/sync/review/parked/{parked['id']}/resolve",
                              json={"action": "restore"})  # fmt: skip
    assert wrong.status_code == 422
    assert (await client.get("/api/v1/sync/review")).json()["parked"] != []
    done = await client.post(f"/api/v1/sync/review/parked/{parked['id']}/resolve",
                             json={"action": "keep", "comment": "typo on the phone"})  # fmt: skip
    assert done.status_code == 200
    assert (await client.get("/api/v1/sync/review")).json()["parked"] == []
