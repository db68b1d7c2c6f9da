"""What one team's phone sends never reaches into another team: mutation ids are the team's
own, a follow-up belongs to a resident of the team's meeting, a coordinator's status change
finds the right resident; and control characters in a push are refused one mutation at a
time, on each engine."""

from __future__ import annotations

import random
from collections.abc import AsyncIterator

import pytest

from tests.conftest import two_phones
from tests.sync.phone import HUB, edit, make_meeting, new_id
from tests.sync.test_push import push


@pytest.fixture
async def teams(client, anonymous_phone, settings, database) -> AsyncIterator[tuple]:
    """A phone of team-1 and a phone of team-2."""
    async with two_phones(
        client, anonymous_phone, settings, database, ("team-1", "team-2")
    ) as both:
        yield both


def followup(person: str, meeting: str, **fields) -> dict:
    return {"mutation_id": new_id(), "record_id": person, "kind": "followup",
            "set": {"meeting_id": meeting, "status": "contacted", **fields}}  # fmt: skip


async def test_scoping_a_foreign_team_replaying_a_mutation_id_learns_nothing(teams, database):
    mine, theirs = teams
    meeting, second = make_meeting(random.Random(200)), make_meeting(random.Random(202))
    [first, _] = await push(mine, [meeting, second])
    assert first["status"] == "applied"
    # the same id from another team, naming team-1's record: its own new mutation, refused
    same_id = {**edit(meeting["record_id"], 1, notes="not mine"),
               "mutation_id": meeting["mutation_id"]}  # fmt: skip
    [foreign] = await push(theirs, [same_id])
    assert (foreign["status"], foreign["reason"]) == ("rejected", "unknown_record")
    assert "original" not in foreign
    # the same id for a record of its own: applied as its own
    own = {**make_meeting(random.Random(201)), "mutation_id": second["mutation_id"]}
    [applied] = await push(theirs, [own])
    assert applied["status"] == "applied" and applied["record_id"] == own["record_id"]
    # and each team's replay gets its own first result
    [again] = await push(mine, [meeting])
    assert again["status"] == "duplicate" and again["original"] == first
    [again] = await push(theirs, [own])
    assert again["status"] == "duplicate" and again["original"] == applied
    assert database.scalar("SELECT count(*) FROM sync_mutations") == 4


async def test_scoping_a_followup_must_follow_a_resident_of_the_teams_meeting(teams, database):
    mine, theirs = teams
    meeting = make_meeting(random.Random(210))
    resident = meeting["add"]["interested"][0]["id"]
    await push(mine, [meeting])
    other = make_meeting(random.Random(211))
    results = await push(theirs, [
        other,
        followup(resident, other["record_id"]),  # not a resident of its meeting
        followup(resident, meeting["record_id"]),  # another team's meeting
        # its own, but on the day a phone's reset clock says
        followup(other["add"]["interested"][0]["id"], other["record_id"], on="1970-01-01"),
        followup(other["add"]["interested"][0]["id"], other["record_id"]),  # its own
    ])  # fmt: skip
    assert [(r["status"], r.get("reason")) for r in results] == [
        ("applied", None),
        ("rejected", "unknown_resident"),
        ("rejected", "unknown_meeting"),
        ("rejected", "invalid_field"),
        ("applied", None),
    ]
    assert results[3]["message"] == "on: no stage before 2000-01-01"
    assert database.scalar("SELECT count(*) FROM sync_records WHERE id = ?", (resident,)) == 0
    [own] = await push(mine, [followup(resident, meeting["record_id"])])
    assert own["status"] == "applied"


async def test_scoping_status_change_of_a_resident_two_teams_list(teams, client, database):
    mine, theirs = teams
    shared = new_id()
    ours, others = make_meeting(random.Random(220)), make_meeting(random.Random(221))
    for meeting in (ours, others):
        meeting["add"]["interested"][0]["id"] = shared
    await push(mine, [ours])
    await push(theirs, [others])
    path = f"/api/v1/followups/{shared}/status"
    ambiguous = await client.post(path, json={"status": "contacted"})
    assert ambiguous.status_code == 409, ambiguous.text
    assert ambiguous.json()["code"] == "ambiguous_resident"
    named = await client.post(path, json={"status": "contacted",
                                          "meeting_id": others["record_id"]})  # fmt: skip
    assert named.status_code == 200, named.text
    team = database.scalar("SELECT t.name FROM sync_records AS r JOIN teams AS t"
                           " ON t.id = r.team_id WHERE r.id = ?", (shared,))  # fmt: skip
    assert team == "team-2"
    later = await client.post(path, json={"status": "trained"})  # the follow-up knows its team
    assert later.status_code == 200, later.text
    assert later.json()["data"]["meeting_id"] == others["record_id"]
    # team-1's village view does not show team-2's follow-up as its resident's
    village = (await client.get(f"/api/v1/coverage/villages/{ours['set']['hub']}")).json()
    shown = {(f["id"], f["data"]["meeting_id"]) for f in village["followups"]}
    assert shown == {(shared, others["record_id"])}


CONTROL = [
    ("notes", lambda m: m["set"].update(notes="a\u0000b")),
    ("plan_meeting", lambda m: m["set"].update(plan_id=1, plan_meeting="p\u0000")),
    ("kind", lambda m: m.update(kind="meet\u0000ing")),
    ("topic newline", lambda m: m["add"].update(topics=["two\nlines"])),
    ("record_id", lambda m: m.update(record_id=m["record_id"][:-1] + "\u0001")),
    ("key", lambda m: m["set"].update({"no\u0000te": "x"})),
]


async def test_scoping_control_characters_refuse_only_their_mutation(teams, client, database):
    mine, _ = teams
    rng = random.Random(230)
    good = [make_meeting(rng, notes="tabs\tand\nnewlines\r\nare free text") for _ in range(2)]
    bad = []
    for _, spoil in CONTROL:
        mutation = make_meeting(rng)
        spoil(mutation)
        bad.append(mutation)
    batch = [good[0], *bad, good[1]]
    results = await push(mine, batch)
    assert [r["status"] for r in results] == ["applied", *["rejected"] * len(bad), "applied"]
    assert {r["reason"] for r in results[1:-1]} == {"control_character"}
    assert all("\u0000" not in r["message"] for r in results[1:-1])
    again = await push(mine, batch)  # a retry: the same answers
    for first, retried in zip(results, again, strict=True):
        if first["mutation_id"] is None:  # answered by position: its identity is unreadable
            assert retried == first
        else:
            assert (retried["status"], retried["original"]) == ("duplicate", first)
    assert [r["mutation_id"] for r in results].count(None) == 1  # the bad record_id
    # coordinators' views still answer, on every engine
    village = await client.get(f"/api/v1/coverage/villages/{HUB}")
    assert village.status_code == 200, village.text
    person = good[0]["add"]["interested"][0]["id"]
    status = await client.post(f"/api/v1/followups/{person}/status", json={"status": "contacted"})
    assert status.status_code == 200, status.text
    queue = await client.get("/api/v1/sync/review")
    assert queue.status_code == 200
    assert database.scalar("SELECT count(*) FROM sync_parked") == len(bad) + 1  # + the retry
    notes = database.scalar("SELECT doc FROM sync_records WHERE id = ?", (good[0]["record_id"],))
    assert "tabs\\tand\\nnewlines" in notes
