"""The field app's files, without a browser: the service worker's precache list, its version,
the manifest and icons, the translation files, the size budget, no internet."""

from __future__ import annotations

import gzip
import json
import re
import struct
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "scripts"))
from pwa_version import PWA, shell_file, shell_paths, version, written

LANGS = ("kk", "ru", "en")


def test_every_precached_file_exists_and_every_module_is_precached():
    paths = shell_paths()
    for path in paths:
        assert shell_file(PWA, path).is_file(), path
    served = {str(p.relative_to(PWA)) for p in PWA.rglob("*") if p.is_file()}
    needed = {p for p in served if p.endswith((".js", ".json", ".css", ".png"))} - {"sw.js"}
    needed -= {p for p in served if is_console(p)}  # online only: never in the phone's cache
    assert needed <= set(paths), needed - set(paths)


def is_console(path: str) -> bool:
    """The coordinators' console: served beside the field app, never precached by it."""
    return path.startswith(("js/console/", "i18n/console/")) or path in {
        "console.html", "css/console.css"}  # fmt: skip


def test_the_console_is_never_served_from_the_field_apps_cache():
    worker = (PWA / "sw.js").read_text(encoding="utf-8")
    assert not [p for p in shell_paths() if is_console(p)]
    rule = re.search(r"if \(/(.+)/\.test\(url\.pathname\)\) return;", worker)
    assert rule is not None, "sw.js lets console requests go to the network"
    bypass = re.compile(rule.group(1))
    for path in ("/app/console.html", "/app/js/console/app.js", "/app/i18n/console/kk.json",
                 "/app/css/console.css"):  # fmt: skip
        assert bypass.search(path), path
    for path in ("/app/", "/app/js/app.js", "/app/i18n/kk.json", "/app/dashboard.html"):
        assert not bypass.search(path), path


def test_service_worker_version_is_the_hash_of_the_shell():
    assert written() == version(), "run: python scripts/pwa_version.py --write"


