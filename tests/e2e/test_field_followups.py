"""Follow-up on the phones (#18, item 4): the team's residents to call, kept on the phone so
that the list works offline (overdue first, said in words, with a tap-to-call link); a call
logged offline in Kazakh moves a resident to "trained" at once, survives a reload, and once
synced is in the resident's history on the server and in the funnel."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from outreach.domain.name_order import KAZAKH_ALPHABET, name_order
from tests.api.test_resident_order import KAZAKH_ORDER
from tests.conftest import add_user
from tests.e2e.console import axe_violations
from tests.e2e.field import KK, enrol, launch, sign_in_dashboard
from tests.e2e.test_layout import OVERFLOW, SMALL_TARGETS

I18N = Path(__file__).resolve().parents[2] / "static" / "pwa" / "i18n"
KARMAKSHY = "434600000"
PERSON = "Айгүл Серікова"
ALMATY_TODAY = "new Date().toLocaleDateString('sv', {timeZone: 'Asia/Almaty'})"
OVERDUE_CARD = "#followup-overdue li[data-item]"
LETTERS = [
    *KAZAKH_ALPHABET,
    *KAZAKH_ALPHABET.lower(),
    *"AZaz",
    "Сейтқали Айгүл",
    "И\u0306ршы",
    "е\u0308",
]  # letters typed as a base and a combining mark
NAMES = [n for n in KAZAKH_ORDER if n != "сәуле"]  # no namesakes: the phone has no ids to tell
# the app's own sync (the module the page runs), again while another run holds the lock
SYNC_NOW = """async () => {
  const sync = await import('./js/sync.js');
  for (let i = 0; i < 100; i += 1) {
    const ran = await sync.syncNow('button');
    if (ran !== 'busy') return ran;
    await new Promise((done) => setTimeout(done, 200));
  }
  return 'busy'; }"""


@pytest.fixture
def kk() -> dict[str, str]:
    return json.loads((I18N / "kk.json").read_text(encoding="utf-8"))


@pytest.fixture
def almaty_phone(playwright_driver, profile: Path):
    """The field phone of tests/e2e/field.py, with its clock in Kazakhstan's time zone (whose
    date is not UTC's for five hours of every evening)."""
    context = launch(playwright_driver, profile, timezone_id="Asia/Almaty")
    try:
        yield context
    finally:
        context.close()


def log_meeting_with_resident(page: Any) -> str:
    """Log the first planned meeting with one interested resident from one of its villages
    (as tests/e2e/field.py's log_meeting); the village's name as the form showed it."""
    page.goto(page.url.split("#")[0] + "#/plan")
    page.click(f"a.button:has-text('{KK['log']}')")
    page.wait_for_selector("form input[name='attendance.total']")
    page.fill("input[name='attendance.total']", "24")
    page.check("input[name=topic][value=bastau_business]")
    page.click("button:has-text('Адам қосу')")
    page.fill("[data-person] input[name='p.name']", PERSON)
    page.fill("[data-person] input[name='p.phone']", "8 701 555 44 33")
    page.select_option("[data-person] select[name='p.village']", index=1)
    village = page.eval_on_selector(
        "[data-person] select[name='p.village']", "el => el.selectedOptions[0].textContent"
    )
    page.click("form button[type=submit]")
    page.wait_for_selector("#sync-summary")
    return str(village)


def sync_and_wait(page: Any, server: Any) -> None:
    """A sync run that starts now (not one already under way) and ends with nothing waiting,
    as the outbox screen's button starts it."""
    page.goto(server.url + "/app/#/outbox")
    page.wait_for_selector("#sync-summary")
    ran = page.evaluate(SYNC_NOW)
    assert ran == "ok", ran
    page.wait_for_function(
        f"() => document.querySelector('#sync-summary')?.textContent === '{KK['all_sent']}'"
    )


def long_date_kk(kk: dict[str, str], day: date) -> str:
    weekday = (day.weekday() + 1) % 7  # JavaScript's getDay(): Sunday is 0
    return kk["date.long"].format(
        day=day.day, month=kk[f"month.{day.month}"], weekday=kk[f"weekday.{weekday}"]
    )


def assert_fits_and_passes_axe(page: Any) -> None:
    found = page.evaluate(OVERFLOW)
    assert found["page"] <= 360 and not found["wide"], found
    assert page.evaluate(SMALL_TARGETS) == []
    assert axe_violations(page) == []


def trained_on_dashboard(board) -> str:
    """The dashboard funnel's total of people trained (or beyond), as shown."""
    board.wait_for_selector("#funnel table.funnel tr.total")
    return board.evaluate(
        "document.querySelector('#funnel table.funnel tr.total td:nth-of-type(4)')"
        ".firstChild.textContent.trim()"
    )


