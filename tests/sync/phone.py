"""A scripted phone for sync tests: makes meeting records as mutations, and keeps an outbox
and a synced copy the way the protocol asks a client to."""

from __future__ import annotations

from typing import Any

from outreach.simulate.records import HUB, VILLAGES, make_meeting, new_id

__all__ = ["HUB", "VILLAGES", "edit", "make_meeting", "new_id", "pull_all"]


def edit(record_id: str, base_version: int, **fields: Any) -> dict[str, Any]:
    """A mutation setting single fields of an existing meeting."""
    return {
        "mutation_id": new_id(),
        "record_id": record_id,
        "kind": "meeting",
        "base_version": base_version,
        "set": fields,
    }


async def pull_all(http: Any, cursor: str | None = None, limit: int = 1000) -> tuple[dict, str]:
    """Every change after `cursor`, page by page: (records by id, last cursor)."""
    held: dict[str, dict] = {}
    while True:
        response = await http.post("/api/v1/sync/pull", json={"cursor": cursor, "limit": limit})
        assert response.status_code == 200, response.text
        page = response.json()
        if page["reset"]:
            held.clear()
        for record in page["records"]:
            held[record["id"]] = record
        cursor = page["cursor"]
        if not page["more"]:
            return held, cursor
