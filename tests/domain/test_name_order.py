"""The key residents are listed by: the Kazakh alphabet's order, case blind, compared code point
by code point."""

from __future__ import annotations

import random
from datetime import date

import pytest

from outreach.domain.name_order import KAZAKH_ALPHABET, MARK, ORDER_MAP, name_order
from outreach.domain.residents import FollowupItem, followup_order


def test_name_order_puts_the_letters_in_the_alphabets_order_whatever_their_case() -> None:
    letters = [*KAZAKH_ALPHABET, *KAZAKH_ALPHABET.lower()]
    random.Random(1).shuffle(letters)
    ordered = sorted(letters, key=name_order)
    assert "".join(dict.fromkeys(c.upper() for c in ordered)) == KAZAKH_ALPHABET
    assert all(name_order(c) == name_order(c.lower()) for c in KAZAKH_ALPHABET)
    assert len({name_order(c) for c in letters}) == len(KAZAKH_ALPHABET)


@pytest.mark.parametrize(("first", "then"), [
    ("кя", "қ"), ("қя", "л"), ("ұя", "ү"), ("уя", "Ұ"), ("үя", "ф"), ("ыя", "і"), ("ія", "ь"),
    ("ея", "ё"), ("ёя", "ж"), ("ая", "әа"), ("айгерим", "Айгүл"), ("Zarina", "Айгүл"),
    ("Ұ", "ҰА"), ("Ұ Ә", "Ұә"),
])  # fmt: skip
def test_name_order_sorts_a_letter_after_everything_begun_by_the_letter_before_it(first, then):
    assert name_order(first) < name_order(then)  # type: ignore[operator]


def test_name_order_folds_ascii_and_keeps_other_text() -> None:
    assert name_order("O'NEIL-Smith 2") == "o'neil-smith 2"
    assert name_order(None) is None
    # a letter and its combining mark, as some keyboards type them, are the letter
    assert name_order("И\u0306ршы") == name_order("Йршы") < name_order("Кә")
    assert name_order("Е\u0308лдос") == name_order("Ёлдос")
    assert name_order("") == ""
    assert all(MARK not in k and MARK not in v.rstrip(MARK) for k, v in ORDER_MAP.items())


def _followup(item_id: str, name: str | None) -> FollowupItem:
    return FollowupItem(id=1, item_id=item_id, meeting_id="m", name=name, phone=None,
                        village=None, stage="new", programme=None, next_contact=date(2027, 5, 1),
                        last_contact=None, overdue=False)  # fmt: skip


def test_followups_due_together_come_in_the_alphabets_order() -> None:
    items = [_followup(str(n), name) for n, name in enumerate(["Ілияс", "Қайрат", "Ыдырыс", "Л"])]
    assert [i.name for i in sorted(items, key=followup_order)] == ["Қайрат", "Л", "Ыдырыс",
                                                                     "Ілияс"]  # fmt: skip
