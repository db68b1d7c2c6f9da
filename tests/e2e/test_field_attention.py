"""What the server would refuse, the phone stops before saving, field by field and in the
user's language; what the server refuses anyway needs attention (never "all sent") until it
is corrected, and the corrected record reaches the server once, even when the browser dies
while sending it."""

from __future__ import annotations

import json
import re
import time
from pathlib import Path

import pytest

from tests.e2e.field import KK, enrol, launch, log_meeting, wait_all_sent

I18N = Path(__file__).resolve().parents[2] / "static" / "pwa" / "i18n"
LATIN_WORD = re.compile(r"[A-Za-z]{2,}")
PLANNED = "a.button[href*='#/meeting?plan=']"
# value past each limit the form can reach, and the input that must be marked
OVER = {
    "input[name='attendance.total']": "100001",
    "input[name=topics_free]": "т" * 501,
    "textarea[name=questions_free]": "с" * 2001,
    "textarea[name=notes]": "ж" * 4001,
    "input[name='referral.microcredit']": "10001",
    "[data-person] input[name='p.name']": "А" * 201,
    "[data-person] input[name='p.interest']": "қ" * 501,
}


def texts(lang: str) -> dict[str, str]:
    return json.loads((I18N / f"{lang}.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_a_record_past_the_servers_limits_is_stopped_with_each_field_marked(
    phone, server, coordinator, lang
):
    page = phone.new_page()
    enrol(page, server, coordinator.code())
    page.goto(server.url + "/app/#/settings")
    page.select_option("#language", lang)
    page.wait_for_function(f"() => document.documentElement.lang === '{lang}'")
    page.goto(server.url + "/app/#/plan")
    page.click(PLANNED)
    page.wait_for_selector("form input[name='attendance.total']")
    page.click("form fieldset button.secondary >> nth=0")  # add a person
    for selector, value in OVER.items():
        page.fill(selector, value)
    page.click("form button[type=submit]")
    page.wait_for_selector(".errors:not([hidden]) li")
    marked = page.eval_on_selector_all("[aria-invalid=true]", "els => els.map(e => e.name)")
    assert sorted(marked) == sorted(["attendance.total", "topics_free", "questions_free", "notes",
                                     "referral.microcredit", "p.name", "p.interest"])  # fmt: skip
    problems = page.eval_on_selector_all(".errors li", "els => els.map(e => e.textContent)")
    catalogue = texts(lang)
    notes = next(p for p in problems if p.startswith(catalogue["meeting.notes"]))
    assert "4000" in notes and "4001" in notes, notes  # the limit, and how far over it is
    assert len(problems) == len(OVER), problems
    if lang != "en":
        assert not [p for p in problems if LATIN_WORD.search(p)], problems
    assert page.input_value("textarea[name=notes]") == "ж" * 4001  # kept, not cut
    assert page.evaluate("navigator.serviceWorker.controller !== null")
    assert page.is_hidden("#pending-count")  # nothing was saved
    assert coordinator.rows("SELECT count(*) FROM sync_records") == [(0,)]


def test_a_tab_in_a_name_and_a_negative_referral_are_stopped_on_the_phone(
    phone, server, coordinator
):
    """A tab pasted into a name was caught only by the server (refused, no field marked, and
    refused again when saved unchanged); a negative referral count vanished without a word."""
    kk = texts("kk")
    page = phone.new_page()
    enrol(page, server, coordinator.code())
    page.click(PLANNED)
    page.wait_for_selector("form input[name='attendance.total']")
    page.fill("input[name='attendance.total']", "20")
    page.fill("input[name='referral.microcredit']", "-3")
    page.click("form fieldset button.secondary >> nth=0")  # add a person
    page.fill("[data-person] input[name='p.name']", "Айгүл\tСерікова")
    page.fill("textarea[name=notes]", "бірінші\tжол\nекінші жол")  # free text may
    page.click("form button[type=submit]")
    page.wait_for_selector(".errors:not([hidden]) li")
    marked = page.eval_on_selector_all("[aria-invalid=true]", "els => els.map(e => e.name)")
    assert sorted(marked) == ["p.name", "referral.microcredit"]
    problems = page.eval_on_selector_all(".errors li", "els => els.map(e => e.textContent)")
    assert any(kk["error.control"] in p for p in problems), problems
    assert any(p.startswith(kk["programme.microcredit"]) for p in problems), problems
    assert page.is_hidden("#pending-count")  # nothing was saved
    page.fill("[data-person] input[name='p.name']", "Айгүл Серікова")
    page.fill("input[name='referral.microcredit']", "3")
    page.click("form button[type=submit]")
    wait_all_sent(page)
    [(doc,)] = coordinator.rows("SELECT doc FROM sync_records")
    meeting = json.loads(doc)
    assert meeting["notes"] == "бірінші\tжол\nекінші жол"
    assert meeting["referrals"][0]["count"] == 3


def test_a_wrong_enrolment_code_is_refused_in_kazakh(phone, server):
    page = phone.new_page()
    page.goto(server.url + "/app/")
    page.fill("input[name=code]", "ABCD-EFGH-JKLM")
    page.click("form button[type=submit]")
    page.wait_for_function("() => document.querySelector('p.error[role=alert]')?.textContent")
    message = page.text_content("p.error[role=alert]")
    assert texts("kk")["errcode.invalid_enrolment_code"] in message
    assert not LATIN_WORD.search(message), message


def test_a_refused_meeting_needs_attention_and_its_correction_arrives_once(
    playwright_driver, profile, server, coordinator
):
    kk = texts("kk")
    context = launch(playwright_driver, profile)
    page = context.new_page()
    enrol(page, server, coordinator.code())
    # the phone holds a plan the server never published (restored from another server's
    # phone, say): what it logs against it is refused, and only the server can tell
    page.evaluate("""async () => {
      const db = await import('./js/db.js');
      const plan = await db.meta('plan');
      for (const each of plan.body) each.plan_id = 999999;
      await db.setMeta('plan', plan);
    }""")
    page.reload()
    page.wait_for_selector("section.day")
    context.set_offline(True)
    log_meeting(page, total=31)
    log_meeting(page, total=40)
    context.set_offline(False)
    page.click("button:has-text('Қазір синхрондау')")
    page.wait_for_function("() => document.querySelectorAll('#attention li[data-record]').length === 2",
                           timeout=30_000)  # fmt: skip
    badge = page.text_content("#sync-badge")
    assert badge != KK["all_sent"] and "2" in badge, badge
    assert page.text_content("#pending-count") == "2"  # the header's count holds them too
    assert page.text_content("#sync-summary") != KK["all_sent"]
    assert kk["errcode.unknown_plan_meeting"] in page.text_content("#attention")
    assert coordinator.rows("SELECT count(*) FROM sync_records") == [(0,)]
    # one is given up: asked first, a "no" keeps it
    page.once("dialog", lambda dialog: dialog.dismiss())
    page.click("#attention li[data-record] >> nth=1 >> button.danger")
    assert page.locator("#attention li[data-record]").count() == 2
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("#attention li[data-record] >> nth=1 >> button.danger")
    page.wait_for_function(
        "() => document.querySelectorAll('#attention li[data-record]').length === 1"
    )
    assert page.text_content("#pending-count") == "1"
    page.click("#attention a.button")
    page.wait_for_selector("#refused")
    assert not LATIN_WORD.search(page.text_content("#refused"))
    assert page.input_value("input[name='attendance.total']") == "31"  # nothing was lost
    page.fill("input[name='attendance.total']", "32")

    # the correction is sent; the browser dies after the server applied it, before the answer
    sent: list[bool] = []

    def hold(route):
        route.fetch()  # reaches the server and is applied
        sent.append(True)  # ... but the phone never hears back

    page.route("**/api/v1/sync/push", hold)
    page.click("form button[type=submit]")
    deadline = time.monotonic() + 30
    while not sent and time.monotonic() < deadline:
        page.wait_for_timeout(100)
    assert sent
    context.close()
    assert coordinator.rows("SELECT count(*) FROM sync_records WHERE kind = 'meeting'") == [(1,)]

    context = launch(playwright_driver, profile)
    page = context.new_page()
    page.goto(server.url + "/app/#/outbox")
    wait_all_sent(page)
    assert page.is_hidden("#attention")
    context.close()
    [(doc,)] = coordinator.rows("SELECT doc FROM sync_records WHERE kind = 'meeting'")
    meeting = json.loads(doc)
    assert meeting["attendance"]["total"] == 32 and "plan_meeting" not in meeting
    assert meeting["topics"] == ["bastau_business"]  # what the refused change carried, too
