"""The dashboard as leadership reads it, in Chromium, at 360 x 640 and 1280 x 800, in Kazakh,
Russian and English: the current campaign chosen by default, a headline that says over how
many villages the population is known, no word broken inside a table cell, no page wider than
the screen, axe-core clean (colour contrast included); the drill-down from district to okrug to
village; the progress chart and the comparison of two campaigns; each download button gives a
file that opens, with names beside codes and numbers typed.

One seeded server serves the whole module (a current campaign including today, a later one,
meetings held in three weeks, populations known for three villages of Karmakshy)."""

from __future__ import annotations

import csv
import io
import json
import random
import re
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import httpx
import openpyxl
import pytest

from tests.conftest import LiveServer, add_user
from tests.e2e.console import axe_violations, overflow
from tests.e2e.field import (
    RECORD_REFUSALS,
    Coordinator,
    push_as_phone,
    sign_in_dashboard,
)
from tests.sync.phone import make_meeting

KARMAKSHY = "434600000"
ARAL_TOWN = "433220100"
KNOWN = {"434630100": None, "434633100": 1200, "434635100": 800}  # Zhosaly's is in the gazetteer
SIZES = [(360, 640), (1280, 800)]
HEADLINE_WORDS = {
    "kk": "халық саны белгілі",
    "ru": "численность известна",
    "en": "population is known",
}

# Every word in a visible table cell is on one line and no wider than the cell.
BROKEN_WORDS = """() => {
  const bad = [];
  for (const cell of document.querySelectorAll('#view td, #view th')) {
    if (!cell.getClientRects().length) continue;
    const style = getComputedStyle(cell);
    const inner = cell.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
    const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      for (const m of node.data.matchAll(/\\S+/g)) {
        const range = document.createRange();
        range.setStart(node, m.index);
        range.setEnd(node, m.index + m[0].length);
        const tops = new Set([...range.getClientRects()].filter((r) => r.width > 0).map((r) => Math.round(r.top)));
        const width = range.getBoundingClientRect().width;
        if (tops.size > 1 || width > inner + 1) bad.push([m[0], tops.size, Math.round(width), Math.round(inner)]);
      }
    }
  }
  return bad;
}"""


def kazakhstan_today() -> date:
    return datetime.now(UTC).astimezone(timezone(timedelta(hours=5))).date()


def spaced(text: str | None) -> str:
    return re.sub(r"[\u00a0\u202f]", " ", text or "")


class World:
    """The seeded server and what the tests compare the page with (read from the API)."""

    def __init__(self, server: LiveServer, http: httpx.Client, current: int, later: int) -> None:
        self.server, self.http, self.current, self.later = server, http, current, later

    def coverage(self, **params: Any) -> dict:
        response = self.http.get("/api/v1/coverage", params=params)
        assert response.status_code == 200, response.text
        return response.json()


def seed(server: LiveServer, coordinator: Coordinator) -> World:
    http, today = coordinator.http, kazakhstan_today()
    later = coordinator.plan_id  # 2027-03-01 to 2027-05-28, named "Campaign": the latest
    spec = {"name": "Winter round", "start": (today - timedelta(days=21)).isoformat(),
            "end": (today + timedelta(days=40)).isoformat(), "districts": [KARMAKSHY]}  # fmt: skip
    made = http.post("/api/v1/plans", json=spec)
    assert made.status_code == 201, made.text
    current = made.json()["summary"]["id"]
    assert http.post(f"/api/v1/plans/{current}/publish").status_code == 200
    for kato, population in KNOWN.items():
        if population is not None:
            patched = http.patch(f"/api/v1/villages/{kato}", json={"population": population})
            assert patched.status_code == 200, patched.text
    planned = [m for m in made.json()["document"]["meetings"] if m["team"] == "team-1"]
    planned.sort(key=lambda m: (m["date"], m["order"]))
    rng = random.Random(19)
    meetings = []
    for weeks_ago, m in zip((2, 1, 0), planned, strict=False):
        meeting = make_meeting(rng, hub=m["hub"]["id"].removeprefix("g-"), plan_id=current,
                               plan_meeting=m["id"],
                               date=(today - timedelta(days=7 * weeks_ago)).isoformat())  # fmt: skip
        meeting["add"]["villages"] = [v["kato"] for v in m["members"]]
        meetings.append(meeting)
    # an ad hoc meeting (in the campaign's dates and district) at a village of known population
    known = make_meeting(rng, hub="434633100", date=(today - timedelta(days=3)).isoformat())
    known["add"]["villages"] = ["434633100"]
    outside = make_meeting(rng, hub=ARAL_TOWN, date=(today - timedelta(days=60)).isoformat())
    outside["add"]["villages"] = [ARAL_TOWN]
    push_as_phone(server, coordinator, [*meetings, known, outside])
    add_user(server.database, "boss", "leadership")
    return World(server, http, current, later)


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory):
    folder = tmp_path_factory.mktemp("dashboard")
    server = LiveServer(f"sqlite:///{folder / 'live.db'}", folder / "server.log")
    server.start()
    try:
        with Coordinator(server) as coordinator:
            yield seed(server, coordinator)
    finally:
        server.stop()


