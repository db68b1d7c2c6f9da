"""Every error code the server can answer with, and every reason it can refuse a pushed record
for, has a text in each of the field app's catalogues; the Kazakh and Russian ones hold no
English."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

import outreach.app  # noqa: F401  (imports every module that defines a DomainError)
from outreach.api.errors import declared_codes
from outreach.domain.errors import DomainError
from outreach.domain.sync import REJECTION_REASONS

I18N = Path(__file__).resolve().parents[2] / "static" / "pwa" / "i18n"
CODES = sorted(declared_codes() | set(REJECTION_REASONS) | {"network", "unknown"})
PHONE_TEMPLATE = "+7 7XX XXX XX XX"


def catalogue(lang: str) -> dict[str, str]:
    return json.loads((I18N / f"{lang}.json").read_text(encoding="utf-8"))


def test_the_declared_codes_are_found_where_they_are_defined():
    codes = declared_codes()
    # the domain's, found by walking its subclasses, and the HTTP layer's own
    assert {"invalid_enrolment_code", "device_revoked", "use_enrolled_phone"} <= codes
    assert {"validation_failed", "body_too_large", "internal_error"} <= codes
    assert all(cls.code in codes for cls in DomainError.__subclasses__())
    assert {"unknown_plan_meeting", "invalid_field", "malformed"} <= set(REJECTION_REASONS)


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_every_code_has_a_text(lang):
    texts = catalogue(lang)
    missing = [code for code in CODES if not texts.get(f"errcode.{code}", "").strip()]
    assert not missing, missing


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_no_english_in_kazakh_or_russian_error_texts(lang):
    for key, text in catalogue(lang).items():
        if key.startswith(("errcode.", "error.", "refused.")):
            words = re.findall(
                r"[A-Za-z]{2,}", re.sub(r"\{\w+\}", "", text.replace(PHONE_TEMPLATE, ""))
            )
            assert not words, (key, text)
