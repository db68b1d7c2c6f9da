"""Every screen at 360 x 640 in Kazakh, Russian and English: nothing wider than the screen,
touch targets of 44 px at least; and the app's pure logic, run in the browser itself."""

from __future__ import annotations

import pytest

from tests.e2e.field import enrol, policy_refusals

SCREENS = ["#/plan", "#/meeting?plan={plan}&m={meeting}", "#/meeting", "#/outbox",
           "#/settings", "#/enrol"]  # fmt: skip
OVERFLOW = """() => {
  const wide = [...document.querySelectorAll('body *')].filter((el) => {
    const box = el.getBoundingClientRect();
    return box.width > 0 && (box.right > innerWidth + 1 || box.left < -1);
  }).map((el) => el.outerHTML.slice(0, 80));
  return {page: document.documentElement.scrollWidth, wide};
}"""
SMALL_TARGETS = """() => [...document.querySelectorAll(
    'button, a.button, .tabs a, input:not([type=checkbox]):not([type=radio]), select, label.check')]
  .filter((el) => el.offsetParent !== null)
  .map((el) => [el.outerHTML.slice(0, 60), el.getBoundingClientRect().height])
  .filter(([, height]) => height < 44)"""


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_layout_no_screen_overflows_at_360_in_any_language(phone, server, coordinator, lang):
    page = phone.new_page()
    enrol(page, server, coordinator.code())
    page.goto(server.url + "/app/#/settings")
    page.select_option("#language", lang)
    page.wait_for_function(f"() => document.documentElement.lang === '{lang}'")
    meeting = page.evaluate("""async () => {
      const db = await import('./js/db.js');
      const plan = (await db.meta('plan')).body[0];
      return plan.meetings.find((m) => m.team)?.id; }""")
    for screen in SCREENS:
        url = screen.format(plan=coordinator.plan_id, meeting=meeting)
        page.goto(f"{server.url}/app/{url}")
        page.wait_for_selector("main#view > h1")
        if "meeting" in screen:
            page.click("button.secondary >> nth=0")  # add a person: the longest form
        found = page.evaluate(OVERFLOW)
        assert found["page"] <= 360 and not found["wide"], (lang, screen, found)
        assert page.evaluate(SMALL_TARGETS) == [], (lang, screen)
        assert policy_refusals(page) == [], (lang, screen)  # nothing the page needs refused
    phone.set_offline(True)  # the header says so, beside the sync status
    page.wait_for_selector("#network[data-state=offline]")
    found = page.evaluate(OVERFLOW)
    assert found["page"] <= 360 and not found["wide"], (lang, "offline", found)


def test_pure_logic_runs_in_the_browser(phone, server):
    page = phone.new_page()
    page.goto(server.url + "/app/")
    result = page.evaluate("""async () => {
      const r = await import('./js/records.js');
      const rules = await import('./js/rules.js');
      const before = {status: 'held', notes: 'a', villages: ['1', '2'],
                      interested: [{id: 'p1', name: 'A'}, {id: 'p2', name: 'B'}]};
      const after = {status: 'held', notes: 'b', villages: ['2', '3'],
                     interested: [{id: 'p1', name: 'A2'}, {id: 'p2', name: 'B'}]};
      const change = r.diff('meeting', before, after);
      const m = r.mutation('meeting', 'rid', 1, change);
      return {change, applied: r.applyLocal(before, m), empty: r.isEmpty(r.diff('meeting', after, after)),
              phones: ['+7 701 234 56 78', '87012345678', '12345'].map(rules.normalisePhone),
              waits: [0, 3, 20].map((n) => rules.backoff(n, () => 1)),
              problems: rules.meetingProblems({status: 'cancelled', date: '2027-01-01', hub: '1',
                attendance: {total: 5, women: 7}, interested: [{name: '', phone: '1'}]}).map((p) => p[1])};
    }""")
    assert result["change"] == {
        "set": {"notes": "b"},
        "add": {"villages": ["3"], "interested": [{"id": "p1", "name": "A2"}]},
        "remove": {"villages": ["1"]},
    }
    assert result["applied"]["villages"] == ["2", "3"]
    assert result["applied"]["interested"][0]["name"] == "A2"
    assert result["empty"] is True
    assert result["phones"] == ["+77012345678", "+77012345678", None]
    assert result["waits"] == [5000, 40000, 900000]
    assert result["problems"] == ["error.reason", "error.group_over_total", "error.person_name",
                                  "error.phone"]  # fmt: skip
