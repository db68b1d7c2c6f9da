"""The layering of the house style, checked on the source: geo/ never imports outreach, only
api/ and app.py import Litestar, only db/ speaks to SQLite or PostgreSQL, domain/ does no I/O."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def sources(*folders: str) -> list[Path]:
    return sorted(p for folder in folders for p in (ROOT / folder).rglob("*.py"))


def importers(prefix: str) -> set[str]:
    return {
        str(path.relative_to(ROOT))
        for path in sources("outreach", "geo")
        if any(name == prefix or name.startswith(prefix + ".") for name in imported_modules(path))
    }


def test_geo_never_imports_outreach() -> None:
    assert not {p for p in importers("outreach") if p.startswith("geo/")}


@pytest.mark.parametrize(("module", "allowed"), [
    ("litestar", ("outreach/api/", "outreach/app.py")),
    ("aiosqlite", ("outreach/db/",)),
    ("sqlite3", ("outreach/db/",)),
    ("psycopg", ("outreach/db/",)),
    ("psycopg_pool", ("outreach/db/",)),
    ("uvicorn", ("outreach/cli/serve.py",)),
])  # fmt: skip
def test_only_its_layer_imports(module: str, allowed: tuple[str, ...]) -> None:
    assert {p for p in importers(module) if not p.startswith(allowed)} == set()


def test_domain_does_no_io() -> None:
    forbidden = {"outreach.db", "outreach.services", "outreach.api", "aiosqlite", "litestar"}
    for path in sources("outreach/domain"):
        assert not imported_modules(path) & forbidden, path
