"""Fixtures for sync tests: a coordinator and an enrolled phone of team-1."""

from __future__ import annotations

import pytest

from tests.conftest import enrol_device


@pytest.fixture
async def phone(client, anonymous_phone, database):
    """A phone of team-1, enrolled and sending its device token."""
    await enrol_device(client, anonymous_phone, database, "field-a", "team-1")
    return anonymous_phone
