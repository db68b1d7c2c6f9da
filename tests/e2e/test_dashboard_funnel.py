"""The funnel in tenge and the targets on the dashboard, in Chromium at 360 px and in Kazakh:
leadership sees how many people were financed and for how much, and a district's actual
figures against its targets ("—" where none is set); tables scroll in their own box, and the
page passes axe-core."""

from __future__ import annotations

import random
import re

from tests.conftest import add_user
from tests.e2e.console import axe_violations, overflow
from tests.e2e.field import push_as_phone, sign_in_dashboard
from tests.sync.phone import make_meeting, new_id

KARMAKSHY = "434600000"


def spaced(text: str | None) -> str:
    """Text with the no-break spaces that group digits made plain spaces."""
    return re.sub(r"[\u00a0\u202f]", " ", text or "")


def test_dashboard_shows_the_tenge_financed_and_targets_in_kazakh(phone, server, coordinator):
    http = coordinator.http
    plan = http.get(f"/api/v1/plans/{coordinator.plan_id}").json()
    planned = min((m for m in plan["document"]["meetings"] if m["team"] == "team-1"),
                  key=lambda m: (m["date"], m["order"]))  # fmt: skip
    hub = planned["hub"]["id"].removeprefix("g-")
    meeting = make_meeting(random.Random(18), hub=hub, plan_id=coordinator.plan_id,
                           plan_meeting=planned["id"], date=planned["date"])  # fmt: skip
    meeting["add"]["villages"] = [v["kato"] for v in planned["members"]]
    name = "Айгүл Серікова"
    meeting["add"]["interested"] = [{"id": new_id(), "name": name, "phone": "+7 701 000 00 01",
                                     "village": hub, "programme": "bastau_business"}]  # fmt: skip
    push_as_phone(server, coordinator, [meeting])
    [resident] = http.get("/api/v1/residents").json()["residents"]
    for step in ({"stage": "defended", "on": "2026-04-10", "amount_tenge": 5_000_000},
                 {"stage": "financed", "on": "2026-05-02", "amount_tenge": 3_000_000}):  # fmt: skip
        assert http.post(f"/api/v1/residents/{resident['id']}/stage", json=step).status_code == 200
    target = {"campaign": plan["summary"]["campaign"], "district": KARMAKSHY, "villages": 40,
              "residents": None, "trained": 10, "financed": 20, "financed_tenge": 60_000_000}  # fmt: skip
    assert http.put("/api/v1/targets", json=target).status_code in (200, 201)
    add_user(server.database, "boss", "leadership")

    page = phone.new_page()  # 360 px wide, Kazakh
    sign_in_dashboard(page, server, "boss")
    financed = spaced(page.text_content("#financed"))
    assert "1 адам, 3 000 000 ₸" in financed
    assert "қаржыландырылды" in financed
    funnel = spaced(page.text_content("#funnel"))
    assert "5 000 000 ₸" in funnel and "Аудандар бойынша: адамдар мен теңге" in funnel
    assert "Бастау Бизнес" in funnel  # the programme's row
    # the headline's referrals (every one logged at meetings) and the funnel's "Жолданды"
    # (named residents) count different things: said beside the funnel
    assert "Жолданды" in page.text_content("#referrals-note")
    assert page.input_value("select[name=campaign]") == str(coordinator.plan_id)  # the latest
    page.wait_for_selector("#targets table")
    [row] = page.locator("#targets tr:has(th[scope=row])").all()
    cells = [spaced(c) for c in row.locator("td").all_text_contents()]
    assert "Жоспар мен нақты" in page.text_content("#targets h2")
    assert cells[0].endswith("/ 40")  # villages reached of 40
    assert cells[1].endswith("/ —")  # no target for residents met
    assert cells[2:4] == ["1 / 10", "1 / 20"]  # financed counts as trained too
    assert cells[4] == "3 000 000 ₸ / 60 000 000 ₸"
    assert row.locator(".meter").count() == 4  # a meter wherever there is a target
    assert row.locator(".meter").last.get_attribute("aria-label") == "5%"

    text = page.text_content("body")
    assert name not in text and "+7" not in text  # leadership: counts only
    assert overflow(page) <= 0  # wide tables scroll inside their own box
    box = page.locator("#funnel .scroll").first
    assert box.evaluate("(el) => el.scrollWidth > el.clientWidth")
    assert axe_violations(page) == []

    page.select_option("select[name=campaign]", "all")  # all campaigns: no targets to show
    page.wait_for_function(
        "() => document.querySelector('#targets').textContent.includes('Жоспарды көру үшін науқанды')"
    )

    page.select_option("#lang", "en")  # money grouped as each language writes it
    page.wait_for_function(
        "() => document.querySelector('#financed').textContent.includes('3,000,000')"
    )
    assert "people: 1; 3,000,000 ₸" in spaced(page.text_content("#financed"))
