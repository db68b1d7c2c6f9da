"""Fixtures for a module whose tests can share one app and database per engine (reads only,
or each test with objects of its own): building an app takes 0.1 s and a PostgreSQL database
more. A module imports them, which overrides the per-test ones, and runs on the module's
event loop:

    # ruff: noqa: F811 (the tests take the imported fixtures by name)
    from tests.shared_app import client, database  # noqa: F401 (fixtures, by name)
    pytestmark = pytest.mark.asyncio(loop_scope="module")
"""

from __future__ import annotations

import pytest
from litestar.testing import AsyncTestClient

from tests.engines import TestDatabase


@pytest.fixture(scope="module")
def database(module_database: TestDatabase) -> TestDatabase:
    return module_database


@pytest.fixture(scope="module")
def client(module_client: AsyncTestClient) -> AsyncTestClient:  # type: ignore[type-arg]
    return module_client
