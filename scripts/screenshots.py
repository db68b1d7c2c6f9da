"""Screenshots of the field app for the README, in Kazakh, at 360 x 640: the plan and the
meeting form. Needs Chromium (Debian's `chromium`).

Run: .venv/bin/python scripts/screenshots.py  (writes docs/screenshots/*.png)
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from playwright.sync_api import sync_playwright  # noqa: E402

from tests.conftest import LiveServer  # noqa: E402
from tests.e2e.field import KK, Coordinator, enrol, launch  # noqa: E402

OUT = ROOT / "docs" / "screenshots"


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        server = LiveServer(Path(folder) / "shots.db", Path(folder) / "server.log")
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
        finally:
            server.stop()
    print(f"wrote {OUT / 'plan-kk.png'} and {OUT / 'meeting-kk.png'}")


if __name__ == "__main__":
    main()
