"""Fixtures for sync tests: a coordinator and an enrolled phone of team-1."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import enrol_device


@pytest.fixture
async def phone(client, anonymous_phone, db_path: Path):
    """A phone of team-1, enrolled and sending its device token."""
    await enrol_device(client, anonymous_phone, db_path, "field-a", "team-1")
    return anonymous_phone
