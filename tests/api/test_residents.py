"""The resident registry through the API, on both engines: one person met by two teams is one
resident, namesakes in one village stay two (proposed, never merged), a merge and a split keep
every history line, a phone's call becomes history, and erasure leaves counts, never a name."""

from __future__ import annotations

import asyncio
import random

from litestar.testing import AsyncTestClient

from outreach.app import create_app
from tests.conftest import enrol_device, two_phones
from tests.sync.phone import make_meeting, new_id
from tests.sync.test_push import push

HUB = "431033100"
OTHER = "431033400"


def person(name: str, phone: str | None = None, village: str | None = HUB, **extra) -> dict:
    return {"id": new_id(), "name": name, **({"phone": phone} if phone else {}),
            **({"village": village} if village else {}), **extra}  # fmt: skip


def meeting(rng: random.Random, people: list[dict], day: str = "2027-05-02", **fields) -> dict:
    made = make_meeting(rng, hub=HUB, date=day, **fields)
    made["add"]["interested"] = people
    return made


async def residents(client, **query) -> list[dict]:
    response = await client.get("/api/v1/residents", params=query)
    assert response.status_code == 200, response.text
    return response.json()["residents"]


async def one(client, resident_id: int) -> dict:
    response = await client.get(f"/api/v1/residents/{resident_id}")
    assert response.status_code == 200, response.text
    return response.json()


async def test_one_person_met_by_two_teams_is_one_resident(client, anonymous_phone, settings,
                                                          database):  # fmt: skip
    rng = random.Random(1)
    async with two_phones(client, anonymous_phone, settings, database, ("team-1", "team-2")) as (
        first, second):  # fmt: skip
        await push(first, [meeting(rng, [person("Айгүл Серікова", "8 701 123 45 67")])])
        # the other team writes her name the other way round and her number in another form
        later = meeting(rng, [person("серікова айгүл", "+7 (701) 123-45-67", village=OTHER)],
                        day="2027-05-09")  # fmt: skip
        await push(second, [later])
    [resident] = await residents(client)
    assert (resident["phone"], resident["teams"], resident["meetings"]) == (
        "+77011234567", ["team-1", "team-2"], 2)  # fmt: skip
    assert resident["name"] == "Айгүл Серікова"
    story = await one(client, resident["id"])
    assert [s["team"] for s in story["sightings"]] == ["team-1", "team-2"]
    assert [h["kind"] for h in story["history"]] == ["created"]


async def test_namesakes_in_one_village_stay_two_and_are_proposed(client, anonymous_phone,
                                                                 database):  # fmt: skip
    await enrol_device(client, anonymous_phone, database, "field-a", "team-1")
    rng = random.Random(2)
    await push(anonymous_phone, [meeting(rng, [person("Ерлан Омаров")])])
    await push(anonymous_phone, [meeting(rng, [person("Ерлан Омаров")], day="2027-05-20")])
    # the same phone under another name is someone else too (a family's one phone)
    await push(anonymous_phone, [meeting(rng, [person("Дана Омарова", "87011112233"),
                                               person("Мадина Омарова", "87011112233")])])  # fmt: skip
    people = await residents(client)
    assert sorted(p["name"] for p in people) == ["Дана Омарова", "Ерлан Омаров", "Ерлан Омаров",
                                                 "Мадина Омарова"]  # fmt: skip
    pairs = (await client.get("/api/v1/residents/candidates")).json()["candidates"]
    assert sorted(p["reason"] for p in pairs) == ["same_name_village", "same_phone_other_name"]
    namesakes = next(p for p in pairs if p["reason"] == "same_name_village")
    assert namesakes["a"]["name"] == namesakes["b"]["name"] == "Ерлан Омаров"
    apart = await client.post(f"/api/v1/residents/candidates/{namesakes['id']}/apart")
    assert apart.status_code == 200
    assert len((await client.get("/api/v1/residents/candidates")).json()["candidates"]) == 1
    assert len(await residents(client)) == 4


