"""A new version of the app waits for the user, and never reloads over a half-filled form."""

from __future__ import annotations

import shutil
from pathlib import Path

from tests.conftest import LiveServer
from tests.e2e.field import Coordinator, enrol

PWA = Path(__file__).resolve().parents[2] / "static" / "pwa"


def test_update_waits_for_the_user_and_never_over_a_half_filled_form(
    phone, tmp_path: Path, monkeypatch
):
    static = tmp_path / "pwa"
    shutil.copytree(PWA, static)
    monkeypatch.setenv("OUTREACH_STATIC_DIR", str(static))
    server = LiveServer(f"sqlite:///{tmp_path / 'update.db'}", tmp_path / "server.log")
    server.start()
    try:
        with Coordinator(server) as coordinator:
            page = phone.new_page()
            enrol(page, server, coordinator.code())
            page.click("a.button:has-text('Кездесуді жазу')")
            page.fill("input[name='attendance.total']", "12")  # a half-filled form
            page.evaluate("window.sameDocument = true")
            worker = static / "sw.js"
            worker.write_text(worker.read_text().replace("const VERSION = '", "const VERSION = 'b"))
            page.evaluate("navigator.serviceWorker.getRegistration().then((r) => r.update())")
            page.wait_for_selector("#update:not([hidden])", timeout=30_000)
            page.click("#update-apply")
            page.wait_for_selector("#toast:not([hidden])")
            assert page.evaluate("window.sameDocument") is True  # not reloaded
            assert page.input_value("input[name='attendance.total']") == "12"
            # the form left for the plan, its draft kept: nothing half-filled is on screen, and
            # the update goes ahead (it was refused as long as the draft was kept)
            page.evaluate("() => { location.hash = '#/plan'; }")
            page.wait_for_selector("section.day")
            with page.expect_event("domcontentloaded"):
                page.click("#update-apply")
            assert page.evaluate("window.sameDocument") is None  # reloaded, on the new version
            page.click("a.button:has-text('Кездесуді жазу')")
            page.wait_for_selector("form input[name='attendance.total']")
            assert page.input_value("input[name='attendance.total']") == "12"  # the draft
            page.wait_for_function("() => navigator.serviceWorker.controller !== null")
            script = page.evaluate("""async () => (await navigator.serviceWorker.getRegistration())
                .active.scriptURL""")
            assert script.endswith("/app/sw.js")
            caches = page.evaluate("caches.keys()")
            assert len(caches) == 1 and caches[0].startswith("outreach-shell-b")
    finally:
        server.stop()
