"""The funnel in people and tenge, and targets against actuals, through the API and in the
CSV and xlsx exports, on both engines: a hand-computed scenario (six people in two districts,
one of them met twice) whose stages a coordinator sets; leadership's files hold counts and
tenge only, never a name or a phone."""

from __future__ import annotations

import csv
import io
import random

import pytest
from litestar.testing import AsyncTestClient
from openpyxl import load_workbook

from outreach.app import create_app
from tests.api.test_plans_api import make_plan
from tests.conftest import enrol_device, sign_in
from tests.sync.phone import make_meeting, new_id
from tests.sync.test_push import push

CITY, KARMAKSHY = "431000000", "434600000"  # districts
CITY_HUB = "431033100"
CAMPAIGN = "Spring 2027"
STAGES = ("contacted", "referred", "trained", "defended", "financed")
MILLION = 1_000_000


def person(name: str, phone: str, village: str, programme: str | None) -> dict:
    made = {"id": new_id(), "name": name, "phone": phone, "village": village}
    return made | ({"programme": programme} if programme else {})


def counts(interested: int, *reached: int, dropped: int = 0, requested: int = 0,
           financed_tenge: int = 0) -> dict:  # fmt: skip
    """A funnel row by hand: people per stage (or later), tenge, conversion between stages."""
    at = dict(zip(STAGES, reached, strict=True))
    before = [interested, *reached[:-1]]
    conversion = {s: (n / b if b else None) for s, n, b in zip(STAGES, reached, before,
                                                                strict=True)}  # fmt: skip
    return {"interested": interested, **at, "dropped": dropped, "requested_tenge": requested,
            "financed_tenge": financed_tenge, "conversion": conversion}  # fmt: skip


# A: met twice (same phone), defended for 5 mln and financed 3 mln; B: defended for 2 mln;
# C: trained; D: contacted, then dropped; E (the city): referred; F: nothing yet.
BY_DISTRICT = {
    KARMAKSHY: counts(
        4, 4, 3, 3, 2, 1, dropped=1, requested=7 * MILLION, financed_tenge=3 * MILLION
    ),
    CITY: counts(2, 1, 1, 0, 0, 0),
}
ALL = counts(6, 5, 4, 3, 2, 1, dropped=1, requested=7 * MILLION, financed_tenge=3 * MILLION)
BY_PROGRAMME = {
    "bastau_business": counts(3, 3, 3, 2, 2, 1, requested=7 * MILLION, financed_tenge=3 * MILLION),
    "microcredit": counts(2, 1, 1, 1, 0, 0),
}
STEPS = {
    "A": [{"stage": "defended", "on": "2026-04-10", "amount_tenge": 5 * MILLION},
          {"stage": "financed", "on": "2026-05-02", "amount_tenge": 3 * MILLION,
           "funding_source": "regional investment centre"}],
    "B": [{"stage": "defended", "on": "2026-04-11", "amount_tenge": 2 * MILLION}],
    "C": [{"stage": "trained", "on": "2026-04-01"}],
    "D": [{"stage": "contacted", "on": "2026-03-20"},
          {"stage": "dropped", "on": "2026-03-25", "reason": "moved away"}],
    "E": [{"stage": "referred", "on": "2026-03-30"}],
}  # fmt: skip
TARGET = {"campaign": CAMPAIGN, "district": KARMAKSHY, "villages": 40, "residents": None,
          "trained": 100, "financed": 20, "financed_tenge": 60 * MILLION}  # fmt: skip


