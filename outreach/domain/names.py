"""Name folding: one Latin skeleton for Kazakh, Russian and Latin spellings of a place name."""

from __future__ import annotations

import re

from anyascii import anyascii

# Spelling variants that differ between Kazakh, Russian and Latin renderings of one toponym:
# Қ/К -> q/k, Ғ/Г -> gh/g, Ң/Н -> ng/n, Х/Һ -> kh/h, Й/Ы/И -> y/i.
_VARIANTS = (("kh", "k"), ("gh", "g"), ("q", "k"), ("ng", "n"), ("dzh", "zh"), ("y", "i"))
_NOT_ALNUM = re.compile(r"[^a-z0-9]+")
_DOUBLED = re.compile(r"([a-z])\1+")


def fold(text: str) -> str:
    """Fold a name or query to its search skeleton: `жосалы`, `ЖОСАЛЫ`, `Zhosaly` -> `zhosali`."""
    latin = anyascii(text.casefold()).lower()
    latin = _NOT_ALNUM.sub("", latin)
    for variant, canonical in _VARIANTS:
        latin = latin.replace(variant, canonical)
    return _DOUBLED.sub(r"\1", latin)


def search_key(*names: str | None) -> str:
    """The stored key that a folded query is matched against (any of the names, as a substring)."""
    return "|".join(fold(name) for name in names if name)


def transliterate(text: str) -> str:
    """A readable Latin rendering of a Cyrillic name, for English names no source gives."""
    return anyascii(text).replace("'", "")
