"""Every answer carries the headers that tell browsers what the service's pages may do
(api/security_headers.py): the pages, the API, errors, the router's own 404 and 405, and the
API viewer, the one place inline scripts may run."""

# ruff: noqa: F811 (the tests take the imported fixtures by name)
from __future__ import annotations

import pytest

from tests.shared_app import client, database  # noqa: F401 (fixtures, by name)

pytestmark = pytest.mark.asyncio(loop_scope="module")

ANSWERS = [
    ("GET", "/app/", 200),
    ("GET", "/app/console.html", 200),
    ("GET", "/app/js/app.js", 200),
    ("GET", "/api/v1/villages?limit=1", 200),
    ("GET", "/api/v1/villages?limit=0", 400),
    ("GET", "/api/v1/plans/1", 404),
    ("GET", "/api/v1/photos/" + "0" * 64, 404),
    ("GET", "/api/v1/no-such-thing", 404),  # the router's own
    ("DELETE", "/api/v1/villages", 405),  # the router's own
    ("GET", "/health", 200),
]


def directives(policy: str) -> dict[str, set[str]]:
    parts = (p.split() for p in policy.split(";") if p.strip())
    return {name: set(values) for name, *values in parts}


@pytest.mark.parametrize(("method", "path", "status"), ANSWERS)
async def test_every_answer_limits_what_a_page_may_do(client, method, path, status):
    answer = await client.request(method, path)
    assert answer.status_code == status, answer.text
    assert answer.headers["x-content-type-options"] == "nosniff"
    assert answer.headers["referrer-policy"] == "same-origin"
    assert answer.headers["x-frame-options"] == "DENY"
    policy = directives(answer.headers["content-security-policy"])
    assert policy["script-src"] == {"'self'"}  # no inline script, no eval, no other origin
    assert policy["default-src"] == policy["connect-src"] == {"'self'"}
    assert policy["frame-ancestors"] == policy["object-src"] == {"'none'"}
    # the API's answers (names, phones, CSRF tokens) are kept by no cache
    if path.startswith("/api/"):
        assert answer.headers["cache-control"] == "no-store"


async def test_only_the_api_viewer_may_run_its_inline_start(client):
    for path in ("/schema", "/schema/openapi.json"):
        answer = await client.get(path)
        assert answer.status_code == 200, path
        policy = directives(answer.headers["content-security-policy"])
        assert policy["script-src"] == {"'self'", "'unsafe-inline'"}
        assert policy["frame-ancestors"] == {"'none'"}
        assert answer.headers["x-content-type-options"] == "nosniff"
    # a path that only begins like it gets the strict policy
    answer = await client.get("/schemas")
    assert directives(answer.headers["content-security-policy"])["script-src"] == {"'self'"}
