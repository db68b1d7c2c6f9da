"""The pages' Content-Security-Policy at work in Chromium: markup that slipped into a page (a
name with a `<script>` in it, an `onerror` attribute) cannot run, and the refusal is seen by
the browser tests' recorder (tests/e2e/field.py), so that a refusal of something the apps
need fails the tests that check every screen."""

from __future__ import annotations

import pytest

from tests.e2e.console import desktop
from tests.e2e.field import policy_refusals

INJECT = """() => {
  const script = document.createElement('script');
  script.textContent = 'window.__ran = (window.__ran || 0) + 1';
  document.body.append(script);
  const holder = document.createElement('div');
  holder.innerHTML = '<img src="/app/none.png" onerror="window.__ran = (window.__ran || 0) + 1">';
  document.body.append(holder);
}"""


@pytest.mark.parametrize("page_path", ["/app/console.html", "/app/dashboard.html", "/app/"])
def test_markup_that_slipped_in_cannot_run_a_script(playwright_driver, server, page_path):
    context = desktop(playwright_driver)
    try:
        page = context.new_page()
        page.goto(server.url + page_path)
        page.wait_for_load_state("networkidle")
        assert policy_refusals(page) == []  # the page itself needs nothing refused
        page.evaluate(INJECT)
        page.wait_for_function("() => window.__refused.length >= 2")
        assert page.evaluate("window.__ran") is None
        refused = policy_refusals(page)
        assert any(r.startswith("script-src-elem inline") for r in refused), refused
        assert any(r.startswith("script-src-attr inline") for r in refused), refused
    finally:
        context.browser.close()
