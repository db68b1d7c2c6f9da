"""Browser tests: a live server and Debian's Chromium driven by Playwright. Without Chromium
they are skipped and the run says so loudly; with OUTREACH_REQUIRE_BROWSER=1 (as in CI) a
missing browser fails the run instead."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import LiveServer
from tests.e2e.field import ARGS, Coordinator, chromium_path, launch

CHROMIUM = chromium_path()
REQUIRED = os.environ.get("OUTREACH_REQUIRE_BROWSER") == "1"
_skipped: list[str] = []


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if CHROMIUM is not None:
        return
    browser_tests = [i for i in items if "tests/e2e/" in str(i.path).replace(os.sep, "/")]
    if browser_tests and REQUIRED:
        raise pytest.UsageError(
            "OUTREACH_REQUIRE_BROWSER=1 but there is no Chromium: install Debian's `chromium`"
        )
    for item in browser_tests:
        item.add_marker(pytest.mark.skip(reason="browser tests not run: no Chromium found"))
        _skipped.append(item.nodeid)


def pytest_terminal_summary(terminalreporter, exitstatus, config) -> None:
    if _skipped:
        terminalreporter.write_sep("!", "BROWSER TESTS NOT RUN", red=True, bold=True)
        terminalreporter.write_line(
            f"{len(_skipped)} browser tests were skipped: no Chromium at /usr/bin/chromium or on"
            " PATH (install Debian's `chromium`, or set OUTREACH_CHROMIUM)."
        )


@pytest.fixture
def server(live_server: LiveServer) -> LiveServer:
    """The live server the browser talks to."""
    return live_server


@pytest.fixture
def coordinator(server: LiveServer) -> Iterator[Coordinator]:
    with Coordinator(server) as staff:
        yield staff


@pytest.fixture
def profile(tmp_path: Path) -> Path:
    """A browser profile folder that outlives one browser context."""
    return tmp_path / "profile"


@pytest.fixture(scope="module")
def playwright_driver():
    """Playwright's driver, one per module (0.4 s to start): each test has its own browser."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="module")
def browser(playwright_driver):
    """One headless Chromium for a module's tests, each in a context of its own."""
    launched = playwright_driver.chromium.launch(executable_path=chromium_path(), headless=True,
                                                 args=ARGS)  # fmt: skip
    yield launched
    launched.close()


@pytest.fixture
def phone(playwright_driver, profile: Path):
    """A phone-sized Chromium context with a profile kept on disk."""
    context = launch(playwright_driver, profile)
    try:
        yield context
    finally:
        context.close()