def open_dashboard(browser: Any, world: World, lang: str, size: tuple[int, int]) -> Any:
    context = browser.new_context(viewport={"width": size[0], "height": size[1]},
                                  locale="kk-KZ", accept_downloads=True)  # fmt: skip
    context.add_init_script(RECORD_REFUSALS)
    context.add_init_script(f"localStorage.setItem('outreach-lang', '{lang}')")
    page = context.new_page()
    sign_in_dashboard(page, world.server, "boss")
    page.wait_for_selector("#drill-table")
    return page


def check_reads_well(page: Any) -> None:
    """No broken word in a table cell, nothing wider than the window, axe-core clean."""
    page.evaluate("document.querySelectorAll('details').forEach((d) => { d.open = true; })")
    assert page.evaluate(BROKEN_WORDS) == []
    assert overflow(page) <= 0
    assert axe_violations(page) == []


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_dashboard_reads_well_on_a_phone_and_a_laptop(browser, world, lang):
    page = open_dashboard(browser, world, lang, SIZES[0])
    try:
        # the current campaign (its dates include today) is chosen, not the latest one
        assert page.input_value("select[name=campaign]") == str(world.current)
        head = world.coverage(campaign=world.current)["headline"]
        assert head["villages_population_known"] == len(KNOWN)
        scope = spaced(page.text_content("#known-scope"))
        assert HEADLINE_WORDS[lang] in scope
        assert f" {len(KNOWN)} " in f" {scope} "
        assert str(head["population_known"]) in re.sub(r"[ ,]", "", scope)
        villages = spaced(page.text_content("#head-villages"))
        assert (
            f"{head['villages_reached']} " in villages
            and f" {head['villages_in_scope']}" in villages
        )
        unknown = spaced(page.text_content("#head-unknown"))
        assert str(head["villages_population_unknown"]) in unknown
        for width, height in SIZES:
            page.set_viewport_size({"width": width, "height": height})
            check_reads_well(page)
        # dates as the language writes them: never the browser's mm/dd/yyyy
        last = max(v["last_met"] for v in world.coverage(campaign=world.current)["villages"]
                   if v["last_met"])  # fmt: skip
        y, m, d = last.split("-")
        written = f"{int(d)} " if lang == "en" else f"{d}.{m}.{y}"
        assert written in page.text_content("#reached")
        assert f"{m}/{d}/{y}" not in page.text_content("body")
    finally:
        page.context.close()


