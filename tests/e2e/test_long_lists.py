"""Console lists longer than a page: the audit log and the positions at meetings are filtered
on the server and read a page at a time, with "older" below, so that a line past the first
thousand is found (they once read the newest 1,000 and filtered those in the browser: the
rest were out of reach with no sign of them)."""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx

from tests.conftest import LiveServer, add_user
from tests.e2e.console import axe_violations, desktop, sign_in
from tests.e2e.field import Coordinator, push_as_phone
from tests.sync.phone import HUB, edit, make_meeting, new_id

APPROXIMATE = "431033103"  # Калгандарья: only its okrug centre's position is known
PWA = Path(__file__).resolve().parents[2] / "static" / "pwa"


def _bare(text: str) -> str:
    """A text without its spaces (numbers are grouped with a no-break space in kk)."""
    return text.replace("\u00a0", "").replace(" ", "")


@contextmanager
def _console(
    driver: Any, server: LiveServer, login: str, screen: str, ready: str, **options: Any
) -> Iterator[Any]:
    """A console page of the user's, on the screen, once `ready` shows."""
    context = desktop(driver, **options)
    try:
        page = context.new_page()
        sign_in(page, server, login, screen)
        page.wait_for_selector(ready)
        yield page
    finally:
        context.browser.close()


KK = json.loads((PWA / "i18n" / "console" / "kk.json").read_text(encoding="utf-8"))


def test_an_admin_finds_a_line_past_the_first_thousand_of_the_audit_log(playwright_driver, server):
    database = server.database
    add_user(database, "root", "admin")
    add_user(database, "aidos", "field", "team-1")
    add_user(database, "bota", "field", "team-1")
    lines = [(f"2026-11-{1 + n // 100:02d}T09:{n % 60:02d}:00.000+00:00",
              "aidos" if n % 2 else "cli", "records.village_read" if n else "user.team")
             for n in range(1_250)]  # fmt: skip
    # 00:30 on 21 November in Kyzylorda (UTC+5), 20 November in UTC
    lines.append(("2026-11-20T19:30:00.000+00:00", "bota", "user.signed_in"))
    for line in lines:  # the oldest (n = 0) is the only `user.team` line, by cli
        database.execute("INSERT INTO audit_log (at, actor, action) VALUES (?, ?, ?)", line)
    with _console(playwright_driver, server, "root", "#/audit", "#audit tbody tr",
                  timezone_id="Asia/Qyzylorda") as page:  # fmt: skip
        rows = page.locator("#audit tbody tr")
        assert rows.count() == 200
        for shown in (400, 600):
            page.click("#audit-older")
            page.wait_for_function(
                f"() => document.querySelectorAll('#audit tbody tr').length == {shown}"
            )
        # the actor's lines only, chosen on the server: 625 of cli, a page of them shown
        page.select_option("select[name=actor]", "cli")
        page.wait_for_function("() => document.querySelectorAll('#audit tbody tr').length == 200")
        assert set(rows.locator("td:nth-child(2)").all_inner_texts()) == {"cli"}
        page.fill("input[name=action]", "user.team")
        page.wait_for_function("() => document.querySelectorAll('#audit tbody tr').length == 1")
        assert "user.team" in rows.first.inner_text()
        # its outcome in Kazakh, not the log's `ok`
        assert rows.first.locator("td:nth-child(6)").inner_text() == KK["con.outcome.ok"]
        assert page.inner_text("#audit-count") == KK["con.audit_count_all"].replace("{n}", "1")
        assert page.locator("#audit-older").is_hidden()
        page.select_option("select[name=actor]", "aidos")
        page.wait_for_selector("#audit tbody tr", state="detached")
        # a day as the table shows it: from midnight where the user is
        page.fill("input[name=action]", "")
        page.select_option("select[name=actor]", "bota")
        page.fill("input[name=since]", "2026-11-21")
        page.wait_for_function("() => document.querySelectorAll('#audit tbody tr').length == 1")
        assert "00:30" in rows.first.inner_text()


