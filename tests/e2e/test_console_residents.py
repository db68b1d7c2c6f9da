"""The console's residents, programme-list imports and targets in Chromium, in Kazakh: a
coordinator imports an operator's list (exact, probable, new and conflicting rows), confirms it
and sees the financed amounts, then undoes it; merges a doubtful pair, splits it back and keeps
another pair apart; records a financing; erases a resident on request; sets a district's
targets. Each new screen passes axe-core with no serious or critical violation, labels every
input and lets the keyboard reach every control."""

from __future__ import annotations

import random
import re
from typing import Any

import pytest

from tests.conftest import LiveServer, add_user
from tests.e2e.console import axe_violations, check_screen, desktop, sign_in
from tests.e2e.field import Coordinator, push_as_phone, sign_in_dashboard
from tests.e2e.test_long_lists import KK as KK_CONSOLE
from tests.sync.phone import make_meeting, new_id

CITY = "431000000"  # the district of the villages below
BAIMURAT, KALGANDARYA, TALDYARAL = "431033100", "431033103", "431033400"
AIGUL = {"name": "Айгүл Сейтқали", "phone": "+77011234567", "village": BAIMURAT}
BAURZHAN = {"name": "Бауыржан Омаров", "village": KALGANDARYA}
ERLAN = {"name": "Ерлан Жақсылықов", "phone": "+77017654321", "village": BAIMURAT}
NBSP = "\u00a0"


@pytest.fixture
def desk(playwright_driver):
    context = desktop(playwright_driver)
    yield context
    context.browser.close()


def push_meeting(server: LiveServer, coordinator: Coordinator, *people: dict, seed: int) -> None:
    """A held meeting of team-1 listing `people` as interested residents, pushed by a phone."""
    meeting = make_meeting(random.Random(seed))
    meeting["add"]["interested"] = [{"id": new_id(), **person} for person in people]
    push_as_phone(server, coordinator, [meeting])


def residents(coordinator: Coordinator, **query: Any) -> dict:
    found = coordinator.http.get("/api/v1/residents", params={"limit": 500, **query})
    assert found.status_code == 200, found.text
    return found.json()


def resident_id(coordinator: Coordinator, name: str) -> int:
    return next(r["id"] for r in residents(coordinator)["residents"] if r["name"] == name)


def funnel_row(coordinator: Coordinator, district: str) -> dict:
    coverage = coordinator.http.get("/api/v1/coverage").json()
    return next((r for r in coverage["funnel_by_district"] if r["key"] == district), {})


PROGRAMME_LIST = "\n".join([
    "name,phone,village,stage,date,amount,funding_source",
    "Айгүл Сейтқали,+7 701 123 45 67,431033100,financed,2026-03-01,3000000,Өңірлік инвестициялық орталық",
    "Бауыржан Омаров,,431033103,trained,2026-02-20,,",
    "Сәуле Нұрланова,+77051112233,431033400,trained,2026-02-21,,",
    "Мұрат Қасымов,+77017654321,431033100,defended,2026-02-25,5000000,",
    "Гүлнар Әбдіқадырова,+77059998877,431033400,financed,2026-03-05,2000000,Ауыл шаруашылығын қолдау қоры",
]) + "\n"  # fmt: skip
BAD_LIST = "name,phone,village,stage,date,amount\nА Б,+77051112233,431033400,trained,2027-13-40,x\n"


def choose_file(page: Any, name: str, text: str) -> None:
    page.set_input_files("input[name=programme_list]", files=[
        {"name": name, "mimeType": "text/csv", "buffer": text.encode()}])  # fmt: skip