async def scenario(client, phone, database) -> tuple[int, dict[str, dict]]:
    """The published plan's id and the people by letter, their stages set by the coordinator."""
    plan = await make_plan(client, name=CAMPAIGN)
    plan_id = plan["summary"]["id"]
    assert (await client.post(f"/api/v1/plans/{plan_id}/publish")).status_code == 200
    await enrol_device(client, phone, database, "field-a", "team-1")
    first, second = sorted((m for m in plan["document"]["meetings"] if m["team"] == "team-1"),
                           key=lambda m: (m["date"], m["order"]))[:2]  # fmt: skip
    hubs = [m["hub"]["id"].removeprefix("g-") for m in (first, second)]
    people = {
        "A": person("Айгүл Серікова", "+7 701 000 00 01", hubs[0], "bastau_business"),
        "B": person("Арман Ахметов", "+7 701 000 00 02", hubs[0], "bastau_business"),
        "C": person("Дана Жұмабаева", "+7 701 000 00 03", hubs[0], "microcredit"),
        "D": person("Ерлан Омаров", "+7 701 000 00 04", hubs[1], None),
        "E": person("Гүлнар Қасымова", "+7 701 000 00 05", CITY_HUB, "bastau_business"),
        "F": person("Нұрлан Тұрсынов", "+7 701 000 00 06", CITY_HUB, "microcredit"),
    }
    again = {**people["A"], "id": new_id()}  # the same person in another meeting's list
    rng = random.Random(18)
    sent = []
    for planned, hub, listed in ((first, hubs[0], ["A", "B", "C"]), (second, hubs[1], ["D"])):
        made = make_meeting(rng, hub=hub, plan_id=plan_id, plan_meeting=planned["id"],
                            date=planned["date"])  # fmt: skip
        made["add"]["villages"] = [v["kato"] for v in planned["members"]]
        made["add"]["interested"] = [people[k] for k in listed]
        sent.append(made)
    sent[1]["add"]["interested"].append(again)
    city = make_meeting(rng, hub=CITY_HUB, date="2027-03-15")
    city["add"]["villages"] = [CITY_HUB]
    city["add"]["interested"] = [people["E"], people["F"]]
    results = await push(phone, [*sent, city])
    assert {r["status"] for r in results} == {"applied"}, results
    listed = (await client.get("/api/v1/residents", params={"limit": 50})).json()["residents"]
    by_phone = {r["phone"]: r["id"] for r in listed}
    assert len(listed) == 6  # A, met twice, is one resident
    for letter, steps in STEPS.items():
        resident = by_phone["+7" + people[letter]["phone"].replace(" ", "")[2:]]
        for step in steps:
            response = await client.post(f"/api/v1/residents/{resident}/stage", json=step)
            assert response.status_code == 200, response.text
    saved = await client.put("/api/v1/targets", json=TARGET)
    assert saved.status_code in (200, 201), saved.text
    return plan_id, people


def same(row: dict, expected: dict) -> None:
    """A funnel row (from the API, or an export's cells made numbers) is the one by hand."""
    for key, value in expected.items():
        if key == "conversion":
            for stage, share in value.items():
                assert row["conversion"][stage] == (None if share is None else
                                                    pytest.approx(share, abs=1e-3)), stage  # fmt: skip
        else:
            assert row[key] == value, key


def from_cells(cells: dict) -> dict:
    """An export's funnel row in the API's shape (empty CSV cells are nulls)."""
    number = lambda v: None if v in ("", None) else float(v)  # noqa: E731
    whole = lambda v: v if isinstance(v, int) else int(v)  # noqa: E731
    row = {k: whole(cells[k]) for k in ("interested", *STAGES, "dropped", "requested_tenge",
                                        "financed_tenge")}  # fmt: skip
    return row | {"conversion": {s: number(cells[f"conversion_{s}"]) for s in STAGES}}


async def test_funnel_in_people_and_tenge_matches_the_hand_computed_scenario(
    client, anonymous_phone, database
):
    await scenario(client, anonymous_phone, database)
    got = (await client.get("/api/v1/coverage")).json()
    same(got["funnel"], ALL)
    assert got["funnel"]["key"] == "all"
    districts = {r["key"]: r for r in got["funnel_by_district"]}
    assert set(districts) == set(BY_DISTRICT)
    for key, expected in BY_DISTRICT.items():
        same(districts[key], expected)
    programmes = {r["key"]: r for r in got["funnel_by_programme"]}
    for key, expected in BY_PROGRAMME.items():
        same(programmes[key], expected)
    # D gave no programme: counted apart, never lost
    [apart] = [r for k, r in programmes.items() if k not in BY_PROGRAMME]
    same(apart, counts(1, 1, 0, 0, 0, 0, dropped=1))


async def test_targets_against_actuals_for_the_chosen_campaign(client, anonymous_phone,
                                                               database):  # fmt: skip
    plan_id, _ = await scenario(client, anonymous_phone, database)
    got = (await client.get("/api/v1/coverage", params={"campaign": plan_id})).json()
    [district] = [d for d in got["districts"] if d["key"] == KARMAKSHY]
    [target] = [t for t in got["targets"] if t["district"] == KARMAKSHY]
    assert target["villages"] == {"target": 40, "actual": district["villages_reached"]}
    assert target["residents"]["target"] is None  # not set: shown as "—"
    assert target["residents"]["actual"] == pytest.approx(district["residents_reached"], abs=1)
    assert target["trained"] == {"target": 100, "actual": 3}
    assert target["financed"] == {"target": 20, "actual": 1}
    assert target["financed_tenge"] == {"target": 60 * MILLION, "actual": 3 * MILLION}
    assert not [t for t in got["targets"] if t["district"] == CITY]  # outside the campaign


