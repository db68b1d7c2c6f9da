"""/schema in Chromium: Swagger UI renders every tag's operations from the OpenAPI 3.1
document, offers "Authorize" with the three schemes, asks nothing of the internet, and needs
nothing its Content-Security-Policy refuses."""

from __future__ import annotations

from urllib.parse import urlsplit

from tests.e2e.console import desktop
from tests.e2e.field import policy_refusals


def test_the_api_documentation_renders_offline(playwright_driver, server):
    context = desktop(playwright_driver)
    try:
        page = context.new_page()
        origin = urlsplit(server.url)[:2]
        outside: list[str] = []
        page.on(
            "request", lambda r: None if urlsplit(r.url)[:2] == origin else outside.append(r.url)
        )
        page.goto(f"{server.url}/schema")
        page.wait_for_selector(".opblock", timeout=30_000)
        assert "Unable to render this definition" not in page.text_content("body")
        assert page.locator(".opblock").count() > 50
        page.click("button.authorize")
        dialog = page.text_content(".dialog-ux")
        assert "session" in dialog and "csrf" in dialog and "device" in dialog
        assert "OAS 3.1" in page.text_content(".information-container")
        page.wait_for_load_state("networkidle")
        assert outside == []
        assert policy_refusals(page) == []
    finally:
        context.browser.close()
