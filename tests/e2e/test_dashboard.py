"""The coverage dashboard in Chromium: leadership sees figures and never names or phones; it
refreshes by itself when records arrive, also when they arrive at another app process;
coordinators can open a village."""

from __future__ import annotations

import random

from tests.conftest import LiveServer, add_user
from tests.e2e.field import Coordinator, push_as_phone, sign_in_dashboard
from tests.sync.phone import make_meeting

HUB = "431033100"


def test_dashboard_for_leadership_shows_counts_and_refreshes(phone, server, coordinator):
    rng = random.Random(50)
    first = make_meeting(rng)
    first["add"]["villages"] = [HUB]
    push_as_phone(server, coordinator, [first])
    add_user(server.database, "boss", "leadership")
    page = phone.new_page()
    page.set_viewport_size({"width": 1100, "height": 900})
    sign_in_dashboard(page, server, "boss", "?poll=2#campaign=all")
    headline = page.text_content("#headline")
    assert "1 / 298" in headline  # villages reached of villages in scope
    text = page.text_content("body")
    for person in first["add"]["interested"]:
        assert person["name"] not in text
    assert "+7" not in text
    assert page.locator("#map [data-status]").count() == 298
    assert page.locator("#not-reached tr").count() == 25
    second = make_meeting(rng, hub="431033400")
    second["add"]["villages"] = ["431033400"]
    push_as_phone(server, coordinator, [second])
    page.wait_for_function(  # no reload: the page polls and redraws by itself
        "() => document.querySelector('#headline').textContent.includes('2 / 298')", timeout=20_000
    )
    assert page.locator("#reached button").count() == 0  # leadership cannot open a village


def test_dashboard_coordinator_opens_a_village(phone, server, coordinator):
    meeting = make_meeting(random.Random(51))
    push_as_phone(server, coordinator, [meeting])
    page = phone.new_page()
    page.set_viewport_size({"width": 1100, "height": 900})
    sign_in_dashboard(page, server, "coord", "#campaign=all")
    page.click("#reached button >> nth=0")
    page.wait_for_selector("#village-detail .card")
    assert meeting["add"]["interested"][0]["name"] in page.text_content("#village-detail")


def test_dashboard_refreshes_with_records_sent_to_another_process(phone, pg_database, tmp_path):
    """Two app processes on one PostgreSQL: the dashboard talks to one, the phone to the other."""
    servers = [LiveServer(pg_database.url, tmp_path / f"server-{n}.log") for n in range(2)]
    try:
        for server in servers:
            server.start()
        field, office = servers
        with Coordinator(field) as coordinator:
            rng = random.Random(52)
            first, second = make_meeting(rng), make_meeting(rng, hub="431033400")
            first["add"]["villages"], second["add"]["villages"] = [HUB], ["431033400"]
            push_as_phone(field, coordinator, [first])
            add_user(pg_database, "boss", "leadership")
            page = phone.new_page()
            page.set_viewport_size({"width": 1100, "height": 900})
            sign_in_dashboard(page, office, "boss", "?poll=2#campaign=all")
            assert "1 / 298" in page.text_content("#headline")
            push_as_phone(field, coordinator, [second])
            page.wait_for_function(
                "() => document.querySelector('#headline').textContent.includes('2 / 298')",
                timeout=20_000,
            )
    finally:
        for server in servers:
            server.stop()