def test_an_overdue_resident_is_called_offline_and_the_funnel_moves(
    almaty_phone, server, coordinator, kk
):
    phone = almaty_phone
    page = phone.new_page()
    enrol(page, server, coordinator.code())
    village = log_meeting_with_resident(page)
    sync_and_wait(page, server)
    found = coordinator.http.get("/api/v1/residents", params={"q": "Айгүл"}).json()
    [resident] = found["residents"]
    assert resident["phone"] == "+77015554433" and resident["stage"] == "new"
    funnel = coordinator.http.get("/api/v1/coverage").json()["funnel_by_district"]
    assert not [row for row in funnel if row["trained"]]
    add_user(server.database, "boss", "leadership")
    board = phone.new_page()
    sign_in_dashboard(board, server, "boss")
    assert trained_on_dashboard(board) == "0"

    # the coordinator asks for a call yesterday: the resident is overdue
    today = date.fromisoformat(page.evaluate(ALMATY_TODAY))
    yesterday = today - timedelta(days=1)
    asked = coordinator.http.post(
        f"/api/v1/residents/{resident['id']}/stage", json={"next_contact": yesterday.isoformat()}
    )
    assert asked.status_code == 200, asked.text
    sync_and_wait(page, server)  # the phone fetches its follow-up list after each sync
    page.wait_for_selector("#followup-count:not([hidden])")
    assert page.text_content("#followup-count") == "1"

    # days without a signal: the list comes from the phone alone
    phone.set_offline(True)
    page.evaluate("location.hash = '#/followup'")
    page.reload()
    page.wait_for_selector(OVERDUE_CARD)
    card = page.locator(OVERDUE_CARD)
    assert card.locator("h3").text_content() == PERSON
    assert kk["followup.overdue"] in card.locator(".flag").text_content()  # in words
    assert card.locator("a[href^='tel:']").get_attribute("href") == "tel:+77015554433"
    text = card.text_content() or ""
    assert kk["stage.new"] in text and village in text
    assert long_date_kk(kk, yesterday) in text
    assert page.text_content("#followup-overdue-title") == kk["followup.overdue_title"].format(n=1)
    assert page.text_content("#followup-count") == "1"
    tab = page.get_attribute(".tabs a[data-tab=followup]", "aria-label")  # what the 1 counts
    assert tab == f"{kk['nav.followup']}: {kk['followup.overdue_count'].format(n=1)}"
    assert_fits_and_passes_axe(page)

    # a call, logged in Kazakh: trained, to be called again in two weeks
    card.locator("h3 a").click()
    page.wait_for_selector("form select[name=status]")
    assert page.input_value("input[name=on]") == today.isoformat()  # the phone's day, not UTC's
    assert page.is_checked("input[name=via][value=call]")
    assert page.is_hidden("input[name=amount_tenge]") and page.is_hidden("textarea[name=reason]")
    page.select_option("select[name=status]", "financed")  # asks for the amount and source
    assert page.is_visible("input[name=amount_tenge]") and page.is_visible(
        "input[name=funding_source]"
    )
    assert page.is_visible(f"label:has-text('{kk['followup.amount_financed']}')")
    page.select_option("select[name=status]", "trained")
    assert page.is_hidden("input[name=amount_tenge]")
    labels = page.eval_on_selector_all(
        "select[name=status] option", "os => os.map(o => o.textContent)"
    )
    assert kk["stage.trained"] in labels and kk["stage.dropped"] in labels
    page.fill("textarea[name=note]", "Оқуды бітірді, жобасын жазып жатыр")
    page.fill("input[name=next_contact]", yesterday.isoformat())  # before the call: stopped
    page.click("form button[type=submit]")
    page.wait_for_selector("input[name=next_contact][aria-invalid=true]")
    assert kk["followup.error.next_before"] in page.text_content(".errors")
    assert_fits_and_passes_axe(page)
    page.fill("input[name=on]", "1970-01-01")  # a phone whose clock was reset: stopped too
    page.click("form button[type=submit]")
    page.wait_for_selector("input[name=on][aria-invalid=true]")
    assert kk["followup.error.early"] in page.text_content(".errors")
    page.fill("input[name=on]", today.isoformat())
    page.fill("input[name=next_contact]", (today + timedelta(days=14)).isoformat())
    page.dblclick("form button[type=submit]")  # a tired double tap logs one call

    # the list shows it at once: trained, no longer overdue; the call waits in the outbox
    page.wait_for_selector("#followup-later li[data-item]")
    assert page.locator(OVERDUE_CARD).count() == 0
    assert kk["stage.trained"] in page.text_content("#followup-later")
    assert page.is_hidden("#followup-count")
    assert page.text_content("#pending-count") == "1"
    page.reload()  # ... and still after a reload, offline
    page.wait_for_selector("#followup-later li[data-item]")
    assert kk["stage.trained"] in page.text_content("#followup-later")
    assert page.is_hidden("#followup-count") and page.text_content("#pending-count") == "1"

    phone.set_offline(False)
    sync_and_wait(page, server)
    assert page.is_hidden("#pending-count")
    detail = coordinator.http.get(f"/api/v1/residents/{resident['id']}").json()
    assert detail["stage"] == "trained"
    assert [h["via"] for h in detail["history"] if h["kind"] == "contact"] == [
        "coordinator",
        "call",
    ]
    assert detail["next_contact"] == (today + timedelta(days=14)).isoformat()
    calls = [line for line in detail["history"] if line["via"] == "call"]
    assert [(c["stage"], c["on"], c["note"]) for c in calls] == [
        ("trained", today.isoformat(), "Оқуды бітірді, жобасын жазып жатыр")
    ]
    funnel = coordinator.http.get("/api/v1/coverage").json()["funnel_by_district"]
    assert [(row["key"], row["trained"]) for row in funnel if row["trained"]] == [(KARMAKSHY, 1)]
    board.reload()  # leadership's dashboard: the funnel moved
    board.wait_for_selector("#funnel")
    assert trained_on_dashboard(board) == "1"
    # one followup record, its id the resident's item id, with the fields docs/followup.md lists
    [(record_id, doc)] = coordinator.rows(
        "SELECT id, doc FROM sync_records WHERE kind = 'followup'"
    )
    followup = json.loads(doc)
    [sighting] = detail["sightings"]
    assert record_id == sighting["item_id"] and followup["meeting_id"] == sighting["meeting_id"]
    assert (followup["status"], followup["via"], followup["on"]) == ("trained", "call", str(today))
    assert followup["history"][-1]["via"] == "call"
    sent = f"SELECT count(*) FROM sync_mutations WHERE record_id = '{record_id}'"
    assert coordinator.rows(sent) == [(1,)]  # the phone's call, once
    # the list the phone fetched after sending says so too
    page.goto(server.url + "/app/#/followup")
    page.wait_for_selector("#followup-later li[data-item]")
    assert kk["stage.trained"] in page.text_content("#followup-later")