def test_a_coordinator_imports_a_programme_list_confirms_and_undoes_it(desk, server, coordinator):
    push_meeting(server, coordinator, AIGUL, BAURZHAN, ERLAN, seed=1)
    assert residents(coordinator)["total"] == 3
    page = desk.new_page()
    sign_in(page, server, "coord", "#/imports")
    page.wait_for_selector("#programme-import")
    check_screen(page, "imports")

    # a bad file is refused whole, each problem with its line and column
    choose_file(page, "bad.csv", BAD_LIST)
    page.click("#preview-import")
    problems = page.wait_for_selector("#import-problems")
    assert "2" in problems.text_content() and page.locator("#import-problems li").count() >= 1
    # each in Kazakh, its column too (they were the server's English)
    lines = page.eval_on_selector_all("#import-problems li", "els => els.map(e => e.textContent)")
    date = KK_CONSOLE["con.line.bad_date"].replace("{value}", "2027-13-40")
    assert any(KK_CONSOLE["con.column.date"] in line and date in line for line in lines), lines
    assert not [line for line in lines if re.search(r"[A-Za-z]{2,}", line)], lines
    assert residents(coordinator)["total"] == 3

    choose_file(page, "bastau.csv", PROGRAMME_LIST)
    page.select_option("select[name=programme]", "bastau_business")
    page.click("#preview-import")
    page.wait_for_selector("#import-rows")
    shown = {m: int(page.text_content(f"#import-counts [data-match={m}] b"))
             for m in ("exact", "probable", "new", "conflicting")}  # fmt: skip
    assert shown == {"exact": 1, "probable": 1, "new": 2, "conflicting": 1}
    assert page.get_attribute("#import-rows tr[data-line='2']", "data-match") == "exact"
    assert AIGUL["name"] in page.text_content("#import-rows tr[data-line='2']")
    assert page.get_attribute("#import-rows tr[data-line='3']", "data-match") == "probable"
    assert page.locator("#import-rows input[name=separate]").count() == 1
    assert f"3{NBSP}000{NBSP}000" in page.text_content("#import-rows tr[data-line='2']")
    assert "same phone" not in page.text_content("#import-rows")  # the server's words, in Kazakh
    assert axe_violations(page) == []
    assert residents(coordinator)["total"] == 3  # a preview changes nothing
    before = funnel_row(coordinator, CITY)

    # Бауыржан of the list is told apart from the one met: a new person
    page.check("#import-rows tr[data-line='3'] input[name=separate]")
    page.click("#confirm-import")
    page.wait_for_selector("#import-done")
    page.wait_for_selector("#imports tr[data-status=applied]")
    # 2 new, 1 told apart, 1 conflicting (kept apart, proposed as a doubtful match)
    assert residents(coordinator)["total"] == 7
    assert len(coordinator.http.get("/api/v1/residents/candidates").json()["candidates"]) >= 1
    after = funnel_row(coordinator, CITY)
    assert after["financed_tenge"] == before.get("financed_tenge", 0) + 5_000_000
    assert after["financed"] == before.get("financed", 0) + 2
    # leadership's dashboard shows the financed amounts in its funnel
    add_user(server.database, "boss", "leadership")
    board = desk.browser.new_context(viewport={"width": 1280, "height": 800}).new_page()
    sign_in_dashboard(board, server, "boss", "#campaign=all")  # a list is in no campaign
    total = coordinator.http.get("/api/v1/coverage").json()["funnel"]["financed_tenge"]
    assert total >= 5_000_000
    shown = board.text_content("#funnel table.funnel tr.total td:nth-of-type(6) small.tenge")
    assert " ".join(shown.replace(NBSP, " ").replace("\u202f", " ").split()) == (
        f"{total:,}".replace(",", " ") + " ₸")  # fmt: skip
    board.context.close()

    # the financed amount on the resident's page
    aigul = resident_id(coordinator, AIGUL["name"])
    page.goto(f"{server.url}/app/console.html#/residents/{aigul}")
    page.wait_for_selector("#history tr[data-stage=financed]")
    assert f"3{NBSP}000{NBSP}000 теңге" in page.text_content("#resident-summary")

    # undo, after a confirmation: the counts return
    page.goto(f"{server.url}/app/console.html#/imports")
    page.click("#imports tr[data-status=applied] button[data-action=undo]")
    page.wait_for_selector("dialog#undo-dialog[open]")
    assert axe_violations(page) == []
    page.click("#undo-dialog-confirm")
    page.wait_for_selector("dialog#undo-dialog", state="detached")
    page.wait_for_selector("#imports tr[data-status=undone]")
    assert residents(coordinator)["total"] == 3
    undone = funnel_row(coordinator, CITY)
    assert undone.get("financed_tenge", 0) == before.get("financed_tenge", 0)
    assert undone.get("financed", 0) == before.get("financed", 0)


