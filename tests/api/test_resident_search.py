"""Searching residents in the console, on both engines: a phone typed the national way (8 ...)
finds the number stored as +7..., whole or begun; `%` and `_` are letters, not wildcards; a
stage's date lies between 2000 and tomorrow."""

from __future__ import annotations

import random
from datetime import timedelta

import pytest

from outreach.services.clock import today_local
from tests.api.test_residents import meeting, person, residents
from tests.conftest import enrol_device
from tests.dbstate import dump
from tests.sync.test_push import push

PEOPLE = [("Айгүл Серікова", "+77001234567"), ("Ерлан_Бек", "+77017654321"),
          ("Болат Нұров", "+77771112233")]  # fmt: skip


@pytest.fixture
async def registry(client, anonymous_phone, database):
    await enrol_device(client, anonymous_phone, database, "field-a", "team-1")
    held = meeting(random.Random(5), [person(name, phone) for name, phone in PEOPLE])
    await push(anonymous_phone, [held])
    return client


async def names(client, q: str) -> list[str]:
    return sorted(r["name"] for r in await residents(client, q=q))


# each typed form in one test (a registry per case cost half a second each)
PHONES_TYPED = ["8 700 123 45 67", "8(700)1234567", "87001234567", "+7 700 123 45 67", "8 700",
                "8700123", "1234567"]  # fmt: skip
WILDCARDS = [("%", []), ("_", ["Ерлан_Бек"]), ("Ер%Бек", []), ("Б_лат", [])]


async def test_a_phone_typed_the_national_way_finds_the_stored_number(registry):
    for typed in PHONES_TYPED:
        assert await names(registry, typed) == ["Айгүл Серікова"], typed


async def test_like_wildcards_are_searched_as_themselves(registry):
    for typed, found in WILDCARDS:
        assert await names(registry, typed) == found, typed


async def test_a_stage_date_outside_the_programme_era_is_refused(registry, database):
    [resident] = await residents(registry, q="Болат")
    future = (today_local() + timedelta(days=2)).isoformat()
    for on in ("1901-05-01", "1999-12-31", "2031-01-01", future):
        before = dump(database)
        refused = await registry.post(f"/api/v1/residents/{resident['id']}/stage",
                                      json={"stage": "contacted", "on": on})  # fmt: skip
        assert refused.status_code == 422, refused.text
        assert refused.json()["details"] == [
            {"field": "on", "value": on, "message": refused.json()["details"][0]["message"]}
        ]
        assert dump(database) == before


async def test_a_stage_date_in_the_era_up_to_tomorrow_is_kept(registry):
    [resident] = await residents(registry, q="Болат")
    for on in ("2000-01-01", (today_local() + timedelta(days=1)).isoformat()):
        kept = await registry.post(f"/api/v1/residents/{resident['id']}/stage",
                                   json={"stage": "contacted", "on": on})  # fmt: skip
        assert kept.status_code == 200, kept.text