async def test_exports_carry_the_funnel_and_targets_never_a_name(client, anonymous_phone,
                                                                 database, settings):  # fmt: skip
    plan_id, people = await scenario(client, anonymous_phone, database)
    async with AsyncTestClient(app=create_app(settings)) as boss:
        await sign_in(boss, database, "leadership")
        texts = []
        for level, separator in (("funnel_by_district", ","), ("funnel_by_programme", ";"),
                                 ("funnel", ",")):  # fmt: skip
            response = await boss.get("/api/v1/coverage.csv", params={
                "level": level, "delimiter": "comma" if separator == "," else "semicolon"})  # fmt: skip
            assert response.status_code == 200, response.text
            texts.append(response.text)
            rows = {r["key"]: from_cells(r) for r in csv.DictReader(
                io.StringIO(response.content.decode("utf-8-sig")), delimiter=separator)}  # fmt: skip
            expected = {"funnel_by_district": BY_DISTRICT, "funnel_by_programme": BY_PROGRAMME,
                        "funnel": {"all": ALL}}[level]  # fmt: skip
            for key, values in expected.items():
                same(rows[key], values)
        district_csv = list(csv.DictReader(io.StringIO(texts[0].lstrip("\ufeff"))))
        assert {r["name_ru"] for r in district_csv} == {"Кызылорда Г.А.", "Кармакшинский район"}
        targets = await boss.get("/api/v1/coverage.csv",
                                 params={"level": "targets", "campaign": plan_id})  # fmt: skip
        texts.append(targets.text)
        [row] = list(csv.DictReader(io.StringIO(targets.content.decode("utf-8-sig"))))
        assert (row["district"], row["name_ru"]) == (KARMAKSHY, "Кармакшинский район")
        assert (row["financed_tenge_target"], row["financed_tenge_actual"]) == ("60000000",
                                                                                "3000000")  # fmt: skip
        assert (row["residents_target"], row["trained_actual"]) == ("", "3")

        book = load_workbook(io.BytesIO((await boss.get("/api/v1/coverage.xlsx",
                                                        params={"campaign": plan_id})).content))  # fmt: skip
        assert {"funnel", "funnel_by_district", "funnel_by_programme", "targets"} <= set(
            book.sheetnames)  # fmt: skip
        header, *values = list(book["funnel"].iter_rows(values_only=True))
        [everything] = [dict(zip(header, v, strict=True)) for v in values]
        # the campaign's part only: Karmakshy's people, typed numbers, not text
        same(from_cells(everything), BY_DISTRICT[KARMAKSHY])
        assert isinstance(everything["financed_tenge"], int)
        assert isinstance(everything["conversion_defended"], float)
        header, *values = list(book["targets"].iter_rows(values_only=True))
        [target] = [dict(zip(header, v, strict=True)) for v in values]
        assert target["financed_tenge_target"] == 60 * MILLION
        assert target["financed_tenge_actual"] == 3 * MILLION
        assert target["residents_target"] is None and target["villages_target"] == 40
        column = header.index("financed_tenge_actual") + 1
        assert book["targets"].cell(2, column).number_format == "#,##0"
        cells = " ".join(str(v) for sheet in book for row in sheet.iter_rows(values_only=True)
                         for v in row)  # fmt: skip
        for text in (*texts, cells):
            for who in people.values():
                assert who["name"] not in text
                assert who["phone"][3:] not in text  # 701 000 00 01
                assert who["phone"].replace(" ", "")[2:] not in text  # 7010000001


PROGRAMME_NAMES = {  # kk, ru, en as the dashboard shows them; D named no programme
    "bastau_business": ("Бастау Бизнес", "Бастау Бизнес", "Bastau Business"),
    "microcredit": ("Микронесие", "Микрокредит", "Microcredit"),
    "unspecified": ("Көрсетілмеген", "Не указана", "Not given"),
}


async def test_programme_funnel_exports_carry_the_programmes_names(client, anonymous_phone,
                                                                   database):  # fmt: skip
    await scenario(client, anonymous_phone, database)
    for delimiter, separator in (("comma", ","), ("semicolon", ";")):
        response = await client.get("/api/v1/coverage.csv", params={
            "level": "funnel_by_programme", "delimiter": delimiter})  # fmt: skip
        text = response.content.decode("utf-8")
        assert text.startswith("\ufeff")
        rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff")), delimiter=separator))
        assert rows[0][:4] == ["key", "name_kk", "name_ru", "name_en"]
        assert {r[0]: tuple(r[1:4]) for r in rows[1:]} == PROGRAMME_NAMES
        for row in csv.DictReader(io.StringIO(text.removeprefix("\ufeff")), delimiter=separator):
            if row["key"] in BY_PROGRAMME:
                same(from_cells(row), BY_PROGRAMME[row["key"]])  # the figures kept their columns
    book = load_workbook(io.BytesIO((await client.get("/api/v1/coverage.xlsx")).content))
    header, *values = list(book["funnel_by_programme"].iter_rows(values_only=True))
    assert header[:4] == ("key", "name_kk", "name_ru", "name_en")
    assert {v[0]: tuple(v[1:4]) for v in values} == PROGRAMME_NAMES
