"""The Absorber catches the resident registry up when pushes pause, not in the middle of a
phone's stream of pushes, and at the latest `max_wait_s` after it was asked."""

from __future__ import annotations

import asyncio

import pytest

from outreach.services import registry


@pytest.fixture
def runs(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """When each catch-up step ran (event loop time)."""
    times: list[float] = []

    async def absorb_some(db: object, limit: int) -> bool:
        times.append(asyncio.get_running_loop().time())
        return False

    monkeypatch.setattr(registry, "absorb_some", absorb_some)
    return times


async def test_absorber_waits_while_a_push_is_applied_and_for_a_pause_after(runs):
    absorber = registry.Absorber(object(), pause_s=0.25, max_wait_s=5)  # type: ignore[arg-type]
    loop = asyncio.get_running_loop()
    absorber.kick()
    with absorber.pushing():  # a push being applied: no run meanwhile
        await asyncio.sleep(0.4)
    assert runs == []
    absorber.kick()
    for _ in range(4):  # pushes in a row, closer together than the pause
        await asyncio.sleep(0.02)
        absorber.kick()
    last = loop.time()
    assert runs == []
    await asyncio.sleep(0.6)
    assert len(runs) == 1 and runs[0] >= last + 0.25 - 0.01
    await absorber.close()


async def test_absorber_runs_after_max_wait_when_pushes_never_pause(runs):
    absorber = registry.Absorber(object(), pause_s=0.05, max_wait_s=0.2)  # type: ignore[arg-type]
    started = asyncio.get_running_loop().time()
    absorber.kick()
    with absorber.pushing():  # still pushing when the run comes
        await asyncio.sleep(0.8)
        assert len(runs) == 1 and 0.19 <= runs[0] - started < 0.75
    await absorber.close()
