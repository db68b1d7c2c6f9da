"""Names in alphabetical order as a Kazakh reader expects it: a key whose code point (byte)
order is the order of the Kazakh Cyrillic alphabet, case blind, the same on every engine.

А Ә Б В Г Ғ Д Е Ё Ж З И Й К Қ Л М Н Ң О Ө П Р С Т У Ұ Ү Ф Х Һ Ц Ч Ш Щ Ъ Ы І Ь Э Ю Я

Code points put Ә, Ғ, Қ, Ң, Ө, Ұ, Ү, Һ and І after Я (and Ё before А): the key lowercases
ASCII and Russian letters and spells each other letter of the alphabet as the letter it
follows and MARK, which sorts after every letter that can follow it (Қ is к and MARK: after
"кя", before "л"). Latin names come before Cyrillic ones. The migration that adds the column
`residents.name_order` spells the same mapping in SQL (a test keeps the two in step)."""

from __future__ import annotations

import unicodedata

MARK = "\u04ff"
"""Sorts after every Russian letter: what makes Қ come after К and everything that begins with К."""

KAZAKH_ALPHABET = "АӘБВГҒДЕЁЖЗИЙКҚЛМНҢОӨПРСТУҰҮФХҺЦЧШЩЪЫІЬЭЮЯ"

# the letters that are not in Russian's run of code points, each after the letter it follows
# in the alphabet; Ү follows Ұ, which follows У
_EXTRA = {"Ә": "а", "Ғ": "г", "Ё": "е", "Қ": "к", "Ң": "н", "Ө": "о", "Ұ": "у", "Ү": "у" + MARK,
          "Һ": "х", "І": "ы"}  # fmt: skip

ORDER_MAP: dict[str, str] = {
    **{chr(c): chr(c + 32) for c in range(ord("A"), ord("Z") + 1)},
    **{chr(c): chr(c + 32) for c in range(ord("А"), ord("Я") + 1)},
    **{k: v + MARK for upper, v in _EXTRA.items() for k in (upper, upper.lower())},
}
"""Every letter the key changes, and what it becomes; nothing it becomes is changed again."""

_TABLE = str.maketrans(ORDER_MAP)


def name_order(name: str | None) -> str | None:
    """The key a name sorts by (None for no name): compare keys code point by code point. A
    letter typed as a base and a combining mark (И and a breve for Й) is one letter first."""
    return None if name is None else unicodedata.normalize("NFC", name).translate(_TABLE)
