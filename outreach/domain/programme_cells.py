"""The cells of a programme operator's list: each column's value read as what it says (a stage
from the words people write, a Kazakhstan phone, a date, whole tenge, a programme), or refused
with what is wrong as an English message, a code and the value read, for a client to say it
in its own language (outreach/domain/programme_lists.py reads the rows)."""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from outreach.domain.records import PROGRAMMES, normalise_phone
from outreach.domain.residents import stage_date_problem

MAX_TENGE = 10**13
STAGES: dict[str, tuple[str, ...]] = {
    "contacted": ("contacted", "связались", "связался", "хабарласылды", "хабарласты"),
    "referred": ("referred", "направлен", "направлена", "направлены", "жіберілді", "жолданды"),
    "trained": ("trained", "обучен", "обучена", "обучены", "прошел обучение", "прошла обучение",
                "оқытылды", "оқыды"),
    "defended": ("defended", "защитил", "защитила", "защитили", "защитил проект", "қорғады"),
    "financed": (
        "financed", "funded", "профинансирован", "профинансирована", "профинансированы",
        "одобрен", "одобрена", "қаржыландырылды", "қаржыланды",
    ),
    "dropped": ("dropped", "выбыл", "выбыла", "отказ", "отказался", "отказалась", "отказались",
                "бас тартты"),
}  # fmt: skip
LIMITS = {"name": 200, "funding_source": 200, "reason": 500, "note": 2000}
_AMOUNT = re.compile(r"([0-9]{1,3}(?:[ \u00a0\u202f][0-9]{3})+|[0-9]+)(?:[.,]0{1,2})?")


class BadCell(Exception):
    """A cell's value is wrong; the message says how (in English, for logs and the API), the
    `code` what is wrong and `value` the cell as read, for a client to say it in its language."""

    def __init__(self, message: str, code: str, value: Any = None) -> None:
        super().__init__(message)
        self.code, self.value = code, value


def fold(text: str) -> str:
    """Case, spaces, hyphens, punctuation and parenthesised notes folded away."""
    return re.sub(r"\([^)]*\)|[\W_]+", "", text.casefold().replace("ё", "е"))


_STAGE_WORDS = {fold(word): stage for stage, words in STAGES.items() for word in words}
_PROGRAMME_NAMES = {
    fold(name): key for key, names in PROGRAMMES.items() for name in (key, *names.values())
}


def cell_text(value: Any) -> str:
    """A cell as text: a whole number as a spreadsheet shows it (87011234567, not ...567.0)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def limited(column: str) -> Callable[[Any], str]:
    def parse(value: Any) -> str:
        text = cell_text(value)
        if column == "name":
            text = " ".join(text.split())
        if len(text) > LIMITS[column]:
            raise BadCell(
                f"{column} is longer than {LIMITS[column]} characters", "too_long", LIMITS[column]
            )
        return text

    return parse


def stage_of(value: Any) -> str:
    text = cell_text(value)
    stage = _STAGE_WORDS.get(fold(text))
    if stage is None:
        known = ", ".join(STAGES)
        raise BadCell(
            f"stage {text!r} is not one of {known} (or their Russian or Kazakh words)",
            "unknown_stage",
            text,
        )
    return stage


def phone_of(value: Any) -> str:
    phone = normalise_phone(cell_text(value))
    if phone is None:
        raise BadCell(
            f"phone {cell_text(value)!r} is not a Kazakhstan number (+7 and ten digits)",
            "bad_phone",
            cell_text(value),
        )
    return phone


def date_of(value: Any) -> date:
    if isinstance(value, datetime):  # an xlsx date cell
        return value.date()
    text = cell_text(value)
    for pattern in ("%Y-%m-%d", "%d.%m.%Y"):
        with contextlib.suppress(ValueError):
            return datetime.strptime(text, pattern).date()
    raise BadCell(f"date {text!r} is not a date (YYYY-MM-DD or DD.MM.YYYY)", "bad_date", text)


def stage_date(today: date | None) -> Callable[[Any], date]:
    """A stage's date, in the programme era and not in the future when `today` is known."""

    def parse(value: Any) -> date:
        on = date_of(value)
        if today is not None and (problem := stage_date_problem(on, today)):
            raise BadCell(f"date {on.isoformat()} is not {problem['message']}", "date_out_of_range",
                       on.isoformat())  # fmt: skip
        return on

    return parse


def amount_of(value: Any) -> int:
    if isinstance(value, int | float) and not isinstance(value, bool):
        if not float(value).is_integer():
            raise BadCell(f"amount {value} is not a whole number of tenge", "bad_amount", value)
        number, negative = int(value), value < 0
    else:
        text = cell_text(value)
        match = _AMOUNT.fullmatch(text.lstrip("-−"))
        if match is None:
            raise BadCell(f"amount {text!r} is not a whole number of tenge", "bad_amount", text)
        number, negative = int(re.sub("[^0-9]", "", match[1])), text[0] in "-−"
    if negative:
        raise BadCell(f"amount {value!r} is negative", "negative_amount", value)
    if number > MAX_TENGE:
        raise BadCell(
            f"amount {value!r} is more than {MAX_TENGE:,} tenge", "amount_too_large", MAX_TENGE
        )
    return number


def programme_of(value: Any) -> str:
    text = cell_text(value)
    programme = _PROGRAMME_NAMES.get(fold(text))
    if programme is None:
        raise BadCell(
            f"programme {text!r} is not one of {', '.join(PROGRAMMES)}", "unknown_programme", text
        )
    return programme
