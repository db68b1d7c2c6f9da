"""Fixtures for sync tests: a coordinator and an enrolled phone of team-1."""

from __future__ import annotations

import random

import pytest
from litestar.testing import AsyncTestClient

from outreach.app import create_app
from tests.conftest import enrol_device
from tests.sync.phone import make_meeting
from tests.sync.test_push import push


@pytest.fixture
async def phone(client, anonymous_phone, database):
    """A phone of team-1, enrolled and sending its device token."""
    await enrol_device(client, anonymous_phone, database, "field-a", "team-1")
    return anonymous_phone


@pytest.fixture
async def pair(client, anonymous_phone, settings, database):
    """Two phones of team-1 that both hold version 1 of one meeting."""
    await enrol_device(client, anonymous_phone, database, "field-a", "team-1")
    async with AsyncTestClient(app=create_app(settings)) as second:
        await enrol_device(client, second, database, "field-b", "team-1")
        meeting = make_meeting(random.Random(20))
        await push(anonymous_phone, [meeting])
        yield anonymous_phone, second, meeting["record_id"]