def test_drill_down_from_district_to_okrug_to_village(browser, world):
    page = open_dashboard(browser, world, "kk", SIZES[1])
    try:
        all_villages = page.locator("#map [data-status]").count()
        page.click(f"#drill-table button:has-text('{karmakshy_name(world)}')")
        page.wait_for_selector("#drill-table.okrugs")
        district = world.coverage(campaign=world.current, district=KARMAKSHY)
        assert page.locator("#drill-table tr:has(th[scope=row])").count() == len(district["okrugs"])
        # the gazetteer's two "Жосалинский с.о." of Karmakshy told apart by their centres
        rows = page.locator("#drill-table tr:has(th[scope=row]) th").all_inner_texts()
        assert len(rows) == len(set(rows)), rows
        assert (
            page.locator("#map [data-status]").count() == len(district["villages"]) <= all_villages
        )
        okrug = next(o for o in district["okrugs"] if o["villages_reached"])
        page.locator("#drill-table tr:has(th[scope=row]) button").nth(
            [o["key"] for o in district["okrugs"]].index(okrug["key"])).click()  # fmt: skip
        page.wait_for_selector("#drill-table.villages")
        inside = world.coverage(campaign=world.current, okrug=okrug["key"])
        assert page.locator("#drill-table tr[data-kato]").count() == len(inside["villages"])
        assert page.locator("#map [data-status]").count() == len(inside["villages"])
        assert f"okrug={okrug['key']}" in page.get_attribute("#export-csv", "href")
        assert f"okrug={okrug['key']}" in page.url  # the view can be bookmarked
        reached = page.locator("#map [data-status=reached], #map [data-status=reached_unknown]")
        assert reached.count() == okrug["villages_reached"]
        page.click("#crumbs button >> nth=0")  # back to all districts
        page.wait_for_selector("#drill-table.districts")
        assert page.locator("#map [data-status]").count() == all_villages
    finally:
        page.context.close()


def karmakshy_name(world: World) -> str:
    district = world.http.get(f"/api/v1/districts/{KARMAKSHY}").json()
    return str(district["names"]["kk"] or district["names"]["ru"])


def test_map_tells_reached_unknown_and_not_reached_apart_by_shape(browser, world):
    page = open_dashboard(browser, world, "kk", SIZES[1])
    try:
        villages = world.coverage(campaign=world.current)["villages"]
        shown = page.eval_on_selector_all(
            "#map [data-status]",
            "(els) => els.map((e) => [e.dataset.kato, e.dataset.status, e.tagName, e.getAttribute('fill')])",
        )
        by_kato = {v["kato"]: v for v in villages}
        fills: dict[str, set[str]] = {}
        for kato, status, tag, fill in shown:
            v = by_kato[kato]
            expected = ("not_reached" if not v["reached"]
                        else "reached_unknown" if v["population"] is None else "reached")  # fmt: skip
            assert status == expected
            assert tag == ("circle" if v["population"] is not None else "path")  # diamond
            fills.setdefault(status, set()).add(fill)
        assert {"not_reached", "reached", "reached_unknown"} <= set(fills)
        assert fills["reached_unknown"].isdisjoint(fills["reached"] | fills["not_reached"])
        assert page.locator("#map-legend svg").count() == 7
    finally:
        page.context.close()


