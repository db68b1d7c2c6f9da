"""Fixtures for sync tests: a coordinator and an enrolled phone of team-1."""

from __future__ import annotations

import random

import pytest

from tests.conftest import enrol_device, two_phones
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
    same_team = ("team-1", "team-1")
    async with two_phones(client, anonymous_phone, settings, database, same_team) as (
        first,
        second,
    ):
        meeting = make_meeting(random.Random(20))
        await push(first, [meeting])
        yield first, second, meeting["record_id"]