def test_the_follow_up_list_keeps_the_phones_own_day_and_order(almaty_phone, server):
    page = almaty_phone.new_page()
    page.goto(server.url + "/app/")
    result = page.evaluate(
        """async () => {
      const f = await import('./js/followups.js');
      const r = (item_id, stage, next_contact, name) => ({ item_id, stage, next_contact, name });
      const list = [r('a', 'new', null, 'Ә'), r('b', 'contacted', '2027-03-09', 'Б'),
                    r('c', 'new', '2027-03-01', 'В'), r('d', 'referred', '2027-03-01', 'А'),
                    r('e', 'trained', '2027-03-20', 'Г')];
      const order = (items) => f.ordered(items, '2027-03-10').map((x) => [x.item_id, x.overdue]);
      return {
        // 20:30 UTC on 1 March is already 2 March in Kyzylorda
        today: f.localToday(new Date('2027-03-01T20:30:00Z')),
        order: order(list),
        trained: order(f.applyLog(list, 'b', { status: 'trained', on: '2027-03-10', next_contact: '2027-03-24' })),
        stage: f.applyLog(list, 'e', { status: 'contacted' }).find((x) => x.item_id === 'e').stage,
        left: ['financed', 'dropped'].map((status) => f.applyLog(list, 'c', { status }).length),
        keys: LETTERS.map(f.nameOrder),
        names: f.ordered([...NAMES].reverse().map((name, n) => r(String(n), 'new', null, name)),
                         '2027-03-10').map((x) => x.name),
      };
    }""".replace("LETTERS", json.dumps(LETTERS)).replace("NAMES", json.dumps(NAMES))
    )
    assert result["today"] == "2027-03-02"
    assert result["order"] == [["d", True], ["c", True], ["b", True], ["e", False], ["a", False]]
    assert result["trained"] == [["d", True], ["c", True], ["e", False], ["b", False], ["a", False]]
    assert result["stage"] == "trained"  # the furthest stage reached stays, as on the server
    assert result["left"] == [4, 4]  # financed or dropped: off the list
    # names in the Kazakh alphabet's order, by the server's very key (Chromium's Intl.Collator
    # knows no Kazakh), whatever their case
    assert result["keys"] == [name_order(c) for c in LETTERS]
    assert result["names"] == NAMES
