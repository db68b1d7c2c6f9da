"""The audit log over HTTP: filtered and paged on the server, so that an admin finds a line
however long the log has grown."""

from __future__ import annotations

import pytest
from litestar.testing import AsyncTestClient

from outreach.app import create_app
from tests.conftest import sign_in

# (day, actor, action) of the lines written before each test, oldest first
LINES = [
    ("2026-11-01", "aidos", "records.village_read"),
    ("2026-11-02", "anonymous", "user.sign_in_failed"),
    ("2026-11-03", "aidos", "plan.published"),
    ("2026-11-04", "cli", "user.create"),
    ("2026-11-05", "aidos", "records.village_read"),
    ("2026-11-06", "bota", "plan.published_double_booked"),
    ("2026-11-07", "aidos", "user.team"),
]


@pytest.fixture
async def admin(settings, database):
    async with AsyncTestClient(app=create_app(settings)) as client:
        await sign_in(client, database, "admin")
        for day, actor, action in LINES:
            database.execute(
                "INSERT INTO audit_log (at, actor, action, object, client, outcome)"
                " VALUES (?, ?, ?, NULL, '10.0.0.1', 'ok')",
                (f"{day}T09:00:00.000+00:00", actor, action),
            )
        yield client


async def _lines(admin, **query) -> list[tuple[str, str, str]]:
    response = await admin.get("/api/v1/audit", params=query)
    assert response.status_code == 200, response.text
    return [(e["at"][:10], e["actor"], e["action"]) for e in response.json()]


async def test_the_log_is_filtered_by_actor_action_and_day_on_the_server(admin) -> None:
    assert await _lines(admin, actor="aidos", action="village_read") == [LINES[4], LINES[0]]
    assert await _lines(admin, actor="aidos", since="2026-11-05") == [LINES[6], LINES[4]]
    # the console sends the user's midnight: 5 November 00:00 at UTC+5 is 4 November 19:00 UTC
    assert await _lines(admin, actor="cli", since="2026-11-04T00:00:00+05:00") == [LINES[3]]
    assert await _lines(admin, actor="cli", since="2026-11-04T09:00:01.000Z") == []
    assert await _lines(admin, actor="cli", since="2026-11-04T04:00:00-05:00") == [LINES[3]]
    # an action's text is matched as written: `_` and `%` are no wildcards
    assert await _lines(admin, action="published_") == [LINES[5]]
    assert await _lines(admin, action="%") == []
    assert await _lines(admin, actor="nobody") == []
    assert await _lines(admin, limit=1) == [LINES[-1]]  # newest first


async def test_pages_after_the_last_line_shown_reach_every_line_once(admin, database) -> None:
    shown: list[int] = []
    before = None
    for _ in range(10):  # bounded: a server ignoring `before` gives the same page forever
        query = {"limit": 3} | ({"before": before} if before else {})
        page = (await admin.get("/api/v1/audit", params=query)).json()
        shown += [entry["id"] for entry in page]
        if len(page) < 3:
            break
        before = page[-1]["id"]
    assert len(shown) == len(set(shown)) == database.scalar("SELECT count(*) FROM audit_log")
    assert len(shown) > len(LINES)  # the admin's sign-in is there too
    assert shown == sorted(shown, reverse=True)
    again = (await admin.get("/api/v1/audit", params={"limit": 1000})).json()
    assert [e["id"] for e in again] == shown


@pytest.mark.parametrize(
    ("query", "status"),
    [
        ({"since": "5 November"}, 400),
        ({"since": "2026-11-05T09:00+5"}, 400),
        ({"since": "2026-11-31"}, 422),  # the shape of a day, but no such day
        ({"before": "0"}, 400),
        ({"before": "x"}, 400),
        ({"actor": ""}, 400),
        ({"action": "a" * 65}, 400),
        ({"limit": "1001"}, 400),
    ],
)
async def test_a_bad_filter_is_refused_with_a_reason(admin, query, status) -> None:
    response = await admin.get("/api/v1/audit", params=query)
    assert response.status_code == status
    assert response.json()["code"] and response.json()["message"]
