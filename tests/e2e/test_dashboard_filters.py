"""The dashboard's filters and session in Chromium, as a person using it in Kazakh found them:
a wrong date in the address is set aside with a word in Kazakh (never a way back to the sign-in
form), a "from" after "to" is refused in Kazakh before the server is asked, the team list keeps
every team once one is chosen, and signing out ends the session on the server too.

One seeded server serves the module: two teams' meetings in March 2027."""

from __future__ import annotations

import random
import time
from typing import Any

import httpx
import pytest

from tests.conftest import PASSWORD, LiveServer, add_user
from tests.e2e.console import axe_violations
from tests.e2e.field import RECORD_REFUSALS, Coordinator, push_as_phone
from tests.e2e.field import sign_in_dashboard as sign_in
from tests.sync.phone import make_meeting

HUB = "431033100"
KK = {
    "address_ignored": "Сілтемедегі қате сүзгі ескерілмеді",
    "dates_reversed": "«Басы» «Соңы» күнінен кейін болмауы керек",
    "sign_out": "Шығу",
    "not_for_role": "Бақылау тақтасы басшылық пен үйлестірушілерге арналған: солардың бірі"
    " ретінде кіріңіз.",
    "signed_out_offline": "Байланыс жоқ: сіз осы беттен шықтыңыз, байланыс қалпына келген"
    " бойда сервер сеансты жабады.",
}


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory):
    folder = tmp_path_factory.mktemp("dashboard-filters")
    live = LiveServer(f"sqlite:///{folder / 'live.db'}", folder / "server.log")
    live.start()
    try:
        with Coordinator(live) as coordinator:
            rng = random.Random(61)
            for team, date in (("team-1", "2027-03-05"), ("team-2", "2027-03-20")):
                meeting = make_meeting(rng, hub=HUB, date=date)
                meeting["add"]["villages"] = [HUB]
                push_as_phone(live, coordinator, [meeting], team=team)
        add_user(live.database, "boss", "leadership")
        add_user(live.database, "root", "admin")
        yield live
    finally:
        live.stop()


@pytest.fixture
def page(browser: Any):
    context = browser.new_context(viewport={"width": 1100, "height": 900}, locale="kk-KZ")
    context.add_init_script(RECORD_REFUSALS)
    try:
        yield context.new_page()
    finally:
        context.close()


def meetings_shown(page: Any) -> str:
    return str(page.text_content("#head-meetings b"))


def wait_for_meetings(page: Any, held: int) -> None:
    """Until the headline counts `held` meetings held."""
    page.wait_for_function(
        "(n) => document.querySelector('#head-meetings b').textContent.startsWith(`${n} `)",
        arg=held,
    )


def test_a_wrong_date_in_the_address_is_set_aside_and_the_user_stays_signed_in(page, server):
    sign_in(page, server, "boss", "#campaign=all&to=2027-13-01")  # never back to the form
    note = page.text_content("#filter-note")
    assert KK["address_ignored"] in note and "2027-13-01" in note
    assert page.input_value("input[name=to]") == ""
    assert "2027-13-01" not in page.url
    assert meetings_shown(page).startswith("2 ")  # both meetings: no date filter applied
    # signed in, a bookmark with a wrong date (and one with "from" after "to") opens the
    # dashboard, not the sign-in form
    for wrong in ("#campaign=all&from=31.02.2027", "#campaign=all&from=2027-03-20&to=2027-03-01"):
        page.goto(f"{server.url}/app/dashboard.html{wrong}")
        page.reload()
        page.wait_for_selector("#filter-note")
        assert page.locator("input[name=password]").count() == 0
        assert KK["address_ignored"] in page.text_content("#filter-note")
        assert meetings_shown(page).startswith("2 ")
    assert axe_violations(page) == []


def test_from_after_to_is_refused_in_kazakh_and_not_applied(page, server):
    sign_in(page, server, "boss", "#campaign=all")
    page.fill("input[name=to]", "10.03.2027")
    page.press("input[name=to]", "Enter")
    page.wait_for_function("() => location.hash.includes('to=2027-03-10')")
    wait_for_meetings(page, 1)
    page.fill("input[name=from]", "15.03.2027")  # after "to"
    page.press("input[name=from]", "Enter")
    page.wait_for_selector("input[name=from][aria-invalid]")
    box = page.locator(".field:has(input[name=from])")
    assert KK["dates_reversed"] in box.text_content()
    assert "from" not in page.evaluate("() => location.hash")  # not applied
    assert meetings_shown(page).startswith("1 ")  # still the figures of what is applied
    assert page.is_hidden("#toast") or "after" not in page.text_content("#toast")
    assert axe_violations(page) == []


