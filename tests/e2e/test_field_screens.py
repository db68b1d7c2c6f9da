"""The field app's small promises at 360 x 640: the plan a week to a page with this week first,
no "at least 0 residents" and no "0 km" for distances nobody knows, "≈" for estimated ones; the meeting form opens at
its top; the notes count down and are never cut; the header says when the phone is offline."""

from __future__ import annotations

import re

from tests.e2e.field import enrol, launch

PLANNED = "a.button[href*='#/meeting?plan=']"
WEEK_DATES = """() => [...document.querySelectorAll('section.day')].map((s) => s.dataset.date)"""
# the team's plan (one week of days) repeated over the next two weeks, as the phone keeps it
THREE_WEEKS = """async () => {
  const db = await import('./js/db.js');
  const plan = await db.meta('plan');
  const later = (iso, n) => new Date(Date.parse(`${iso}T00:00Z`) + n * 864e5).toISOString().slice(0, 10);
  for (const p of plan.body) p.days = [0, 7, 14].flatMap((n) => p.days.map((d) => ({ ...d, date: later(d.date, n) })));
  await db.setMeta('plan', plan);
}"""


def test_plan_is_a_week_to_a_page_from_this_week(phone, server, coordinator):
    phone.clock.set_fixed_time("2027-03-10T09:00:00")  # a Wednesday of the plan's second week
    page = phone.new_page()
    enrol(page, server, coordinator.code())
    page.evaluate(THREE_WEEKS)
    page.reload()
    page.wait_for_selector("#week")
    assert page.text_content("#week") == "Осы апта: 8 наурыз – 14 наурыз"
    assert set(page.evaluate(WEEK_DATES)) <= {f"2027-03-{d:02}" for d in range(8, 15)}
    page.click("a[rel=prev] >> nth=0")
    page.wait_for_selector("#week:has-text('Апта: 1 наурыз')")
    shown = page.evaluate(WEEK_DATES)
    assert shown and set(shown) <= {f"2027-03-{d:02}" for d in range(1, 8)}
    text = page.text_content("main") or ""
    assert "Кемінде 0" not in text and "Тұрғын саны белгісіз" in text
    assert not re.search(r"(?<![\d.,])0 км", text), text  # planned without known distances
    # what the plan says of these days: a day of legs nobody knows says so, and a leg to or
    # from an approximate position (its km an estimate) is marked "≈"
    plan = coordinator.http.get(f"/api/v1/plans/{coordinator.plan_id}").json()["document"]
    days = [d for d in plan["days"] if d["team"] == "team-1" and d["date"] in shown]
    unknown = [d for d in days if d["stops"] and d["road_km"] == 0]
    assert all(f"{len(d['stops'])} кездесу · қашықтығы: —" in text for d in unknown)
    estimated = [s for d in days for s in d["stops"] if s["approximate"] and s["road_km"] > 0]
    assert unknown and estimated and text.count("≈ ") >= len(estimated)
    assert ("Бұл күні кездесу жоқ" in text) == any(not d["stops"] for d in days)
    assert page.is_visible("a[rel=next]") and not page.is_visible("a[rel=prev]")
    page.click("a[rel=next] >> nth=0")
    page.click("a[rel=next] >> nth=0")
    page.wait_for_selector("#week:has-text('Апта: 15 наурыз')")
    assert not page.is_visible("a[rel=next]")


def test_meeting_form_opens_at_its_top_and_never_cuts_the_notes(phone, server, coordinator):
    page = phone.new_page()
    enrol(page, server, coordinator.code())
    assert page.text_content("#network") == "Желіде"
    phone.set_offline(True)
    page.wait_for_selector("#network[data-state=offline]:has-text('Желіден тыс')")
    phone.set_offline(False)
    page.wait_for_selector("#network[data-state=online]")
    page.evaluate("scrollTo(0, document.body.scrollHeight)")
    page.locator(PLANNED).last.click()
    page.wait_for_selector("form textarea[name=notes]")
    assert page.evaluate("scrollY") == 0
    assert page.evaluate("document.querySelector('main h1').getBoundingClientRect().top") >= 0
    assert page.text_content("#notes-left") == "4000 таңба қалды"
    page.fill("textarea[name=notes]", "ж" * 4003)
    assert page.eval_on_selector("textarea[name=notes]", "el => el.value.length") == 4003
    assert page.text_content("#notes-left") == "Шектен 3 таңба асып кетті: қысқартыңыз"
    page.fill("input[name='attendance.total']", "9")
    page.click("form button[type=submit]")
    page.wait_for_selector("textarea[name=notes][aria-invalid=true]")  # kept, and not saved
    assert page.evaluate("location.hash").startswith("#/meeting")


def test_a_meeting_logged_after_midnight_gets_the_local_date(playwright_driver, profile, server,
                                                             coordinator):  # fmt: skip
    """Between midnight and 05:00 in Kyzylorda the UTC date is still yesterday's: an unplanned
    meeting logged then was dated the day before."""
    context = launch(playwright_driver, profile, timezone_id="Asia/Qyzylorda")
    try:
        context.clock.set_fixed_time("2027-03-01T20:30:00Z")  # 01:30 on 2 March there
        page = context.new_page()
        enrol(page, server, coordinator.code())
        page.goto(server.url + "/app/#/meeting")
        page.wait_for_selector("form input[name=date]")
        assert page.input_value("input[name=date]") == "2027-03-02"
        # two settlements of one name are told apart by their district (the list showed
        # two "Ақжар" and nothing else)
        texts = page.eval_on_selector_all("select[name=hub] option", "els => els.map(e => e.text)")
        assert len(texts) > 200 and len(texts) == len(set(texts))
    finally:
        context.close()
