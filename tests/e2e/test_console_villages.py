"""The console's village editor in Chromium, in Kazakh: clearing the coordinates takes the
surveyed position away (the village falls back to approximate) instead of a false "saved"; a
position no settlement of the region can have, (0, 0), is refused without the override; a
form with nothing changed says so and sends nothing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.e2e.console import desktop, sign_in

PWA = Path(__file__).resolve().parents[2] / "static" / "pwa"
KK = json.loads((PWA / "i18n" / "console" / "kk.json").read_text(encoding="utf-8"))
BAIMURAT = "431033100"  # surveyed: GeoNames gives its position


@pytest.fixture
def desk(playwright_driver):
    context = desktop(playwright_driver)
    yield context
    context.browser.close()


def submit(page) -> None:
    page.click("#village-editor button[type=submit]")


def test_clearing_the_coordinates_makes_the_village_approximate(desk, server, coordinator):
    before = coordinator.http.get(f"/api/v1/villages/{BAIMURAT}").json()
    assert before["location_quality"] == "exact"
    page = desk.new_page()
    sign_in(page, server, "coord", f"#/villages/{BAIMURAT}")
    page.wait_for_selector("#village-editor svg")
    page.fill("input[name=lat]", "")
    page.fill("input[name=lon]", "")
    submit(page)
    page.wait_for_selector(f"#village-editor p.muted:has-text('{before['version'] + 1}-нұсқа')")
    after = coordinator.http.get(f"/api/v1/villages/{BAIMURAT}").json()
    # it is its okrug's centre: without its own position it falls back to the district's
    assert after["position"] is None and after["location_quality"] == "district_centre"
    assert page.input_value("input[name=lat]") == ""
    assert KK["con.quality.district_centre"] in page.inner_text("#village-editor p.muted")


def test_a_position_in_the_gulf_of_guinea_is_refused_without_the_override(desk, server,
                                                                          coordinator):  # fmt: skip
    before = coordinator.http.get(f"/api/v1/villages/{BAIMURAT}").json()
    page = desk.new_page()
    sign_in(page, server, "coord", f"#/villages/{BAIMURAT}")
    page.wait_for_selector("#village-editor svg")
    submit(page)  # nothing changed: said, and nothing sent
    page.wait_for_selector(f"#village-editor .error:has-text('{KK['con.nothing_to_save']}')")
    page.fill("input[name=lat]", "0")
    page.fill("input[name=lon]", "0")
    submit(page)
    page.wait_for_selector("#village-editor .error:has-text('км')")
    refusal = page.inner_text("#village-editor .error")
    assert "400 км" in refusal and "тексерілді деп те сақтауға болмайды" in refusal, refusal
    assert page.is_hidden("label:has(input[name=force])")
    assert not page.locator("#toast:not([hidden])").is_visible()
    after = coordinator.http.get(f"/api/v1/villages/{BAIMURAT}").json()
    assert (after["version"], after["position"]) == (before["version"], before["position"])