def test_a_far_meeting_past_the_first_thousand_is_found(playwright_driver, server):
    hub = dict(zip(("lat", "lon"), server.database.rows(
        "SELECT lat, lon FROM villages WHERE kato = ?", (HUB,))[0], strict=True))  # fmt: skip
    rng = random.Random(90)
    # 1,020 held meetings with the phone's position: the 6 far ones (0.3° north) the oldest
    meetings = [make_meeting(rng, date=f"2027-02-{1 + n:02d}" if n < 6
                             else f"2027-{3 + n // 250:02d}-{1 + n % 25:02d}",
                             start=f"{9 + n % 8:02d}:00", position={
                                 "lat": hub["lat"] + (0.3 if n < 6 else 0.001),
                                 "lon": hub["lon"], "accuracy_m": 10.0})
                for n in range(1_020)]  # fmt: skip
    far = {m["record_id"] for m in meetings[:6]}
    with Coordinator(server) as coordinator:
        phone = _phone(server, coordinator, "aidos")
        for start in range(0, len(meetings), 500):
            pushed = phone.post(
                "/api/v1/sync/push", json={"mutations": meetings[start : start + 500]}
            )
            assert {r["status"] for r in pushed.json()["results"]} == {"applied"}
        phone.close()
    with _console(playwright_driver, server, "coord", "#/positions", "#positions tbody tr") as page:
        summary = KK["con.positions_summary"].replace("{n}", "1020").replace("{far}", "6")
        assert _bare(page.inner_text("#positions-summary")) == _bare(summary)
        assert page.locator("#positions tbody tr").count() == 500
        page.click("#positions-older")
        page.wait_for_function(
            "() => document.querySelectorAll('#positions tbody tr').length == 1000"
        )
        page.click("#positions-older")
        page.wait_for_function(
            "() => document.querySelectorAll('#positions tbody tr').length == 1020"
        )
        assert page.locator("#positions-older").is_hidden()
        page.check("input[name=far]")
        page.wait_for_function("() => document.querySelectorAll('#positions tbody tr').length == 6")
        shown = page.locator("#positions tbody tr").evaluate_all(
            "rows => rows.map((r) => r.dataset.meeting)"
        )
        assert set(shown) == far


def test_the_review_queue_says_how_many_wait_beyond_the_oldest_shown(playwright_driver, server):
    rng = random.Random(91)
    meetings = [make_meeting(rng) for _ in range(205)]
    with Coordinator(server) as coordinator:
        a, b = (_phone(server, coordinator, login) for login in ("aidos", "bota"))
        a.post("/api/v1/sync/push", json={"mutations": meetings})
        for phone, notes in ((a, "from A"), (b, "from B")):
            edits = [edit(m["record_id"], 1, notes=notes) for m in meetings]
            results = phone.post("/api/v1/sync/push", json={"mutations": edits}).json()["results"]
        assert {r["status"] for r in results} == {"conflict"}
        a.close()
        b.close()
    with _console(playwright_driver, server, "coord", "#/review", "#overwrites article") as page:
        assert page.locator("#overwrites article").count() == 200
        status = page.inner_text("main [role=status]")
        assert _bare(status) == _bare(KK["con.review_open"].replace("{n}", "205"))
        shown = KK["con.review_shown"].replace("{n}", "200").replace("{all}", "205")
        assert page.inner_text("#overwrites [data-more]") == shown
        page.locator("#overwrites article").first.locator("button[data-action=keep]").click()
        page.wait_for_function(
            "() => document.querySelector('#overwrites [data-more]')?.textContent.includes('204')"
        )


