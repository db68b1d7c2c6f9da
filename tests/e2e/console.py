"""Helpers for the console's browser tests: a desktop Chromium, signing in, and the checks
every console screen must pass (axe-core, no sideways overflow, keyboard focus)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import axe_playwright_python

from tests.conftest import PASSWORD, LiveServer
from tests.e2e.field import ARGS, RECORD_REFUSALS, chromium_path, policy_refusals

AXE = (Path(axe_playwright_python.__file__).parent / "axe.min.js").read_text(encoding="utf-8")
# OUTREACH_SCREENSHOTS=docs/screenshots makes the walk through the screens also redraw the
# README's pictures of them (scripts/screenshots.py does it)
SCREENSHOTS = os.environ.get("OUTREACH_SCREENSHOTS")


def desktop(driver: Any, width: int = 1280, height: int = 800, **options: Any) -> Any:
    """A desktop browser context (Kazakh, no touch); `options` for the context, such as a
    `timezone_id`."""
    browser = driver.chromium.launch(executable_path=chromium_path(), headless=True, args=ARGS)
    context = browser.new_context(viewport={"width": width, "height": height}, locale="kk-KZ",
                                  **options)  # fmt: skip
    context.add_init_script(RECORD_REFUSALS)
    return context


def sign_in(page: Any, server: LiveServer, login: str, screen: str = "") -> None:
    page.goto(f"{server.url}/app/console.html{screen}")
    page.fill("input[name=login]", login)
    page.fill("input[name=password]", PASSWORD)
    page.click("form button[type=submit]")
    page.wait_for_selector("#nav a", timeout=30_000)


def axe_violations(page: Any) -> list[dict]:
    """Serious and critical violations axe-core finds on the page as it is now, and anything
    the page's Content-Security-Policy refused since it opened (as `csp` violations)."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        # through the browser's debugging protocol, which the page's script policy does not
        # govern: the service serves axe-core to no one (a <script> of it would be refused)
        page.evaluate(AXE)
    found = page.evaluate(
        "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
    )
    refused = [{"id": "csp", "impact": "critical", "nodes": [r]} for r in policy_refusals(page)]
    return refused + [
        {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"][:5]]}
        for v in found if v["impact"] in ("serious", "critical")
    ]  # fmt: skip


def overflow(page: Any) -> int:
    """How many pixels the page is wider than the window (0: nothing sticks out)."""
    return int(
        page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    )


UNLABELLED = """() => [...document.querySelectorAll('input:not([type=hidden]), select, textarea')]
  .filter((el) => !(el.labels && el.labels.length) && !el.getAttribute('aria-label')
                  && !el.getAttribute('aria-labelledby'))
  .map((el) => el.outerHTML.slice(0, 120))"""

CONTROLS = """() => [...document.querySelectorAll(
    'a[href], button, input:not([type=hidden]), select, textarea, [tabindex="0"]')]
  .filter((el) => !el.disabled && el.getClientRects().length
                  && getComputedStyle(el).visibility !== 'hidden' && !el.closest('[hidden], dialog:not([open])'))
  .length"""

FOCUS = """() => { const el = document.activeElement; if (!el || el === document.body) return null;
  const style = getComputedStyle(el);
  const visible = (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0)
    || (style.boxShadow && style.boxShadow !== 'none')
    || (el instanceof SVGElement && parseFloat(style.strokeWidth) >= 3);
  return { key: el.outerHTML.slice(0, 80) + '#' + [...document.querySelectorAll('*')].indexOf(el), visible }; }"""


def keyboard_walk(page: Any, limit: int = 600) -> tuple[int, int, list[str]]:
    """Tab through the page: (controls focused, controls on the page, those without a visible
    focus indicator)."""
    page.evaluate("document.activeElement && document.activeElement.blur()")
    page.evaluate("window.scrollTo(0, 0)")
    seen: dict[str, bool] = {}
    for _ in range(limit):
        page.keyboard.press("Tab")
        now = page.evaluate(FOCUS)
        if now is None:
            continue
        if seen and now["key"] == next(iter(seen)):
            break  # round the page and back to the first control
        seen[now["key"]] = now["visible"]  # a date input takes several Tabs: one control
    return len(seen), int(page.evaluate(CONTROLS)), [k for k, ok in seen.items() if not ok]


def check_screen(page: Any, name: str | None = None) -> None:
    """The checks every console screen passes, at the page's current size."""
    assert axe_violations(page) == []
    assert overflow(page) <= 0
    assert page.evaluate(UNLABELLED) == []
    focused, controls, invisible = keyboard_walk(page)
    assert focused >= controls, (focused, controls)
    assert invisible == [], invisible
    if name and SCREENSHOTS:
        page.evaluate("document.activeElement && document.activeElement.blur()")
        page.evaluate("document.querySelectorAll('textarea').forEach((t) => { t.scrollTop = 0; })")
        page.evaluate("window.scrollTo(0, 0)")
        page.screenshot(path=str(Path(SCREENSHOTS) / f"console-{name}-kk.png"), full_page=False)