async def test_doubtful_matches_come_a_page_at_a_time_with_how_many_are_open(
    client, anonymous_phone, database
):
    await enrol_device(client, anonymous_phone, database, "field-a", "team-1")
    rng = random.Random(12)
    # seven families of one phone each: seven pairs that may be one person
    await push(anonymous_phone, [meeting(rng, [person(f"Дана Омарова {n}", f"8701111220{n}"),
                                               person(f"Мадина Омарова {n}", f"8701111220{n}")])
                                 for n in range(7)])  # fmt: skip
    seen: list[int] = []
    after = 0
    while True:
        page = await client.get("/api/v1/residents/candidates",
                                params={"limit": 3, "after": after})  # fmt: skip
        assert page.status_code == 200, page.text
        body = page.json()
        assert body["total"] == 7
        if not body["candidates"]:
            break
        assert len(body["candidates"]) <= 3
        seen += [c["id"] for c in body["candidates"]]
        after = seen[-1]
    assert len(seen) == 7 and seen == sorted(seen)  # every pair once, oldest first
    await client.post(f"/api/v1/residents/candidates/{seen[0]}/apart")
    first = (await client.get("/api/v1/residents/candidates", params={"limit": 1})).json()
    assert (first["total"], [c["id"] for c in first["candidates"]]) == (6, seen[1:2])
    for bad in ({"limit": 0}, {"limit": 501}, {"after": -1}, {"limit": "x"}):
        refused = await client.get("/api/v1/residents/candidates", params=bad)
        assert refused.status_code == 400, (bad, refused.text)
        body = refused.json()
        assert body["code"] == "validation_failed"
        assert {d["key"] for d in body["details"]} == set(bad)


async def test_a_merge_and_a_split_keep_every_history_line(client, anonymous_phone, database):
    await enrol_device(client, anonymous_phone, database, "field-a", "team-1")
    rng = random.Random(3)
    await push(anonymous_phone, [meeting(rng, [person("Сәуле Есенова")])])
    await push(anonymous_phone, [meeting(rng, [person("Сәуле Есенова", "87051234567")],
                                         day="2027-05-20")])  # fmt: skip
    first, second = sorted(await residents(client), key=lambda p: p["id"])
    staged = [(first, {"stage": "contacted", "on": "2026-05-21"}),
              (second, {"stage": "trained", "on": "2026-06-01"}),
              (second, {"stage": "defended", "on": "2026-06-10", "amount_tenge": 5_000_000})]  # fmt: skip
    for who, change in staged:
        response = await client.post(f"/api/v1/residents/{who['id']}/stage", json=change)
        assert response.status_code == 200, response.text
    before = {p["id"]: await one(client, p["id"]) for p in (first, second)}
    merged = (await client.post("/api/v1/residents/merge",
                                json={"into": first["id"], "other": second["id"]})).json()  # fmt: skip
    lines = {h["id"] for b in before.values() for h in b["history"]}
    assert lines < {h["id"] for h in merged["history"]}
    assert (merged["stage"], merged["requested_tenge"], merged["meetings"]) == ("defended",
                                                                               5_000_000, 2)  # fmt: skip
    assert merged["phone"] == "+77051234567"  # the merged-in resident's phone serves
    assert merged["merged_from"] == [second["id"]]
    assert [p["id"] for p in await residents(client)] == [first["id"]]
    gone = await client.post(f"/api/v1/residents/{second['id']}/stage", json={"stage": "trained"})
    assert gone.status_code == 409

    split = await client.post(f"/api/v1/residents/{first['id']}/split",
                              json={"resident": second["id"]})  # fmt: skip
    assert split.status_code == 200, split.text
    for who in (first, second):
        now = await one(client, who["id"])
        kept = {h["id"] for h in before[who["id"]]["history"]}
        assert kept <= {h["id"] for h in now["history"]}
        assert now["sightings"] == before[who["id"]]["sightings"]
        added = {h["kind"] for h in now["history"]} - {
            h["kind"] for h in before[who["id"]]["history"]
        }
        assert added == ({"merged", "split"} if who is first else {"split"})
        assert (now["stage"], now["requested_tenge"]) == (before[who["id"]]["stage"],
                                                          before[who["id"]]["requested_tenge"])  # fmt: skip
    assert (await client.get("/api/v1/residents/candidates")).json()["candidates"] == []