def test_doubtful_matches_past_the_first_page_are_reached(playwright_driver, server):
    rng = random.Random(92)
    meetings = []
    for n in range(120):  # one phone shared by two people of a family: a doubtful pair each
        meeting = make_meeting(rng)
        meeting["add"]["interested"] = [
            {"id": new_id(), "name": f"{name} {n}", "phone": f"+7701{n:07d}"}
            for name in ("Дана Омарова", "Мадина Омарова")
        ]
        meetings.append(meeting)
    with Coordinator(server) as coordinator:
        push_as_phone(server, coordinator, meetings)
    with _console(playwright_driver, server, "coord", "#/residents", "#candidates .pair") as page:
        heading = KK["con.candidates"].replace("{n}", "120")
        assert page.inner_text("#candidates-title") == heading
        assert page.locator("#candidates .pair").count() == 50
        shown = KK["con.candidates_shown"]
        assert page.inner_text("#candidates-shown") == shown.replace("{n}", "50").replace(
            "{all}", "120"
        )
        assert axe_violations(page) == []
        for count in (100, 120):
            page.click("#candidates-more")
            page.wait_for_function(
                f"() => document.querySelectorAll('#candidates .pair').length === {count}"
            )
        assert page.locator("#candidates-more").is_hidden()
        assert page.inner_text("#candidates-shown") == ""
        ids = page.eval_on_selector_all(
            "#candidates .pair", "pairs => pairs.map((p) => Number(p.dataset.candidate))"
        )
        assert len(set(ids)) == 120 and ids == sorted(ids)  # every pair once, oldest first
        page.locator("#candidates .pair").last.locator("button[data-action=apart]").click()
        page.wait_for_function(
            f"() => document.querySelector('#candidates-title').textContent === "
            f"{json.dumps(KK['con.candidates'].replace('{n}', '119'))}"
        )


def test_suggested_positions_past_the_first_page_are_reached(playwright_driver, server):
    rng = random.Random(93)
    # each meeting at a village of approximate position suggests where the village is
    meetings = [make_meeting(rng, hub=APPROXIMATE,
                             position={"lat": 44.9 + n / 10_000, "lon": 65.42, "accuracy_m": 9.0})
                for n in range(64)]  # fmt: skip
    with Coordinator(server) as coordinator:
        push_as_phone(server, coordinator, meetings)
    with _console(playwright_driver, server, "coord", "#/villages", "#suggestions li") as page:
        assert page.inner_text("#suggestions h2") == KK["con.suggestions"].replace("{n}", "64")
        assert page.locator("#suggestions li").count() == 50
        shown = KK["con.suggestions_shown"].replace("{n}", "50").replace("{all}", "64")
        assert page.inner_text("#suggestions-shown") == shown
        assert axe_violations(page) == []
        page.click("#suggestions-more")
        page.wait_for_function("() => document.querySelectorAll('#suggestions li').length === 64")
        assert page.locator("#suggestions-more").is_hidden()
        ids = page.eval_on_selector_all(
            "#suggestions li", "items => items.map((i) => i.dataset.suggestion)"
        )
        assert sorted(ids) == sorted(m["record_id"] for m in meetings)  # every one, once


def _phone(server, coordinator: Coordinator, login: str) -> httpx.Client:
    """A phone of team-1, enrolled over HTTP."""
    phone = httpx.Client(base_url=server.url, timeout=60)
    enrolled = phone.post("/api/v1/devices/enrol", json={"code": coordinator.code(login)})
    phone.headers["authorization"] = f"Bearer {enrolled.json()['device_token']}"
    return phone


def test_a_refused_value_is_named_by_its_form_label(playwright_driver, server):
    """The server names a refused query or body field as `key` (Litestar's validation): the
    console once read only `field`, `column` and `line`, and said "validation_failed"."""
    add_user(server.database, "coord", "coordinator")
    with _console(playwright_driver, server, "coord", "#/villages", "#nav a") as page:
        said = page.evaluate("""async () => (await import('./js/console/common.js')).errorText({
            status: 400, code: 'validation_failed',
            details: [{ key: 'population', source: 'body' }, { key: 'teams' }, { key: 'x_y' }] })""")
        labels = f"{KK['con.f.population']}, {KK['con.f.teams']}, x_y"
        assert said == KK["con.error.invalid"].replace("{detail}", labels)
