"""The coverage dashboard in Chromium: leadership sees figures and never names or phones; it
refreshes by itself when records arrive; coordinators can open a village."""

from __future__ import annotations

import random

from tests.conftest import add_user
from tests.e2e.field import push_as_phone, sign_in_dashboard
from tests.sync.phone import make_meeting

HUB = "431033100"


def test_dashboard_for_leadership_shows_counts_and_refreshes(phone, server, coordinator):
    rng = random.Random(50)
    first = make_meeting(rng)
    first["add"]["villages"] = [HUB]
    push_as_phone(server, coordinator, [first])
    add_user(server.db_path, "boss", "leadership")
    page = phone.new_page()
    page.set_viewport_size({"width": 1100, "height": 900})
    sign_in_dashboard(page, server, "boss", "?poll=2")
    headline = page.text_content("#headline")
    assert "1 / 298" in headline  # villages reached of villages in scope
    text = page.text_content("body")
    for person in first["add"]["interested"]:
        assert person["name"] not in text
    assert "+7" not in text
    assert page.locator("svg.map circle").count() == 298
    assert page.locator("#not-reached tr").count() == 25
    second = make_meeting(rng, hub="431033400")
    second["add"]["villages"] = ["431033400"]
    push_as_phone(server, coordinator, [second])
    page.wait_for_function(  # no reload: the page polls and redraws by itself
        "document.querySelector('#headline').textContent.includes('2 / 298')", timeout=20_000
    )
    assert page.locator("table button").count() == 0  # leadership cannot open a village


def test_dashboard_coordinator_opens_a_village(phone, server, coordinator):
    meeting = make_meeting(random.Random(51))
    push_as_phone(server, coordinator, [meeting])
    page = phone.new_page()
    page.set_viewport_size({"width": 1100, "height": 900})
    sign_in_dashboard(page, server, "coord")
    page.click("table button >> nth=0")
    page.wait_for_selector("#village-detail .card")
    assert meeting["add"]["interested"][0]["name"] in page.text_content("#village-detail")