async def test_a_phones_call_becomes_the_residents_history(client, anonymous_phone, database):
    await enrol_device(client, anonymous_phone, database, "field-a", "team-1")
    rng = random.Random(4)
    listed = person("Арман Қасымов", "87770001122")
    held = meeting(rng, [listed])
    await push(anonymous_phone, [held])
    [resident] = await residents(client)
    await client.post(f"/api/v1/residents/{resident['id']}/stage",
                      json={"next_contact": "2026-01-10"})  # fmt: skip
    mine = (await anonymous_phone.get("/api/v1/residents/followups")).json()
    [item] = mine["residents"]
    assert (item["item_id"], item["meeting_id"], item["phone"], item["overdue"]) == (
        listed["id"], held["record_id"], "+77770001122", True)  # fmt: skip
    call = {"mutation_id": new_id(), "record_id": item["item_id"], "kind": "followup",
            "base_version": 0, "set": {"meeting_id": item["meeting_id"], "status": "trained",
            "on": "2027-05-12", "via": "call", "note": "курсқа барды",
            "next_contact": "2099-06-01"}}  # fmt: skip
    [result] = await push(anonymous_phone, [call])
    assert result["status"] == "applied", result
    story = await one(client, resident["id"])
    assert story["stage"] == "trained" and story["next_contact"] == "2099-06-01"
    last = story["history"][-1]
    assert (last["kind"], last["via"], last["stage"], last["note"], last["by"]) == (
        "contact", "call", "trained", "курсқа барды", last["by"])  # fmt: skip
    assert last["by"].startswith("device:") and last["by_name"] == "field-a"  # the phone's user
    item = (await anonymous_phone.get("/api/v1/residents/followups")).json()["residents"][0]
    assert not item["overdue"]
    # the registry is invisible to phones, and a coordinator's reads are audited
    assert (await anonymous_phone.get(f"/api/v1/residents/{resident['id']}")).status_code == 404
    actions = {r[0] for r in database.rows("SELECT action FROM audit_log")}
    assert {"residents.list", "residents.read", "residents.followups"} <= actions


async def test_another_team_never_sees_a_resident_it_did_not_meet(client, anonymous_phone,
                                                                  settings, database):  # fmt: skip
    rng = random.Random(5)
    async with two_phones(client, anonymous_phone, settings, database, ("team-1", "team-2")) as (
        first, second):  # fmt: skip
        await push(first, [meeting(rng, [person("Динара Бекова", "87019998877", OTHER)])])
        assert len((await first.get("/api/v1/residents/followups")).json()["residents"]) == 1
        theirs = await second.get("/api/v1/residents/followups")
        assert theirs.status_code == 200 and theirs.json()["residents"] == []
        assert "87019998877" not in theirs.text and "Бекова" not in theirs.text
        [her] = await residents(client)
        moved = await client.post(f"/api/v1/residents/{her['id']}/stage",
                                  json={"stage": "referred", "programme": "microcredit"})  # fmt: skip
        assert moved.status_code == 200, moved.text
        # another team's line with her number and no name, or her first name only (guessed,
        # as an attacker's phone would, a thousand numbers a meeting): not her, but new
        # residents proposed beside her to a coordinator; the list tells nothing of her
        await push(second, [meeting(rng, [person("?", "+7 701 999 88 77", village=None),
                                          person("Динара", "87019998877")])])  # fmt: skip
        [guessed] = (await second.get("/api/v1/residents/followups")).json()["residents"]
        assert (guessed["phone"], guessed["stage"], guessed["programme"]) == (
            "+77019998877",
            "new",
            None,
        )  # this team's own: one person, by its own lines
        assert guessed["name"] in ("?", "Динара") and "Бекова" not in str(guessed)
        [still] = [p for p in await residents(client) if p["id"] == her["id"]]
        assert still["teams"] == ["team-1"] and still["stage"] == "referred"
        pairs = (await client.get("/api/v1/residents/candidates")).json()["candidates"]
        assert [p["reason"] for p in pairs] == ["same_phone_other_name"]
        # a line with her whole name and number is her, met by this team too
        await push(second, [meeting(rng, [person("Бекова Динара", "87019998877")])])
        [met] = [p for p in await residents(client) if p["id"] == her["id"]]
        assert met["teams"] == ["team-1", "team-2"]
        # and the first team's list is its own as before
        [own] = (await first.get("/api/v1/residents/followups")).json()["residents"]
        assert (own["name"], own["phone"], own["village"]) == ("Динара Бекова", "+77019998877",
                                                               OTHER)  # fmt: skip