def png_size(path: Path) -> tuple[int, int]:
    head = path.read_bytes()[:24]
    assert head[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", head[16:24])
    return width, height


def test_manifest_is_complete_and_its_icons_are_what_it_says():
    manifest = json.loads((PWA / "manifest.webmanifest").read_text(encoding="utf-8"))
    assert manifest["lang"] == "kk" and manifest["display"] == "standalone"
    assert manifest["start_url"].startswith(manifest["scope"])
    assert manifest["theme_color"] and manifest["background_color"]
    purposes = set()
    for icon in manifest["icons"]:
        width, height = png_size(PWA / icon["src"])
        assert icon["sizes"] == f"{width}x{height}"
        purposes.add((icon["sizes"], icon["purpose"]))
    assert {("192x192", "any"), ("512x512", "any"), ("512x512", "maskable")} <= purposes


def strings(lang: str, part: str = "") -> dict[str, str]:
    folder = PWA / "i18n" / part if part else PWA / "i18n"
    return json.loads((folder / f"{lang}.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("part", ["", "console"])
def test_translation_files_have_identical_keys_and_no_blank_text(part):
    keys = [set(strings(lang, part)) for lang in LANGS]
    assert keys[0] == keys[1] == keys[2]
    for lang in LANGS:
        assert all(text.strip() for text in strings(lang, part).values()), lang
        placeholders = {k: set(re.findall(r"\{\w+\}", v)) for k, v in
                        strings(lang, part).items()}  # fmt: skip
        assert placeholders == {k: set(re.findall(r"\{\w+\}", v)) for k, v in
                                strings("en", part).items()}, lang  # fmt: skip


def used_keys() -> set[str]:
    code = "\n".join(p.read_text(encoding="utf-8") for p in (PWA / "js").rglob("*.js")
                     if not is_console(str(p.relative_to(PWA))))  # fmt: skip
    found = set(re.findall(r"\b(?:t|field|row)\('([a-z_]+\.[a-z_.]+)'", code))
    for page in ("index.html", "dashboard.html"):
        found |= set(re.findall(r'data-i18n="([a-z_.]+)"', (PWA / page).read_text()))
    return found


def test_every_string_the_app_uses_is_translated():
    missing = used_keys() - set(strings("kk"))
    assert not missing


def console_keys() -> set[str]:
    code = "\n".join(p.read_text(encoding="utf-8") for p in (PWA / "js" / "console").glob("*.js"))
    code += (PWA / "console.html").read_text(encoding="utf-8")
    return set(re.findall(r"['\"]((?:con|dash|month|weekday)\.[a-z_.]+)['\"]", code))


def test_every_string_the_console_uses_is_translated():
    known = set(strings("kk")) | set(strings("kk", "console"))
    assert console_keys() - known == set()


@pytest.mark.parametrize(("prefix", "values"), [
    ("con.nav", ["season", "teams", "review", "positions", "villages", "users", "audit",
                 "dashboard"]),
    ("con.source", ["meeting", "village_position"]),
    ("con.role", ["field", "coordinator", "leadership", "admin"]),
    ("con.status", ["draft", "published", "superseded"]),
    ("con.stage", ["loading", "grouping", "distances", "routing", "saving"]),
    ("con.mstatus", ["planned", "held", "unplaced", "cancelled"]),
    ("con.reason", ["too_far_for_a_day", "no_capacity", "pinned_day_full", "no_position"]),
    ("con.quality", ["exact", "okrug_centre", "district_centre", "unknown"]),
    ("con.risk", ["records_waiting_without_sync", "clock_off", "revoked_with_records_waiting"]),
    ("con.resolve", ["keep", "restore"]),
    ("con.only", ["all", "approximate", "no_population", "no_kazakh_name"]),
    ("con.lang", ["kk", "ru", "en"]),
])  # fmt: skip
def test_console_keys_built_at_run_time_exist(prefix, values):
    assert {f"{prefix}.{v}" for v in values} <= set(strings("kk", "console"))


def refused_codes() -> list[str]:
    """The error codes on which the app keeps its outbox and asks to enrol again."""
    found = re.search(r"const REFUSED = \[([^\]]*)\]", (PWA / "js" / "sync.js").read_text())
    assert found is not None
    return re.findall(r"'([a-z_]+)'", found.group(1))


@pytest.mark.parametrize(("prefix", "values"), [
    ("programme", ["bastau_business", "microcredit", "land_plots", "utility_connections",
                   "business_adviser", "entrepreneurs_house", "other"]),
    ("meeting.status", ["held", "cancelled", "postponed"]),
    ("plan.logged", ["held", "cancelled", "postponed"]),
    ("kind", ["meeting", "followup", "village_position"]),
    ("refused", refused_codes()),
    ("meeting.attendance", ["total", "women", "youth", "entrepreneurs"]),
    ("stage", ["interested", "contacted", "referred", "trained", "defended", "financed"]),
    ("dash.filter", ["campaign", "district", "team", "from", "to"]),
])  # fmt: skip
def test_keys_built_at_run_time_exist(prefix, values):
    assert {f"{prefix}.{v}" for v in values} <= set(strings("kk"))


def test_first_load_fits_the_budget_of_150_kb_compressed():
    files = [p for p in PWA.rglob("*") if p.suffix in (".js", ".css")
             and not is_console(str(p.relative_to(PWA)))]  # fmt: skip
    total = sum(len(gzip.compress(p.read_bytes(), 9)) for p in files)
    assert total <= 150 * 1024, total


def test_the_console_fits_its_budget_of_100_kb_compressed():
    """Everything console.html loads: its own modules and styles and the shared ones."""
    own = [p for p in PWA.rglob("*") if p.suffix in (".js", ".css")
           and is_console(str(p.relative_to(PWA)))]  # fmt: skip
    shared = [
        PWA / "css" / "app.css",
        *(PWA / "js" / f for f in ("i18n.js", "ui.js", "map.js", "api.js")),
    ]
    total = sum(len(gzip.compress(p.read_bytes(), 9)) for p in own + shared)
    assert len(own) >= 10 and total <= 100 * 1024, total


def test_nothing_is_loaded_from_the_internet():
    for path in PWA.rglob("*"):
        if path.suffix not in (".js", ".css", ".html", ".json", ".webmanifest"):
            continue
        text = path.read_text(encoding="utf-8").replace("http://www.w3.org/2000/svg", "")
        assert not re.search(r"https?://|//cdn|@import url", text), path
