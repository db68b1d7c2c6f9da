"""Two phones of one team editing the same meeting: per-field last writer wins in server
order, overwritten values wait for review, lists merge, deletes are tombstones."""

from __future__ import annotations

from tests.sync.phone import edit, new_id, pull_all
from tests.sync.test_push import push


async def test_conflict_later_writer_wins_and_loser_is_kept_for_review(pair, client):
    a, b, record = pair
    [first] = await push(a, [edit(record, 1, notes="from A")])
    assert first["status"] == "applied"
    [second] = await push(b, [edit(record, 1, notes="from B", reason=None)])
    assert second["status"] == "conflict"
    assert second["overwritten"] == ["notes"]
    assert second["record"]["data"]["notes"] == "from B"
    assert second["version"] == 3
    queue = (await client.get("/api/v1/sync/review")).json()
    [item] = queue["overwrites"]
    assert (item["field"], item["value"], item["record_id"]) == ("notes", "from A", record)
    held, _ = await pull_all(a)
    assert held[record]["data"]["notes"] == "from B"
    resolved = await client.post(f"/api/v1/sync/review/overwrites/{item['id']}/resolve")
    assert resolved.status_code == 200
    assert (await client.get("/api/v1/sync/review")).json()["overwrites"] == []
    audit = (await client.get("/api/v1/audit")).status_code  # admins only
    assert audit == 403


async def test_conflict_a_base_version_ahead_of_the_record_hides_nothing(pair, client):
    """A phone claiming to have seen a version never written (2**62) overwrote, and deleted,
    another phone's values with nothing kept for review."""
    a, b, record = pair
    await push(a, [edit(record, 1, notes="from A")])  # version 2
    [ahead] = await push(b, [edit(record, 2**62, notes="from B")])
    assert (ahead["status"], ahead["overwritten"]) == ("conflict", ["notes"])
    [gone] = await push(b, [{"mutation_id": new_id(), "record_id": record, "kind": "meeting",
                             "op": "delete", "base_version": 10**9}])  # fmt: skip
    assert gone["status"] == "conflict"
    queue = (await client.get("/api/v1/sync/review")).json()["overwrites"]
    assert [(i["field"], i["value"] if i["field"] == "notes" else "*") for i in queue] == [
        ("notes", "from A"), ("*", "*")]  # fmt: skip


async def test_conflict_different_fields_merge_without_conflict(pair):
    a, b, record = pair
    await push(a, [edit(record, 1, notes="from A")])
    [result] = await push(b, [edit(record, 1, start="11:00")])
    assert result["status"] == "applied"
    held, _ = await pull_all(a)
    assert (held[record]["data"]["notes"], held[record]["data"]["start"]) == ("from A", "11:00")


async def test_conflict_list_adds_and_removes_never_erase_each_other(pair):
    a, b, record = pair
    held, _ = await pull_all(a)
    before = held[record]["data"]["interested"]
    existing = before[0]["id"]
    person_a = {"id": new_id(), "name": "Арман", "phone": "87011112233"}
    person_b = {"id": new_id(), "name": "Дана", "village": "431033400"}
    await push(
        a,
        [
            {
                "mutation_id": new_id(),
                "record_id": record,
                "kind": "meeting",
                "base_version": 1,
                "add": {"interested": [person_a]},
            }
        ],
    )
    [result] = await push(
        b,
        [
            {
                "mutation_id": new_id(),
                "record_id": record,
                "kind": "meeting",
                "base_version": 1,
                "add": {"interested": [person_b]},
                "remove": {"interested": [existing], "villages": ["431033100"]},
            }
        ],
    )
    assert result["status"] == "applied"
    held, _ = await pull_all(a)
    ids = {p["id"] for p in held[record]["data"]["interested"]}
    assert ids == {p["id"] for p in before[1:]} | {person_a["id"], person_b["id"]}
    assert "431033100" not in held[record]["data"]["villages"]


async def test_conflict_edit_after_delete_keeps_tombstone_and_parks_the_edit(pair, client):
    a, b, record = pair
    [deleted] = await push(
        a,
        [
            {
                "mutation_id": new_id(),
                "record_id": record,
                "kind": "meeting",
                "op": "delete",
                "base_version": 1,
            }
        ],
    )
    assert deleted["status"] == "applied"
    [late] = await push(b, [edit(record, 1, notes="too late")])
    assert late["status"] == "conflict"
    assert late["record"]["deleted"] is True
    held, _ = await pull_all(b)
    assert held[record]["deleted"] is True and "data" not in held[record]
    [item] = (await client.get("/api/v1/sync/review")).json()["overwrites"]
    assert item["field"] == "*" and item["value"]["set"]["notes"] == "too late"


async def test_conflict_phone_cannot_set_server_owned_or_unknown_fields(pair):
    a, _, record = pair
    [result] = await push(a, [edit(record, 1, team="team-2")])
    assert (result["status"], result["reason"]) == ("rejected", "invalid_field")
