"""What the console's review screen relies on: an overwrite restored with a comment reaches
the phones at their next pull, even when the record changed again since (only the
overwritten field goes back); the decision is listed with who, when and the comment; each
item carries its record's context, null when the record is gone; a parked mutation that never
made a record takes its context from what it carried."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from tests.conftest import two_phones
from tests.sync.phone import HUB, edit, make_meeting, pull_all

REVIEW = "/api/v1/sync/review"


@pytest.fixture
async def phones(client, anonymous_phone, settings, database) -> AsyncIterator[tuple]:
    """Two enrolled phones of team-1."""
    async with two_phones(
        client, anonymous_phone, settings, database, ("team-1", "team-1")
    ) as both:
        yield both


async def push(phone, *mutations: dict) -> list[dict]:
    response = await phone.post("/api/v1/sync/push", json={"mutations": list(mutations)})
    assert response.status_code == 200, response.text
    return response.json()["results"]


async def overwrite(phones, client) -> tuple[str, dict]:
    """A meeting whose notes phone A set and phone B then overwrote from an older version:
    its id and its one review item."""
    a, b = phones
    meeting = make_meeting(notes="first")
    await push(a, meeting)
    record = meeting["record_id"]
    await push(a, edit(record, 1, notes="from A"))
    [second] = await push(b, edit(record, 1, notes="from B"))
    assert second["status"] == "conflict"
    [item] = (await client.get(REVIEW)).json()["overwrites"]
    assert (item["record_id"], item["field"], item["value"]) == (record, "notes", "from A")
    return record, item


async def test_a_restore_with_a_comment_reaches_the_phones_and_keeps_later_changes(phones, client):
    a, b = phones
    record, item = await overwrite(phones, client)
    held, cursor = await pull_all(b)
    assert held[record]["data"]["notes"] == "from B"
    context = item["context"]
    assert (context["kind"], context["team"], context["hub"], context["status"]) == (
        "meeting", "team-1", HUB, "held")  # fmt: skip
    assert context["date"] == held[record]["data"]["date"]
    assert context["villages"] == held[record]["data"]["villages"]
    changed = await push(a, edit(record, held[record]["version"], start="16:30"))
    assert changed[0]["status"] == "applied"

    comment = "Жиналыс хаттамасы бойынша A дұрыс"
    decided = await client.post(f"{REVIEW}/overwrites/{item['id']}/resolve",
                                json={"action": "restore", "comment": comment})  # fmt: skip
    assert decided.status_code == 200, decided.text
    assert (decided.json()["action"], decided.json()["comment"]) == ("restore", comment)

    pulled, _ = await pull_all(b, cursor)
    data = pulled[record]["data"]
    assert (data["notes"], data["start"]) == ("from A", "16:30")
    assert pulled[record]["version"] == changed[0]["version"] + 1
    assert (await client.get(REVIEW)).json()["overwrites"] == []
    [listed] = (await client.get(f"{REVIEW}/resolved", params={"limit": 5})).json()
    assert listed["resolved_at"]
    assert listed | {"resolved_at": None} == {
        "list": "overwrites", "id": item["id"], "action": "restore", "comment": comment,
        "resolved_by": "coordinator-user", "resolved_at": None}  # fmt: skip


async def test_no_body_keeps_and_a_long_comment_is_refused(phones, client):
    a, _ = phones
    record, item = await overwrite(phones, client)
    _, cursor = await pull_all(a)
    too_long = await client.post(f"{REVIEW}/overwrites/{item['id']}/resolve",
                                 json={"comment": "x" * 1001})  # fmt: skip
    assert too_long.status_code == 400
    kept = await client.post(f"{REVIEW}/overwrites/{item['id']}/resolve")
    assert kept.status_code == 200, kept.text
    assert (kept.json()["action"], kept.json()["comment"]) == ("keep", None)
    assert record not in (await pull_all(a, cursor))[0]


async def test_a_deleted_records_item_has_no_context_and_cannot_be_restored(phones, client):
    a, _ = phones
    record, item = await overwrite(phones, client)
    held, _ = await pull_all(a)
    deletion = {**edit(record, held[record]["version"]), "op": "delete", "set": {}}
    assert (await push(a, deletion))[0]["status"] == "applied"
    [listed] = (await client.get(REVIEW)).json()["overwrites"]
    assert listed["context"] is None
    restored = await client.post(f"{REVIEW}/overwrites/{item['id']}/resolve",
                                 json={"action": "restore"})  # fmt: skip
    assert restored.status_code == 422
    assert (await client.get(REVIEW)).json()["overwrites"] != []


async def test_a_parked_new_record_takes_its_context_from_what_it_carried(phones, client):
    a, _ = phones
    meeting = make_meeting(hub="not-a-kato", date="2027-04-02")
    assert (await push(a, meeting))[0]["status"] == "rejected"
    [parked] = (await client.get(REVIEW)).json()["parked"]
    assert parked["context"] == {
        "kind": "meeting", "date": "2027-04-02", "team": None, "hub": "not-a-kato",
        "villages": meeting["add"]["villages"], "status": "held"}  # fmt: skip
    dismissed = await client.post(f"{REVIEW}/parked/{parked['id']}/resolve",
                                  json={"action": "keep", "comment": "typed by hand"})  # fmt: skip
    assert dismissed.json()["action"] == "keep"
    [listed] = (await client.get(f"{REVIEW}/resolved")).json()
    assert (listed["list"], listed["comment"]) == ("parked", "typed by hand")


async def test_the_queue_says_how_many_are_open_beyond_the_page(phones, client):
    a, b = phones
    for n in range(3):
        meeting = make_meeting(notes=f"first {n}")
        await push(a, meeting)
        await push(a, edit(meeting["record_id"], 1, notes="from A"))
        [result] = await push(b, edit(meeting["record_id"], 1, notes="from B"))
        assert result["status"] == "conflict"
    refused = [make_meeting(hub="999999999") for _ in range(2)]  # no such village
    assert {r["status"] for r in await push(a, *refused)} == {"rejected"}
    page = (await client.get(REVIEW, params={"limit": 1})).json()
    assert (len(page["overwrites"]), page["open_overwrites"]) == (1, 3)
    assert (len(page["parked"]), page["open_parked"]) == (1, 2)
    first = page["overwrites"][0]["id"]
    decided = await client.post(f"{REVIEW}/overwrites/{first}/resolve", json={"action": "keep"})
    assert decided.status_code == 200, decided.text
    after = (await client.get(REVIEW, params={"limit": 1})).json()
    assert after["open_overwrites"] == 2 and after["overwrites"][0]["id"] != first
