"""Helpers for browser tests: a coordinator over HTTP, a phone-sized Chromium, and the steps a
field user takes in the app."""

from __future__ import annotations

import base64
import os
import shutil
from pathlib import Path
from typing import Any

import httpx

from tests.conftest import PASSWORD, LiveServer, add_user

KARMAKSHY = {"start": "2027-03-01", "end": "2027-05-28", "districts": ["434600000"]}
ARGS = ["--no-sandbox", "--disable-dev-shm-usage", "--disable-background-networking",
        "--disable-component-update", "--no-first-run"]  # fmt: skip
I18N = Path(__file__).resolve().parents[2] / "static" / "pwa" / "i18n"
KK = {
    "all_sent": "Барлық жазба серверде",
    "log": "Кездесуді жазу",
    "logged_held": "Өтті ✓ (түзету)",
}


def chromium_path() -> str | None:
    """Debian's Chromium (or OUTREACH_CHROMIUM), if there is one."""
    named = os.environ.get("OUTREACH_CHROMIUM")
    if named and Path(named).exists():
        return named
    return shutil.which("chromium") or shutil.which("chromium-browser")


def launch(driver: Any, profile: Path, lang: str = "kk-KZ", **options: Any) -> Any:
    """A 360 x 640 touch context on a profile folder, so that closing and opening it again
    keeps IndexedDB, Cache Storage and the service worker; `options` for the context, such
    as a `timezone_id`."""
    context = driver.chromium.launch_persistent_context(
        str(profile), executable_path=chromium_path(), headless=True, args=ARGS,
        viewport={"width": 360, "height": 640}, device_scale_factor=2, is_mobile=True,
        has_touch=True, locale=lang, service_workers="allow", **options,
    )  # fmt: skip
    context.add_init_script(RECORD_REFUSALS)
    return context


# every page notes what its Content-Security-Policy refused (policy_refusals reads it); an
# init script comes through the debugging protocol, which the policy does not govern
RECORD_REFUSALS = """window.__refused = [];
document.addEventListener('securitypolicyviolation', (e) => window.__refused.push(
  `${e.effectiveDirective} ${e.blockedURI || 'inline'} ${e.sourceFile}:${e.lineNumber}`));"""


def policy_refusals(page: Any) -> list[str]:
    """What the page's Content-Security-Policy refused so far (scripts, styles, images...)."""
    return list(page.evaluate("window.__refused || []"))


class Coordinator:
    """A coordinator signed in over HTTP who has published a plan for the teams."""

    def __init__(self, server: LiveServer) -> None:
        self.server = server
        add_user(server.database, "coord", "coordinator")
        self.http = httpx.Client(base_url=server.url, timeout=60)
        signed = self.http.post("/api/v1/session", json={"login": "coord", "password": PASSWORD})
        self.http.headers["x-csrf-token"] = signed.json()["csrf_token"]
        plan = self.http.post("/api/v1/plans", json=KARMAKSHY)
        assert plan.status_code == 201, plan.text
        self.plan_id = plan.json()["summary"]["id"]
        assert self.http.post(f"/api/v1/plans/{self.plan_id}/publish").status_code == 200

    @classmethod
    def signed_in_again(cls, server: LiveServer, http: httpx.Client) -> Coordinator:
        """The coordinator a module's server already has, signed in on `http` (no new plan)."""
        again = cls.__new__(cls)
        again.server, again.http = server, http
        signed = http.post("/api/v1/session", json={"login": "coord", "password": PASSWORD})
        http.headers["x-csrf-token"] = signed.json()["csrf_token"]
        return again

    def __enter__(self) -> Coordinator:
        return self

    def __exit__(self, *_: object) -> None:
        self.http.close()

    def code(self, login: str = "walker", team: str = "team-1") -> str:
        """A fresh enrolment code for a field user (created on first use)."""
        if not self.server.database.rows("SELECT 1 FROM users WHERE login = ?", (login,)):
            add_user(self.server.database, login, "field", team)
        issued = self.http.post("/api/v1/devices/enrolments", json={"login": login})
        assert issued.status_code == 201, issued.text
        return str(issued.json()["code"])

    def revoke_all(self) -> None:
        for device in self.http.get("/api/v1/devices").json():
            self.http.post(f"/api/v1/devices/{device['id']}/revoke")

    def rows(self, sql: str) -> list[tuple]:
        return self.server.database.rows(sql)


