"""A gazetteer of more than 1,000 settlements, as a national chamber's would be: the console and
the dashboard know every one of them, though the API gives at most 1,000 a page (they once read
the first page only, and the rest were missing from the map, the lists and the lodgings)."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator

import pytest

from tests import engines
from tests.conftest import LiveServer, add_user
from tests.e2e.console import desktop, sign_in
from tests.e2e.field import sign_in_dashboard
from tests.synthetic import make_rows, to_csv

# three made-up districts of 30 okrugs of 9 villages: with the shipped 298, 1,108 settlements,
# and these come last in KATO order, on the second page
ROWS = [row for n, district in enumerate(("995000000", "996000000", "997000000"))
        for row in make_rows(district, okrugs=30, per_okrug=9, lat=44.0 + n * 0.5)]  # fmt: skip
LAST = ROWS[-1]


@pytest.fixture(scope="module")
def large(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    folder = tmp_path_factory.mktemp("large")
    database = engines.sqlite_database(folder)
    (folder / "extra.csv").write_bytes(to_csv(ROWS))
    imported = subprocess.run(
        [sys.executable, "-m", "outreach", "import-gazetteer", str(folder / "extra.csv"),
         "--database-url", database.url], capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert imported.returncode == 0, imported.stderr
    assert database.scalar("SELECT count(*) FROM villages") == 298 + len(ROWS) > 1000
    add_user(database, "coord", "coordinator")
    with LiveServer(database.url, folder / "server.log") as server:
        yield server


def test_the_console_offers_a_settlement_past_the_first_thousand_as_a_lodging(
    playwright_driver, large
):
    context = desktop(playwright_driver)
    try:
        page = context.new_page()
        sign_in(page, large, "coord", "#/season")
        page.uncheck("input[name=lodgings_default]")
        page.fill("input[name=lodging]", LAST["name_kk"])
        page.press("input[name=lodging]", "Enter")
        page.wait_for_selector(f"#lodgings li[data-kato='{LAST['kato']}']")
        options = page.locator("#lodging-options option").count()
        located = large.database.scalar(
            "SELECT count(*) FROM villages WHERE lat IS NOT NULL AND lon IS NOT NULL"
        )
        assert options == located  # every located settlement, of 1,108 in all
    finally:
        context.browser.close()


def test_the_dashboard_maps_a_village_past_the_first_thousand(playwright_driver, large):
    context = desktop(playwright_driver)
    try:
        page = context.new_page()
        sign_in_dashboard(page, large, "coord", "#campaign=all")
        page.wait_for_selector(f"#map [data-kato='{LAST['kato']}']")
    finally:
        context.browser.close()
