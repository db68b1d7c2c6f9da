"""Residents in the order of the Kazakh alphabet, on both engines: Ә after А, Қ after К, Ұ and
Ү after У, І after Ы (not after Я, as their code points would put them), case blind, namesakes
by id, the same order a page at a time; the field team's follow-up list too."""

from __future__ import annotations

import random

from outreach.domain.name_order import name_order
from tests.api.test_residents import meeting, person, residents
from tests.conftest import enrol_device
from tests.sync.phone import new_id
from tests.sync.test_push import push

# as a Kazakh reader expects them (Latin before Cyrillic); the two Сәуле by id
KAZAKH_ORDER = ["Zarina", "айгерим", "Айгүл", "Әлия", "Бақыт", "Ғалым", "Ерлан", "Ёлдыз",
                "Кенже", "Қайрат", "қанат", "Нұрлан", "Ңқ", "Өмір", "Сәуле", "сәуле", "Ұлан",
                "Үміт", "Хасен", "Һәкім", "Ыдырыс", "Ілияс", "Ясмин"]  # fmt: skip


async def test_residents_are_listed_in_the_kazakh_alphabets_order(client, anonymous_phone,
                                                                  database):  # fmt: skip
    await enrol_device(client, anonymous_phone, database, "field-a", "team-1")
    rng = random.Random(21)
    # backwards, but the namesakes in their order, so that their ids are too
    shuffled = [n for n in KAZAKH_ORDER[::-1] if n.casefold() != "сәуле"] + ["Сәуле", "сәуле"]
    lines = [person(name.replace("Ясмин", "Yasmin")) for name in shuffled]
    held = meeting(rng, lines)
    await push(anonymous_phone, [held])
    # a name corrected on the phone: the resident is renamed, and sorts by the new name
    corrected = next(line for line in lines if line["name"] == "Yasmin") | {"name": "Ясмин"}
    fix = {"mutation_id": new_id(), "record_id": held["record_id"],
           "kind": "meeting", "base_version": 1, "add": {"interested": [corrected]}}  # fmt: skip
    assert (await push(anonymous_phone, [fix]))[0]["status"] == "applied"

    listed = await residents(client, limit=500)
    assert [r["name"] for r in listed] == KAZAKH_ORDER
    sauele = [r["id"] for r in listed if r["name"].casefold() == "сәуле"]
    assert sauele == sorted(sauele)
    paged = [r for offset in range(0, len(KAZAKH_ORDER), 4)
             for r in await residents(client, limit=4, offset=offset)]  # fmt: skip
    assert [r["id"] for r in paged] == [r["id"] for r in listed]
    # a search lists what it finds in the same order
    assert [r["name"] for r in await residents(client, q="а", limit=500)] == [
        n for n in KAZAKH_ORDER if "а" in n.casefold()]  # fmt: skip
    # the key is the one the program computes, for new and for renamed residents alike
    for name, key in database.rows("SELECT name, name_order FROM residents"):
        assert key == name_order(name)

    followups = (await anonymous_phone.get("/api/v1/residents/followups")).json()["residents"]
    assert [r["name"] for r in followups] == KAZAKH_ORDER


async def test_an_erased_resident_goes_last_and_keeps_no_key(client, anonymous_phone, database):
    await enrol_device(client, anonymous_phone, database, "field-a", "team-1")
    await push(anonymous_phone, [meeting(random.Random(22), [person(n) for n in KAZAKH_ORDER])])
    [erlan] = [r for r in await residents(client) if r["name"] == "Ерлан"]
    assert (await client.post(f"/api/v1/residents/{erlan['id']}/erase")).status_code == 200
    assert [r["name"] for r in await residents(client, limit=500)] == [
        *(n for n in KAZAKH_ORDER if n != "Ерлан"), None]  # fmt: skip
    # the key spells the name: erasure takes it too
    assert database.rows("SELECT name, name_order FROM residents WHERE id = ?",
                         (erlan["id"],)) == [(None, None)]  # fmt: skip