def enrol(page: Any, server: LiveServer, code: str) -> None:
    """Open the app, enrol with the code, and wait for the team's plan."""
    page.goto(server.url + "/app/")
    page.fill("input[name=code]", code)
    page.click("form button[type=submit]")
    page.wait_for_selector("section.day", timeout=30_000)
    page.wait_for_function("() => navigator.serviceWorker.controller !== null", timeout=30_000)


def make_photo(page: Any, hue: int) -> bytes:
    """A JPEG drawn by the browser itself (an attendance sheet stand-in)."""
    data_url = page.evaluate(
        """(hue) => { const c = document.createElement('canvas'); c.width = 1200; c.height = 900;
        const g = c.getContext('2d'); g.fillStyle = `hsl(${hue}, 60%, 80%)`; g.fillRect(0, 0, 1200, 900);
        g.fillStyle = '#000'; g.font = '48px sans-serif';
        for (let i = 0; i < 12; i++) g.fillText(`${i + 1}. ____________  ${hue}`, 60, 80 + i * 66);
        return c.toDataURL('image/jpeg', 0.9); }""",
        hue,
    )
    return base64.b64decode(data_url.split(",", 1)[1])


def log_meeting(
    page: Any, total: int, photo: bytes | None = None, person: str | None = None
) -> None:
    """Open the first planned meeting not yet logged and log it as held."""
    page.goto(page.url.split("#")[0] + "#/plan")
    page.click(f"a.button:has-text('{KK['log']}')")
    page.wait_for_selector("form input[name='attendance.total']")
    page.fill("input[name='attendance.total']", str(total))
    page.fill("input[name='attendance.women']", str(total // 2))
    page.check("input[name=topic][value=bastau_business]")
    page.fill("input[name='referral.microcredit']", "2")
    if person:
        page.click("button:has-text('Адам қосу')")
        page.fill("[data-person] input[name='p.name']", person)
        page.fill("[data-person] input[name='p.phone']", "8 701 555 44 33")
    if photo is not None:
        page.set_input_files("input[type=file]", files=[
            {"name": "sheet.jpg", "mimeType": "image/jpeg", "buffer": photo}])  # fmt: skip
        page.wait_for_selector(".thumbs img")
    page.click("form button[type=submit]")
    page.wait_for_selector("#sync-summary")


def wait_all_sent(page: Any) -> None:
    """Until the outbox says every record is on the server."""
    page.wait_for_function(
        f"() => document.querySelector('#sync-summary')?.textContent === '{KK['all_sent']}'",
        timeout=30_000,
    )


def push_as_phone(
    server: LiveServer, coordinator: Coordinator, mutations: list[dict], team: str = "team-1"
) -> None:
    """A phone of `team` enrolled over HTTP pushes meeting mutations."""
    login = "pusher" if team == "team-1" else f"pusher-{team}"
    with httpx.Client(base_url=server.url, timeout=60) as phone:
        code = coordinator.code(login, team)
        enrolled = phone.post("/api/v1/devices/enrol", json={"code": code})
        token = enrolled.json()["device_token"]
        phone.headers["authorization"] = f"Bearer {token}"
        results = phone.post("/api/v1/sync/push", json={"mutations": mutations}).json()["results"]
        assert {r["status"] for r in results} == {"applied"}, results


def sign_in_dashboard(page: Any, server: LiveServer, login: str, query: str = "") -> None:
    """Open the dashboard and sign in with the test password."""
    page.goto(f"{server.url}/app/dashboard.html{query}")
    page.fill("input[name=login]", login)
    page.fill("input[name=password]", PASSWORD)
    page.click("form button[type=submit]")
    page.wait_for_selector("#headline", timeout=30_000)