def test_progress_and_comparison_match_the_api(browser, world):
    page = open_dashboard(browser, world, "en", SIZES[1])
    try:
        data = world.coverage(campaign=world.current)
        rows = data["progress"]
        assert rows and rows[-1]["villages_reached"] == data["headline"]["villages_reached"]
        assert page.locator("#progress-table tr:has(th[scope=row])").count() == len(rows)
        assert page.locator("#chart-villages polyline.actual").count() == 1
        assert page.locator("#chart-villages polyline.plan").count() == 1
        page.wait_for_selector("#compare-table")
        # the current campaign beside the one before it in time: here the later one comes next
        assert page.input_value("select[name=compare-a]") == f"c:{world.current}"
        assert page.input_value("select[name=compare-b]") == f"c:{world.later}"
        later = world.coverage(campaign=world.later)
        cells = [spaced(r.locator("td").all_text_contents()[0]) for r in
                 page.locator("#compare-table tr:has(th[scope=row])").all()]  # fmt: skip
        assert (
            cells[0]
            == f"{data['headline']['villages_reached']} of {data['headline']['villages_in_scope']}"
        )
        other = [spaced(r.locator("td").all_text_contents()[1]) for r in
                 page.locator("#compare-table tr:has(th[scope=row])").all()]  # fmt: skip
        assert (
            other[0]
            == f"{later['headline']['villages_reached']} of {later['headline']['villages_in_scope']}"
        )
        year = kazakhstan_today().year
        page.select_option("select[name=compare-b]", f"y:{year}")  # a season: a calendar year
        season = world.coverage(**{"from": f"{year}-01-01", "to": f"{year}-12-31"})
        expected = (
            f"{season['headline']['villages_reached']} of {season['headline']['villages_in_scope']}"
        )
        page.wait_for_function(
            "(text) => document.querySelector('#compare-table tr:nth-child(2) td:nth-child(3)')"
            ".textContent === text", arg=expected)  # fmt: skip
        page.select_option("select[name=campaign]", "all")  # "all campaigns", chosen on purpose
        page.wait_for_function(
            "() => document.querySelector('#head-meetings').textContent.includes('all campaigns')"
        )
        everything = world.coverage()["headline"]
        assert f"{everything['villages_reached']} of" in page.text_content("#head-villages")
        page.fill("input[name=from]", "31.02.2026")  # not a day: said, and nothing changes
        page.press("input[name=from]", "Enter")
        page.wait_for_selector("input[name=from][aria-invalid]")
        page.fill(
            "input[name=from]", (kazakhstan_today() - timedelta(days=10)).strftime("%d.%m.%Y")
        )
        page.press("input[name=from]", "Enter")
        page.wait_for_function("() => location.hash.includes('from=')")
    finally:
        page.context.close()


def download(page: Any, selector: str) -> bytes:
    with page.expect_download() as info:
        page.click(selector)
    return Path(info.value.path()).read_bytes()


def test_each_export_button_downloads_a_file_that_opens(browser, world):
    page = open_dashboard(browser, world, "kk", SIZES[0])
    try:
        page.click(f"#drill-table button:has-text('{karmakshy_name(world)}')")  # the filter holds
        page.wait_for_selector("#drill-table.okrugs")
        district = world.coverage(campaign=world.current, district=KARMAKSHY)

        page.select_option("#export-level", "villages")
        raw = download(page, "#export-csv")
        assert raw.startswith(b"\xef\xbb\xbf")  # a byte-order mark, for Excel on Windows
        rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
        assert len(rows) == len(district["villages"])
        assert all(r["name_ru"] and r["kato"].startswith("4346") for r in rows)
        assert "name_kk" in rows[0]
        assert sum(float(r["attendance"]) for r in rows) == pytest.approx(
            district["headline"]["residents_reached"], abs=0.1)  # fmt: skip

        page.select_option("#export-level", "okrugs")
        raw = download(page, "#export-csv-semicolon")
        lines = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
        header, body = lines[0], lines[1:]
        assert header[:4] == ["key", "name_kk", "name_ru", "name_en"]
        assert len(body) == len(district["okrugs"]) and all(r[2] for r in body)
        assert [int(r[header.index("villages_reached")]) for r in body] == [
            o["villages_reached"] for o in district["okrugs"]]  # fmt: skip

        book = openpyxl.load_workbook(io.BytesIO(download(page, "#export-xlsx")))
        sheet = book["districts"]
        assert sheet.freeze_panes == "B2"
        header = [c.value for c in sheet[1]]
        [row] = [[c.value for c in r] for r in sheet.iter_rows(min_row=2)]
        assert row[0] == KARMAKSHY and row[header.index("name_ru")]
        assert isinstance(row[header.index("villages_in_scope")], int)
        assert isinstance(row[header.index("residents_reached")], int | float)
        villages = book["villages"]
        assert villages.max_row - 1 == len(district["villages"])
        assert villages.column_dimensions["C"].width > 8

        geo = json.loads(download(page, "#export-geojson"))
        assert len(geo["features"]) == len(district["villages"])
        assert {f["properties"]["district"] for f in geo["features"]} == {KARMAKSHY}
    finally:
        page.context.close()
