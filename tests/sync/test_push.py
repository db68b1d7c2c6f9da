"""Pushing mutations: stored once, replayed results, reused ids refused, bad ones alone."""

from __future__ import annotations

import asyncio
import random

from tests.sync.phone import edit, make_meeting, new_id


def rows(database, sql: str, params: tuple = ()) -> list[tuple]:
    return database.rows(sql, params)


async def push(http, mutations: list[dict], **extra) -> list[dict]:
    response = await http.post("/api/v1/sync/push", json={"mutations": mutations, **extra})
    assert response.status_code == 200, response.text
    return response.json()["results"]


async def test_push_applies_a_new_meeting_and_stores_it(phone, database):
    mutation = make_meeting(random.Random(1))
    [result] = await push(phone, [mutation])
    assert result["status"] == "applied"
    assert result["version"] == 1
    [(kind, version, doc)] = rows(database, "SELECT kind, version, doc FROM sync_records")
    assert (kind, version) == ("meeting", 1)
    sent = mutation["add"]["interested"][0]["phone"]  # "+7 70x xxx xx xx"
    assert f'"phone":"+7{sent.replace(" ", "")[2:]}"' in doc  # normalised


async def test_push_same_batch_ten_times_is_stored_once(phone, database):
    rng = random.Random(2)
    batch = [make_meeting(rng) for _ in range(20)]
    first = await push(phone, batch)
    assert {r["status"] for r in first} == {"applied"}
    replays = [await push(phone, batch) for _ in range(9)]
    assert all(replay == replays[0] for replay in replays)
    for replay in replays:
        assert [r["status"] for r in replay] == ["duplicate"] * 20
        assert [r["original"] for r in replay] == first
    assert rows(database, "SELECT count(*) FROM sync_records") == [(20,)]
    assert rows(database, "SELECT count(*) FROM sync_mutations") == [(20,)]
    assert rows(database, "SELECT max(seq), count(DISTINCT seq) FROM sync_records") == [(20, 20)]


async def test_push_fifty_identical_at_once_applies_exactly_one(phone, database):
    mutation = make_meeting(random.Random(3))
    results = await asyncio.gather(*(push(phone, [mutation]) for _ in range(50)))
    statuses = sorted(r[0]["status"] for r in results)
    assert statuses == ["applied"] + ["duplicate"] * 49
    assert rows(database, "SELECT count(*), max(version) FROM sync_records") == [(1, 1)]


async def test_push_reused_mutation_id_with_other_content_is_refused(phone, database):
    mutation = make_meeting(random.Random(4))
    await push(phone, [mutation])
    before = rows(database, "SELECT doc, version, seq FROM sync_records")
    changed = {**mutation, "set": {**mutation["set"], "notes": "something else"}}
    [result] = await push(phone, [changed])
    assert result["status"] == "rejected"
    assert result["reason"] == "mutation_id_reused"
    assert rows(database, "SELECT doc, version, seq FROM sync_records") == before
    [replayed] = await push(phone, [mutation])
    assert replayed["status"] == "duplicate"


async def test_push_bad_mutations_do_not_sink_good_ones(phone, database):
    rng = random.Random(5)
    good = [make_meeting(rng) for _ in range(3)]
    bad_phone = make_meeting(rng)
    bad_phone["add"]["interested"][0]["phone"] = "12345"
    unknown_village = make_meeting(rng, hub="439999999")
    no_reason = make_meeting(rng, status="cancelled")
    batch = [
        good[0],
        {"not": "a mutation"},
        bad_phone,
        good[1],
        unknown_village,
        no_reason,
        {**make_meeting(rng), "kind": "plan"},
        good[2],
    ]
    results = await push(phone, batch)
    assert [r["status"] for r in results] == [
        "applied",
        "rejected",
        "rejected",
        "applied",
        "rejected",
        "rejected",
        "rejected",
        "applied",
    ]
    assert [r.get("reason") for r in results if r["status"] == "rejected"] == [
        "malformed",
        "invalid_phone",
        "unknown_village",
        "rule_broken",
        "malformed",
    ]
    stored = {r[0] for r in rows(database, "SELECT id FROM sync_records")}
    assert stored == {m["record_id"] for m in good}
    # the database says what the answer said: each applied one at its version and seq
    for mutation, result in zip(batch, results, strict=True):
        if result["status"] == "applied":
            assert rows(
                database,
                "SELECT version, seq FROM sync_records WHERE id = ?",
                (mutation["record_id"],),
            ) == [(result["version"], result["seq"])]
    assert rows(database, "SELECT count(*) FROM sync_parked") == [(5,)]
    # a parked mutation is not retried into a different outcome
    [again] = await push(phone, [bad_phone])
    assert again["status"] == "duplicate"
    assert again["original"]["reason"] == "invalid_phone"


