"""A scripted phone for sync tests: makes meeting records as mutations, and keeps an outbox
and a synced copy the way the protocol asks a client to."""

from __future__ import annotations

import random
import uuid
from typing import Any

HUB = "431033100"
VILLAGES = ("431033100", "431033103", "431033400")


def new_id(rng: random.Random | None = None) -> str:
    """A UUID4 string (from `rng` when given, so a seeded run repeats itself)."""
    if rng is None:
        return str(uuid.uuid4())
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def make_meeting(rng: random.Random | None = None, **fields: Any) -> dict[str, Any]:
    """A mutation creating a held meeting with attendance, villages, a referral and an
    interested resident."""
    rng = rng or random.Random()
    total = rng.randint(5, 60)
    return {
        "mutation_id": new_id(rng),
        "record_id": new_id(rng),
        "kind": "meeting",
        "base_version": 0,
        "set": {
            "status": "held",
            "date": f"2027-05-{rng.randint(1, 28):02d}",
            "start": "10:30",
            "hub": HUB,
            "attendance": {"total": total, "women": total // 2, "youth": total // 4},
            "notes": "Questions about land plots and microcredit.",
            **fields,
        },
        "add": {
            "villages": list(VILLAGES[: rng.randint(1, 3)]),
            "topics": ["bastau_business", "microcredit"],
            "referrals": [{"id": new_id(rng), "programme": "bastau_business", "count": 3}],
            "interested": [{"id": new_id(rng), "name": "Айгүл Серікова",
                            "phone": "+7 701 234 56 78", "village": HUB,
                            "interest": "bakery"}],
        },
        "made_at": "2027-05-02T09:00:00+05:00",
    }  # fmt: skip


def edit(record_id: str, base_version: int, **fields: Any) -> dict[str, Any]:
    """A mutation setting single fields of an existing meeting."""
    return {"mutation_id": new_id(), "record_id": record_id, "kind": "meeting",
            "base_version": base_version, "set": fields}  # fmt: skip


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
