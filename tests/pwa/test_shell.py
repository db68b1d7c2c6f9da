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
    assert needed <= set(paths), needed - set(paths)


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


def strings(lang: str) -> dict[str, str]:
    return json.loads((PWA / "i18n" / f"{lang}.json").read_text(encoding="utf-8"))


def test_translation_files_have_identical_keys_and_no_blank_text():
    keys = [set(strings(lang)) for lang in LANGS]
    assert keys[0] == keys[1] == keys[2]
    for lang in LANGS:
        assert all(text.strip() for text in strings(lang).values()), lang
        placeholders = {k: set(re.findall(r"\{\w+\}", v)) for k, v in strings(lang).items()}
        assert placeholders == {k: set(re.findall(r"\{\w+\}", v)) for k, v in
                                strings("en").items()}, lang  # fmt: skip


def used_keys() -> set[str]:
    code = "\n".join(p.read_text(encoding="utf-8") for p in (PWA / "js").rglob("*.js"))
    found = set(re.findall(r"\b(?:t|field|row)\('([a-z_]+\.[a-z_.]+)'", code))
    for page in ("index.html", "dashboard.html"):
        found |= set(re.findall(r'data-i18n="([a-z_.]+)"', (PWA / page).read_text()))
    return found


def test_every_string_the_app_uses_is_translated():
    missing = used_keys() - set(strings("kk"))
    assert not missing


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
    files = [p for p in PWA.rglob("*") if p.suffix in (".js", ".css")]
    total = sum(len(gzip.compress(p.read_bytes(), 9)) for p in files)
    assert total <= 150 * 1024, total


def test_nothing_is_loaded_from_the_internet():
    for path in PWA.rglob("*"):
        if path.suffix not in (".js", ".css", ".html", ".json", ".webmanifest"):
            continue
        text = path.read_text(encoding="utf-8").replace("http://www.w3.org/2000/svg", "")
        assert not re.search(r"https?://|//cdn|@import url", text), path