async def test_push_edit_on_latest_version_is_applied(phone, database):
    mutation = make_meeting(random.Random(6))
    await push(phone, [mutation])
    [result] = await push(phone, [edit(mutation["record_id"], 1, notes="more notes")])
    assert (result["status"], result["version"]) == ("applied", 2)


async def test_push_same_phone_edits_offline_without_conflict(phone, database):
    # made and edited twice while offline: every mutation is based on version 0
    mutation = make_meeting(random.Random(7))
    edits = [
        edit(mutation["record_id"], 0, notes="first"),
        {**edit(mutation["record_id"], 0, notes="second"), "base_version": 0},
    ]
    edits[0]["base_version"] = 0
    results = await push(phone, [mutation, *edits])
    assert [r["status"] for r in results] == ["applied"] * 3


async def test_push_too_many_mutations_is_413(phone):
    batch = [make_meeting() for _ in range(501)]
    response = await phone.post("/api/v1/sync/push", json={"mutations": batch})
    assert response.status_code == 413
    assert response.json()["code"] == "batch_too_large"


async def test_push_gzip_body_is_accepted(phone, database):
    import gzip
    import json

    body = gzip.compress(json.dumps({"mutations": [make_meeting()]}).encode())
    response = await phone.post(
        "/api/v1/sync/push",
        content=body,
        headers={"content-type": "application/json", "content-encoding": "gzip"},
    )
    assert response.status_code == 200, response.text
    assert response.json()["results"][0]["status"] == "applied"


async def test_push_damaged_gzip_is_400(phone):
    response = await phone.post(
        "/api/v1/sync/push",
        content=b"\x1f\x8bnot gzip",
        headers={"content-type": "application/json", "content-encoding": "gzip"},
    )
    assert response.status_code == 400
    assert response.json()["code"] == "bad_request"


async def test_push_records_device_report(phone, database):
    await push(
        phone,
        [],
        device={"pending": 7, "app_version": "1.2.0", "clock": "2000-01-01T00:00:00+00:00"},
    )
    [(pending, version, offset)] = rows(
        database, "SELECT pending_count, app_version, clock_offset_s FROM devices"
    )
    assert (pending, version) == (7, "1.2.0")
    assert offset < -8e8  # the phone's clock is decades behind


async def test_push_is_for_devices_only(client):
    response = await client.post("/api/v1/sync/push", json={"mutations": []})
    assert response.status_code == 403


async def test_push_unknown_record_edit_is_rejected(phone):
    [result] = await push(phone, [edit(new_id(), 3, notes="x")])
    assert (result["status"], result["reason"]) == ("rejected", "unknown_record")


async def test_push_report_shows_a_phone_at_risk_to_coordinators(phone, client):
    await push(phone, [], device={"pending": 3, "clock": "2020-01-01T00:00:00+00:00"})
    [device] = (await client.get("/api/v1/devices")).json()
    assert device["pending"] == 3
    assert device["at_risk"] == ["clock_off"]


async def test_push_review_queue_read_is_audited(phone, client, database):
    await push(phone, [{"nonsense": True}])
    queue = (await client.get("/api/v1/sync/review")).json()
    assert [p["reason"] for p in queue["parked"]] == ["malformed"]
    assert queue["parked"][0]["login"] == "field-a"
    assert rows(database, "SELECT actor FROM audit_log WHERE action = 'sync.review_read'") == [
        ("coordinator-user",)
    ]
