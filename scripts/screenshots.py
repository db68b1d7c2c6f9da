"""Screenshots for the README, in Kazakh: the field app at 360 x 640 (the plan and the meeting
form), the coverage dashboard as leadership sees it, and every screen of the console. Needs
Chromium (Debian's `chromium`).

Run: .venv/bin/python scripts/screenshots.py  (writes docs/screenshots/*.png)
"""

from __future__ import annotations

import os
import random
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from playwright.sync_api import sync_playwright  # noqa: E402

from tests.conftest import LiveServer, add_user  # noqa: E402
from tests.e2e.field import (  # noqa: E402
    KK,
    Coordinator,
    enrol,
    launch,
    push_as_phone,
    sign_in_dashboard,
)
from tests.sync.phone import make_meeting  # noqa: E402

OUT = ROOT / "docs" / "screenshots"


def seed_meetings(server: LiveServer, coordinator: Coordinator) -> None:
    """Meetings at the first forty planned hubs, as a season under way."""
    plan = coordinator.http.get(f"/api/v1/plans/{coordinator.plan_id}").json()["document"]
    placed = sorted((m for m in plan["meetings"] if m["date"]), key=lambda m: m["date"])[:40]
    rng = random.Random(3)  # noqa: S311 (made-up meetings)
    mutations = []
    for planned in placed:
        mutation = make_meeting(rng, date=planned["date"], hub=planned["hub"]["id"][2:])
        mutation["add"]["villages"] = [v["kato"] for v in planned["members"]]
        for person in mutation["add"]["interested"]:
            person.pop("village", None)
        mutations.append(mutation)
    push_as_phone(server, coordinator, mutations)


# how far the residents met got: stage, tenge requested, tenge financed (a season's funnel)
FUNNEL = [("contacted", None, None)] * 3 + [("trained", None, None)] * 3 + [
    ("defended", 4_500_000, None), ("financed", 6_000_000, 5_000_000),
    ("financed", 3_000_000, 2_500_000), ("dropped", None, None)]  # fmt: skip


def seed_funnel(coordinator: Coordinator) -> None:
    """Stages for the first residents met, as programme operators reported them."""
    people = coordinator.http.get("/api/v1/residents", params={"limit": 100}).json()["residents"]
    for resident, (stage, requested, financed) in zip(people, FUNNEL, strict=False):
        steps = [("defended", requested, None)] if requested else []
        steps.append((stage, financed, "Өңірлік инвестициялық орталық" if financed else None))
        for step, amount, source in steps:
            change = {"stage": step, "amount_tenge": amount, "funding_source": source,
                      "programme": "microcredit" if financed else "bastau_business",
                      "reason": "көшіп кетті" if step == "dropped" else None}  # fmt: skip
            path = f"/api/v1/residents/{resident['id']}/stage"
            assert coordinator.http.post(path, json=change).status_code == 200


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        server = LiveServer(f"sqlite:///{Path(folder) / 'shots.db'}", Path(folder) / "server.log")
        server.start()
        try:
            with Coordinator(server) as coordinator, sync_playwright() as driver:
                context = launch(driver, Path(folder) / "profile")
                page = context.new_page()
                enrol(page, server, coordinator.code())
                page.evaluate("document.getElementById('toast').hidden = true")
                page.screenshot(path=str(OUT / "plan-kk.png"))
                page.click(f"a.button:has-text('{KK['log']}')")
                page.wait_for_selector("input[name='attendance.total']")
                page.fill("input[name='attendance.total']", "34")
                page.fill("input[name='attendance.women']", "19")
                page.fill("input[name='attendance.youth']", "8")
                page.fill("input[name='attendance.entrepreneurs']", "6")
                page.evaluate(
                    "document.activeElement.blur();"
                    " document.querySelector('[name=date]').scrollIntoView()"
                )
                page.screenshot(path=str(OUT / "meeting-kk.png"))
                seed_meetings(server, coordinator)
                seed_funnel(coordinator)
                add_user(server.database, "boss", "leadership")
                board = context.new_page()
                board.set_viewport_size({"width": 1100, "height": 1000})
                sign_in_dashboard(board, server, "boss")
                board.screenshot(path=str(OUT / "dashboard-kk.png"))
                board.locator("#funnel").screenshot(path=str(OUT / "dashboard-funnel-kk.png"))
                context.close()
        finally:
            server.stop()
    print(f"wrote plan-kk.png, meeting-kk.png, dashboard-kk.png, dashboard-funnel-kk.png in {OUT}")
    console()


def console() -> None:
    """The console's screens at 1280 x 800, taken by the browser test that walks every one of
    them (tests/e2e/test_console.py) when OUTREACH_SCREENSHOTS names a folder."""
    env = {**os.environ, "OUTREACH_SCREENSHOTS": str(OUT)}
    test = "tests/e2e/test_console.py::test_every_console_screen_is_accessible"
    command = [sys.executable, "-m", "pytest", "-q", f"{test}[size0]"]
    subprocess.run(command, env=env, check=True, cwd=ROOT)  # noqa: S603 (a fixed test)
    print(f"wrote console-*-kk.png in {OUT}")


if __name__ == "__main__":
    main()