async def test_an_erased_resident_keeps_the_counts_and_leaves_no_name(client, anonymous_phone,
                                                                      database, settings, caplog):  # fmt: skip
    await enrol_device(client, anonymous_phone, database, "field-a", "team-1")
    rng = random.Random(6)
    name, phone = "Қайрат Тұрсынов", "8 702 555 66 77"
    listed = person(name, phone, interest="бау-бақша")
    held = meeting(rng, [listed, person("Жанар Мұратова", "87023334455")],
                   notes="қайрат тұрсынов келді, тел. 8-702-555-66-77")  # fmt: skip
    held["add"]["questions"] = [{"id": new_id(), "text": f"{name.upper()}: жер телімі қашан?"}]
    await push(anonymous_phone, [held])
    # a refused mutation whose reason quotes what was sent (parked for review)
    quoted = {**make_meeting(rng, hub=HUB), "kind": "meeting"}
    quoted["set"]["status"] = name
    [parked] = await push(anonymous_phone, [quoted])
    assert parked["status"] == "rejected" and name in parked["message"]
    # a second phone's stale edit of the same line is kept for review: one more copy of him
    stale = {"mutation_id": new_id(), "record_id": held["record_id"], "kind": "meeting",
             "base_version": 0, "set": {"status": "held", "date": "2027-05-02", "hub": HUB},
             "add": {"interested": [listed]}}  # fmt: skip
    await push(anonymous_phone, [stale])
    [him] = [p for p in await residents(client) if p["name"] == name]
    await client.post(f"/api/v1/residents/{him['id']}/stage",
                      json={"stage": "financed", "amount_tenge": 3_000_000, "note": f"{name} рахмет",
                            "funding_source": "Аграрная кредитная корпорация"})  # fmt: skip
    counts_before = (await client.get("/api/v1/coverage")).json()["funnel"]
    erased = await client.post(f"/api/v1/residents/{him['id']}/erase")
    assert erased.status_code == 200, erased.text
    story = erased.json()
    assert (story["name"], story["phone"], story["erased"], story["stage"],
            story["financed_tenge"]) == (None, None, True, "financed", 3_000_000)  # fmt: skip
    assert (await client.get("/api/v1/coverage")).json()["funnel"] == counts_before
    digits = "7025556677"
    for table, text in database.all_text():
        assert name not in text and "Тұрсынов" not in text and "рахмет" not in text, table
        assert digits not in text and "555 66 77" not in text, table
        assert "555-66-77" not in text and "тұрсынов" not in text.casefold(), table
    assert "Жанар Мұратова" in str(database.rows("SELECT doc FROM sync_records"))
    assert name not in caplog.text and digits not in caplog.text
    async with AsyncTestClient(app=create_app(settings)) as again:  # the phone's fresh pull
        again.headers.update(anonymous_phone.headers)
        pulled = await again.post("/api/v1/sync/pull", json={"cursor": None})
        assert name not in pulled.text and "555 66 77" not in pulled.text
    for path in ("/api/v1/coverage.csv?level=villages", "/api/v1/coverage.xlsx"):
        assert name.encode() not in (await client.get(path)).content


async def test_a_line_removed_or_a_meeting_deleted_takes_its_resident_away(client, anonymous_phone,
                                                                          database):  # fmt: skip
    await enrol_device(client, anonymous_phone, database, "field-a", "team-1")
    rng = random.Random(8)
    kept, mistaken = person("Серік Омаров", "87075550011"), person("Қате Жазылған")
    held = meeting(rng, [kept, mistaken])
    await push(anonymous_phone, [held])
    assert len(await residents(client)) == 2
    removal = {"mutation_id": new_id(), "record_id": held["record_id"], "kind": "meeting",
               "base_version": 1, "remove": {"interested": [mistaken["id"]]}}  # fmt: skip
    assert (await push(anonymous_phone, [removal]))[0]["status"] == "applied"
    assert [p["name"] for p in await residents(client)] == ["Серік Омаров"]
    deletion = {"mutation_id": new_id(), "record_id": held["record_id"], "kind": "meeting",
                "base_version": 2, "op": "delete"}  # fmt: skip
    assert (await push(anonymous_phone, [deletion]))[0]["status"] == "applied"
    assert await residents(client) == []
    assert database.scalar("SELECT count(*) FROM resident_sightings") == 0