def test_the_team_list_keeps_every_team_once_one_is_chosen(page, server):
    sign_in(page, server, "boss", "#campaign=all")
    options = "(el) => [...el.options].map((o) => o.value)"
    assert page.eval_on_selector("select[name=team]", options) == ["", "team-1", "team-2"]
    # shown as people say them, not as their keys
    texts = "(el) => [...el.options].slice(1).map((o) => o.textContent)"
    assert page.eval_on_selector("select[name=team]", texts) == ["1-топ", "2-топ"]
    page.select_option("select[name=team]", "team-1")
    page.wait_for_function("() => location.hash.includes('team=team-1')")
    wait_for_meetings(page, 1)
    assert page.eval_on_selector("select[name=team]", options) == ["", "team-1", "team-2"]
    assert page.input_value("select[name=team]") == "team-1"
    page.select_option("select[name=team]", "team-2")  # another team, straight from the list
    page.wait_for_function("() => location.hash.includes('team=team-2')")


def test_sign_out_ends_the_session_and_returns_to_the_form(page, server):
    sign_in(page, server, "boss", "#campaign=all")
    button = page.get_by_role("button", name=KK["sign_out"])
    assert button.count() == 1
    assert axe_violations(page) == []
    cookies = {c["name"]: c["value"] for c in page.context.cookies()}
    with httpx.Client(base_url=server.url, cookies=cookies) as http:
        assert http.get("/api/v1/session").status_code == 200
        button.click()
        page.wait_for_selector("input[name=password]")
        assert http.get("/api/v1/session").status_code == 401  # the old session is refused
        assert http.get("/api/v1/coverage").status_code == 401
    assert page.locator("#headline").count() == 0
    assert page.get_by_role("button", name=KK["sign_out"]).count() == 0
    page.reload()
    page.wait_for_selector("input[name=password]")  # not signed in any more
    sign_in(page, server, "boss", "#campaign=all")  # and signing in again works

    # signed out with no connection: said, and the session ended once the connection returns
    for reopen in (False, True):
        cookies = {c["name"]: c["value"] for c in page.context.cookies()}
        with httpx.Client(base_url=server.url, cookies=cookies) as http:
            page.context.set_offline(True)
            page.get_by_role("button", name=KK["sign_out"]).click()
            assert page.text_content("#signed-out-note") == KK["signed_out_offline"]
            assert http.get("/api/v1/session").status_code == 200  # the server was not told
            if reopen:  # ... and the page closed before the connection returned
                page.close()
                page = page.context.new_page()
            page.context.set_offline(False)
            if reopen:
                page.goto(server.url + "/app/dashboard.html")
                page.wait_for_selector("input[name=password]")
            deadline = time.monotonic() + 10
            while http.get("/api/v1/session").status_code != 401:
                assert time.monotonic() < deadline, "the session was never ended"
                time.sleep(0.1)
        assert page.locator("#signed-out-note").count() == int(not reopen)
        sign_in(page, server, "boss", "#campaign=all")  # signing in again is not undone
        page.reload()
        page.wait_for_selector("#headline")
        cookies = {c["name"]: c["value"] for c in page.context.cookies()}
        assert httpx.get(server.url + "/api/v1/session", cookies=cookies).status_code == 200


def test_a_date_being_typed_survives_new_figures_and_an_ended_session_is_noticed(page, server):
    """New figures (a phone synced) redrew the page under a date being typed, and wiped it; a
    session that ended was never noticed by the poll."""
    sign_in(page, server, "boss", "?poll=2#campaign=all")
    page.click("input[name=from]")
    page.keyboard.type("05.1")
    before = page.text_content("#headline")
    # a phone syncs a third meeting meanwhile (the module's coordinator, signed in again)
    with httpx.Client(base_url=server.url, timeout=60) as http:
        coordinator = Coordinator.signed_in_again(server, http)
        meeting = make_meeting(random.Random(62), hub=HUB, date="2027-03-25")
        meeting["add"]["villages"] = [HUB]
        push_as_phone(server, coordinator, [meeting])
    page.wait_for_function(
        "(before) => document.querySelector('#headline')?.textContent !== before",
        arg=before,
        timeout=15_000,
    )
    assert page.input_value("input[name=from]") == "05.1"
    assert page.evaluate("() => document.activeElement?.name") == "from"
    page.keyboard.type("2.2026")
    assert page.input_value("input[name=from]") == "05.12.2026"

    # the session ends on the server (expired, or signed out from another tab): the dashboard
    # polled in vain, showing the old figures with nothing said
    server.database.execute("DELETE FROM sessions")
    page.wait_for_selector("input[name=password]", timeout=15_000)  # asked again, by the poll
    assert page.text_content("#toast") == "Сессия аяқталды: қайта кіріңіз."
    assert page.locator("#headline").count() == 0


def test_an_admin_is_told_the_figures_are_not_theirs(page, server):
    """An admin following the console's link saw "could not load" forever (403 behind it)."""
    page.goto(f"{server.url}/app/dashboard.html")
    page.fill("input[name=login]", "root")
    page.fill("input[name=password]", PASSWORD)
    page.click("form button[type=submit]")
    alert = page.wait_for_selector("[role=alert].error")
    assert alert.text_content() == KK["not_for_role"]
    assert page.get_by_role("button", name=KK["sign_out"]).count() == 1
    assert page.locator("#headline").count() == 0