def test_an_import_whose_residents_changed_since_cannot_be_undone(desk, server, coordinator):
    push_meeting(server, coordinator, AIGUL, seed=2)
    listed = coordinator.http.post(
        "/api/v1/residents/imports",
        params={"dry_run": "false", "filename": "bastau.csv", "programme": "bastau_business"},
        content=PROGRAMME_LIST.encode(), headers={"content-type": "text/csv"},
    )  # fmt: skip
    assert listed.status_code == 201, listed.text
    saule = resident_id(coordinator, "Сәуле Нұрланова")  # a resident the import created
    changed = coordinator.http.post(f"/api/v1/residents/{saule}/stage",
                                    json={"stage": "dropped", "reason": "moved away"})  # fmt: skip
    assert changed.status_code == 200, changed.text
    page = desk.new_page()
    sign_in(page, server, "coord", "#/imports")
    page.click("#imports tr[data-status=applied] button[data-action=undo]")
    page.click("#undo-dialog-confirm")
    alert = page.wait_for_selector("#undo-dialog-error .danger-box")
    assert "қайтаруға болмайды" in alert.text_content()  # the Kazakh text, not the server's
    assert page.is_visible("dialog#undo-dialog[open]")
    assert axe_violations(page) == []


def test_a_coordinator_merges_splits_records_a_financing_and_erases(desk, server, coordinator):
    dauren = {"name": "Дәурен Әлиев", "village": KALGANDARYA}
    nurlan = {"name": "Нұрлан Бекұлы", "village": TALDYARAL}
    push_meeting(server, coordinator, AIGUL, dauren, nurlan, seed=3)
    push_meeting(server, coordinator, {**dauren, "phone": "+77021234567"}, nurlan, seed=4)
    assert residents(coordinator)["total"] == 5
    pairs = coordinator.http.get("/api/v1/residents/candidates").json()["candidates"]
    assert {p["a"]["name"] for p in pairs} == {dauren["name"], nurlan["name"]}
    page = desk.new_page()
    sign_in(page, server, "coord", "#/residents")
    page.wait_for_selector("#residents tbody tr")
    assert page.locator("#candidates [data-candidate]").count() == 2
    check_screen(page, "residents")
    page.fill("input[name=q]", "Айгүл")
    page.wait_for_function("() => document.querySelectorAll('#residents tbody tr').length === 1")

    # one pair is one person (merged by the click), the other two people
    by_name = {p["a"]["name"]: p for p in pairs}
    merge, apart = by_name[dauren["name"]], by_name[nurlan["name"]]
    page.click(f"#candidates [data-candidate='{merge['id']}'] button[data-action=merge]")
    page.wait_for_selector(f"#candidates [data-candidate='{merge['id']}']", state="detached")
    page.click(f"#candidates [data-candidate='{apart['id']}'] button[data-action=apart]")
    page.wait_for_selector("#candidates [data-candidate]", state="detached")
    assert coordinator.http.get("/api/v1/residents/candidates").json()["candidates"] == []
    assert residents(coordinator)["total"] == 4
    into, other = merge["a"]["id"], merge["b"]["id"]

    # the merged resident's page: both meetings, the merge in the history; split back out
    page.goto(f"{server.url}/app/console.html#/residents/{into}")
    page.wait_for_selector(f"#merged-from li[data-merged='{other}']")
    assert page.locator("#sightings tbody tr").count() == 2
    assert page.locator("#history tr[data-kind=merged]").count() >= 1
    check_screen(page, "resident")
    page.click(f"#merged-from li[data-merged='{other}'] button[data-action=split]")
    page.wait_for_selector("#merged-from", state="detached")
    assert page.locator("#sightings tbody tr").count() == 1
    assert residents(coordinator)["total"] == 5
    assert len(coordinator.http.get(f"/api/v1/residents/{other}").json()["sightings"]) == 1

    # record a financing on Айгүл's page: the amount in tenge, with spaces
    aigul = resident_id(coordinator, AIGUL["name"])
    page.goto(f"{server.url}/app/console.html#/residents/{aigul}")
    page.wait_for_selector("#stage-form")
    page.select_option("select[name=stage]", "financed")
    # a date in 2031 is stopped on the page, in Kazakh, before the server is asked
    page.fill("input[name=on]", "2031-03-02")
    page.click("#stage-form button[type=submit]")
    page.wait_for_function("() => document.querySelector('#stage-form .error')?.textContent")
    said = page.text_content("#stage-form .error")
    assert said.startswith(KK_CONSOLE["con.stage_date_range"].split("{from}")[0]), said
    assert "2000 ж." in said
    page.fill("input[name=on]", "2026-03-02")
    page.fill("input[name=amount_tenge]", "3000000")
    page.fill("input[name=funding_source]", "Өңірлік инвестициялық орталық")
    page.click("#stage-form button[type=submit]")
    page.wait_for_selector("#history tr[data-stage=financed]")
    row = page.text_content("#history tr[data-stage=financed]")
    assert f"3{NBSP}000{NBSP}000 теңге" in row and "2026 ж. 2 наурыз" in row
    detail = coordinator.http.get(f"/api/v1/residents/{aigul}").json()
    assert (detail["stage"], detail["financed_tenge"]) == ("financed", 3_000_000)

    # erase on request: a confirmation that says what goes and what stays
    page.click("#erase")
    page.wait_for_selector("dialog#erase-dialog[open]")
    assert axe_violations(page) == []
    page.click("#erase-dialog-confirm")
    page.wait_for_selector("#erase", state="detached")
    page.wait_for_selector("dialog#erase-dialog", state="detached")  # closed once redrawn
    body = page.text_content("body")
    assert AIGUL["name"] not in body and "701" not in page.text_content("#resident-summary")
    assert f"#{aigul}" in page.text_content("#resident-name")
    erased = coordinator.http.get(f"/api/v1/residents/{aigul}").json()
    assert (erased["name"], erased["phone"], erased["erased"]) == (None, None, True)
    assert erased["financed_tenge"] == 3_000_000  # the counts stay


