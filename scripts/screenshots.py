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
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from playwright.sync_api import sync_playwright  # noqa: E402

from tests.conftest import LiveServer, add_user  # noqa: E402
from tests.e2e.field import (  # noqa: E402
    ARGS,
    KK,
    Coordinator,
    chromium_path,
    enrol,
    launch,
    sign_in_dashboard,
)
from tests.sync.phone import make_meeting  # noqa: E402

OUT = ROOT / "docs" / "screenshots"


def kazakhstan_today() -> date:
    return datetime.now(UTC).astimezone(timezone(timedelta(hours=5))).date()


# populations a coordinator added after the dashboard asked for them
POPULATIONS = {"434633100": 1200, "434635100": 800, "434637100": 1500, "434643100": 950,
               "433630100": None, "433633100": 1100, "433637100": 700}  # fmt: skip


def seed_season(server: LiveServer, coordinator: Coordinator) -> None:
    """A winter round under way in five districts: started sixteen days ago, every
    meeting planned until today held, populations known for a few more villages."""
    today = kazakhstan_today()
    districts = ["434600000", "433600000", "434800000", "435200000", "434000000"]
    spec = {"name": "Қысқы айналым", "start": (today - timedelta(days=16)).isoformat(),
            "end": (today + timedelta(days=45)).isoformat(), "districts": districts}  # fmt: skip
    made = coordinator.http.post("/api/v1/plans", json=spec)
    assert made.status_code == 201, made.text
    plan_id = made.json()["summary"]["id"]
    assert coordinator.http.post(f"/api/v1/plans/{plan_id}/publish").status_code == 200
    for kato, population in POPULATIONS.items():
        if population is not None:
            changed = {"population": population, "population_year": 2025}
            assert (
                coordinator.http.patch(f"/api/v1/villages/{kato}", json=changed).status_code == 200
            )
    placed = [m for m in made.json()["document"]["meetings"]
              if m["date"] and m["date"] <= today.isoformat()]  # fmt: skip
    rng = random.Random(3)  # noqa: S311 (made-up meetings)
    mutations: dict[str, list[dict]] = {}
    for planned in sorted(placed, key=lambda m: m["date"]):
        mutation = make_meeting(rng, date=planned["date"], hub=planned["hub"]["id"][2:],
                                plan_id=plan_id, plan_meeting=planned["id"])  # fmt: skip
        mutation["add"]["villages"] = [v["kato"] for v in planned["members"]]
        for person in mutation["add"]["interested"]:
            person.pop("village", None)
        mutations.setdefault(planned["team"], []).append(mutation)
    for team, theirs in mutations.items():  # each team's phone sends its own meetings
        with httpx.Client(base_url=server.url, timeout=60) as phone:
            code = coordinator.code(f"walker-{team}", team)
            token = phone.post("/api/v1/devices/enrol", json={"code": code}).json()["device_token"]
            phone.headers["authorization"] = f"Bearer {token}"
            results = phone.post("/api/v1/sync/push", json={"mutations": theirs}).json()["results"]
            assert {r["status"] for r in results} == {"applied"}, results


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
                context.close()
                seed_season(server, coordinator)
                seed_funnel(coordinator)
                add_user(server.database, "boss", "leadership")
                dashboard(driver, server)
        finally:
            server.stop()
    print(f"wrote plan-kk.png, meeting-kk.png, dashboard-*.png in {OUT}")
    console()


def dashboard(driver: Any, server: LiveServer) -> None:
    """The dashboard as leadership opens it, on a laptop and on a phone, in Kazakh."""
    browser = driver.chromium.launch(executable_path=chromium_path(), headless=True, args=ARGS)
    try:
        for name, size, scale in (
            ("dashboard-kk", (1280, 800), 1),
            ("dashboard-phone-kk", (360, 640), 2),
        ):
            context = browser.new_context(viewport={"width": size[0], "height": size[1]},
                                          device_scale_factor=scale, locale="kk-KZ")  # fmt: skip
            board = context.new_page()
            sign_in_dashboard(board, server, "boss")
            board.wait_for_selector("#compare-table")
            board.evaluate("document.activeElement && document.activeElement.blur()")
            board.screenshot(path=str(OUT / f"{name}.png"))
            if name == "dashboard-kk":
                for part in ("funnel", "progress"):
                    board.locator(f"#{part}").screenshot(path=str(OUT / f"dashboard-{part}-kk.png"))
            context.close()
    finally:
        browser.close()


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
