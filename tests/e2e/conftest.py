"""Browser tests: a live server and Debian's Chromium driven by Playwright. Without Chromium
they are skipped and the run says so loudly; with OUTREACH_REQUIRE_BROWSER=1 (as in CI) a
missing browser fails the run instead."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import LiveServer, skip_reason
from tests.e2e.field import ARGS, Coordinator, chromium_path, launch

CHROMIUM = chromium_path()
REQUIRED = os.environ.get("OUTREACH_REQUIRE_BROWSER") == "1"
_skipped: list[str] = []
_NOT_RUN = "browser tests not run: no Chromium found"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if CHROMIUM is not None:
        return
    if REQUIRED:
        return  # each fails at its setup (below), in whichever process runs it
    for item in items:
        if "tests/e2e/" not in str(item.path).replace(os.sep, "/"):
            continue
        item.add_marker(pytest.mark.skip(reason=_NOT_RUN))


def pytest_runtest_setup(item: pytest.Item) -> None:
    if CHROMIUM is None and REQUIRED:
        pytest.fail("OUTREACH_REQUIRE_BROWSER=1 but there is no Chromium: install Debian's"
                    " `chromium`", pytrace=False)  # fmt: skip


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if skip_reason(report) == _NOT_RUN:
        _skipped.append(report.nodeid)


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