async def test_records_stored_before_the_registry_are_absorbed_at_start(client, anonymous_phone,
                                                                       database, settings):  # fmt: skip
    await enrol_device(client, anonymous_phone, database, "field-a", "team-1")
    await push(
        anonymous_phone, [meeting(random.Random(9), [person("Ержан Бекова", "87010101010")])]
    )
    for table in ("resident_events", "resident_sightings", "resident_candidates", "residents"):
        database.execute(f"DELETE FROM {table}")  # as a database from before migration 0013
    database.execute("UPDATE registry_state SET absorbed_seq = 0")
    async with AsyncTestClient(app=create_app(settings)):
        assert database.scalar("SELECT count(*) FROM residents") == 1  # before any request
    assert database.scalar("SELECT absorbed_seq FROM registry_state") == database.scalar(
        "SELECT last_seq FROM sync_state")  # fmt: skip


async def test_one_push_naming_a_person_twice_makes_one_resident(client, anonymous_phone,
                                                                 database):  # fmt: skip
    await enrol_device(client, anonymous_phone, database, "field-a", "team-1")
    rng = random.Random(10)
    batch = [meeting(rng, [person("Мадина Есенова", "87012223344"), person("Асқар Омаров")]),
             meeting(rng, [person("Есенова Мадина", "+77012223344"), person("Асқар Омаров")],
                     day="2027-05-03")]  # fmt: skip
    assert {r["status"] for r in await push(anonymous_phone, batch)} == {"applied"}
    found = sorted(await residents(client), key=lambda p: (p["name"], p["id"]))
    assert [(p["name"], p["meetings"]) for p in found] == [
        ("Асқар Омаров", 1), ("Асқар Омаров", 1), ("Мадина Есенова", 2)]  # fmt: skip
    [pair] = (await client.get("/api/v1/residents/candidates")).json()["candidates"]
    assert pair["reason"] == "same_name_village"


async def test_the_registry_catches_up_after_pushes_without_being_read(client, anonymous_phone,
                                                                       database):  # fmt: skip
    await enrol_device(client, anonymous_phone, database, "field-a", "team-1")
    rng = random.Random(11)
    await push(anonymous_phone, [meeting(rng, [person("Бауыржан Ахметов", "87471112233")])])
    await push(anonymous_phone, [meeting(rng, [person("Сәуле Жұмабаева")], day="2027-05-05")])
    for _ in range(100):  # the absorber waits half a second for more pushes, then runs once
        if database.scalar("SELECT count(*) FROM residents") == 2:
            break
        await asyncio.sleep(0.05)
    assert database.scalar("SELECT count(*) FROM residents") == 2
    assert database.scalar("SELECT absorbed_seq FROM registry_state") == database.scalar(
        "SELECT last_seq FROM sync_state")  # fmt: skip


async def test_a_phone_shared_by_many_names_proposes_only_a_few_pairs_each(client, anonymous_phone,
                                                                          database):  # fmt: skip
    await enrol_device(client, anonymous_phone, database, "field-a", "team-1")
    names = [f"{first} {last}" for first in ("Айгүл", "Дана", "Ерлан", "Сәуле", "Нұрлан", "Әсел")
             for last in ("Омарова", "Бекова", "Есенова", "Серікова", "Тұрсынова")]  # fmt: skip
    crowd = [person(name, "87000000000") for name in names]  # 30 people, one phone
    await push(anonymous_phone, [meeting(random.Random(12), crowd)])
    assert len(await residents(client, limit=100)) == 30
    pairs = database.rows("SELECT a, b FROM resident_candidates")
    per: dict[int, int] = {}
    for _, newer in pairs:
        per[newer] = per.get(newer, 0) + 1
    assert len(pairs) < 30 * 29 / 2 and max(per.values()) <= 5  # never one pair per two of them