def test_a_coordinator_sets_a_districts_targets(desk, server, coordinator):
    campaign = coordinator.http.get("/api/v1/plans").json()[0]["campaign"]
    page = desk.new_page()
    sign_in(page, server, "coord", "#/targets")
    row = page.wait_for_selector("#targets tr[data-district='434600000']")
    check_screen(page, "targets")
    for name, value in (("villages", "40"), ("residents", "1200"), ("trained", "100"),
                        ("financed", "20"), ("financed_tenge", "60000000")):  # fmt: skip
        row.query_selector(f"input[name={name}]").fill(value)
    row.query_selector("button[data-action=save]").click()
    page.wait_for_function(
        "() => document.querySelector(\"#targets tr[data-district='434600000'] [role=status]\")"
        ".textContent.length > 0"
    )
    saved = coordinator.http.get("/api/v1/targets", params={"campaign": campaign}).json()
    mine = next(t for t in saved if t["district"] == "434600000")
    assert mine == {"campaign": campaign, "district": "434600000", "villages": 40,
                    "residents": 1200, "trained": 100, "financed": 20,
                    "financed_tenge": 60_000_000}  # fmt: skip
    page.reload()
    page.wait_for_selector("#targets tr[data-district='434600000']")
    assert page.input_value(
        "#targets tr[data-district='434600000'] input[name=financed_tenge]"
    ) == (f"60{NBSP}000{NBSP}000")
    # an amount that is no whole number of tenge is refused, and the saved target stays
    amount = "#targets tr[data-district='434600000'] input[name=financed_tenge]"
    status = "#targets tr[data-district='434600000'] [role=status]"
    whole = KK_CONSOLE["con.target_whole"].replace(
        "{what}", KK_CONSOLE["con.target.financed_tenge"]
    )
    for typed in ("сто миллионов", "1,500,000.50", "-500000"):
        page.fill(amount, typed)
        page.click("#targets tr[data-district='434600000'] button[data-action=save]")
        page.wait_for_function(
            "([at, text]) => document.querySelector(at).textContent === text", arg=[status, whole]
        )
        assert page.input_value(amount) == typed  # as typed, not its digits run together
        page.evaluate("(at) => { document.querySelector(at).textContent = ''; }", status)
    again = coordinator.http.get("/api/v1/targets", params={"campaign": campaign}).json()
    assert next(t for t in again if t["district"] == "434600000") == mine


def test_amounts_are_read_as_people_write_whole_tenge(desk, server, coordinator):
    page = desk.new_page()
    sign_in(page, server, "coord", "#/targets")
    read = page.evaluate("""async () => {
      const { moneyValue } = await import('./js/console/common.js');
      const texts = ['', '1500000', '1 500 000', '1\\u00a0500\\u00a0000', '1,500,000', '0',
        '1,500,000.50', '1,5', '-500000', 'abc', '15 00', '1.500.000'];
      return texts.map((value) => moneyValue({ value }) ?? (moneyValue({ value }) === null ? 'none' : 'refused'));
    }""")
    assert read == ["none", 1_500_000, 1_500_000, 1_500_000, 1_500_000, 0,
                    "refused", "refused", "refused", "refused", "refused", "refused"]  # fmt: skip
