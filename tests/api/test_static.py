"""The service serves the field app itself."""

from __future__ import annotations

import re

import pytest


async def test_root_redirects_to_app_and_app_is_served(client) -> None:
    response = await client.get("/", follow_redirects=False)
    assert response.status_code in (301, 302, 307, 308)
    assert response.headers["location"] == "/app/"
    page = await client.get("/app/")
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    assert 'lang="kk"' in page.text
    # the console and the dashboard at the addresses people type first
    for typed, page_path in (("/console", "/app/console.html"), ("/dashboard/",
                                                                "/app/dashboard.html")):  # fmt: skip
        moved = await client.get(typed, follow_redirects=False)
        assert (moved.status_code, moved.headers["location"]) == (302, page_path)
        assert (await client.get(page_path)).status_code == 200


async def test_responses_carry_a_request_id(client) -> None:
    response = await client.get("/health", headers={"x-request-id": "abc-123"})
    assert response.headers["x-request-id"] == "abc-123"
    generated = await client.get("/health", headers={"x-request-id": "bad id\twith spaces"})
    assert generated.headers["x-request-id"] != "bad id\twith spaces"


@pytest.mark.parametrize("path", ["/schema", "/app/"])
async def test_pages_load_nothing_from_the_internet(client, path: str) -> None:
    page = (await client.get(path)).text
    references = re.findall(r"""(?:src|href)\s*=\s*["']([^"']+)""", page)
    assert references
    assert not [ref for ref in references if re.match(r"(?i)^(https?:)?//", ref)]
    for ref in references:
        if ref.startswith("/"):
            assert (await client.get(ref)).status_code == 200, ref


async def test_every_api_operation_is_described_for_readers(client) -> None:
    spec = (await client.get("/schema/openapi.json")).json()
    operations = [op for item in spec["paths"].values() for op in item.values()]
    assert len(operations) >= 12
    for operation in operations:
        assert len(operation.get("description", "")) > 20, operation["operationId"]
