"""The field app's cache version: a hash of every file of the app shell that sw.js precaches,
written into sw.js so that any change to the app makes browsers install the new version.

Run after changing anything under static/pwa/: `python scripts/pwa_version.py --write`
(a test fails, naming this command, while the version is stale).
"""

from __future__ import annotations

import hashlib
import re
import sys
from pathlib import Path

PWA = Path(__file__).resolve().parent.parent / "static" / "pwa"
_SHELL = re.compile(r"const SHELL = \[(.*?)\];", re.S)
_VERSION = re.compile(r"const VERSION = '([^']*)';")


def shell_paths(root: Path = PWA) -> list[str]:
    """The paths sw.js precaches, as written there (`./` is index.html)."""
    found = _SHELL.search((root / "sw.js").read_text(encoding="utf-8"))
    assert found, "sw.js has no SHELL list"
    return re.findall(r"'([^']+)'", found.group(1))


def shell_file(root: Path, path: str) -> Path:
    """The file behind a precached path."""
    return root / ("index.html" if path == "./" else path)


def version(root: Path = PWA) -> str:
    """12 hex digits of SHA-256 over every shell file's path and bytes, and sw.js without its
    version line."""
    digest = hashlib.sha256()
    for path in shell_paths(root):
        digest.update(path.encode() + b"\0" + shell_file(root, path).read_bytes() + b"\0")
    worker = _VERSION.sub("", (root / "sw.js").read_text(encoding="utf-8"))
    digest.update(worker.encode())
    return digest.hexdigest()[:12]


def written(root: Path = PWA) -> str:
    """The version sw.js carries now."""
    found = _VERSION.search((root / "sw.js").read_text(encoding="utf-8"))
    assert found, "sw.js has no VERSION line"
    return found.group(1)


def main() -> int:
    now = version()
    if "--write" in sys.argv:
        worker = PWA / "sw.js"
        text = _VERSION.sub(f"const VERSION = '{now}';", worker.read_text(encoding="utf-8"))
        worker.write_text(text, encoding="utf-8")
        print(f"sw.js VERSION = {now}")
        return 0
    print(now)
    return 0 if now == written() else 1


if __name__ == "__main__":
    sys.exit(main())
