"""The Absorber catches the resident registry up when pushes pause, not in the middle of a
phone's stream of pushes, and at the latest `max_wait_s` after it was asked, then in shorter
steps while pushes are being applied."""

from __future__ import annotations

import asyncio

import pytest

from outreach.services import registry


class Runs(list[float]):
    steps: list[int]

    def __init__(self) -> None:
        super().__init__()
        self.steps = []


@pytest.fixture
def runs(monkeypatch: pytest.MonkeyPatch) -> Runs:
    """When each catch-up step ran (event loop time); `runs.steps`, how many records each
    could take."""
    times = Runs()

    async def absorb_some(db: object, limit: int) -> bool:
        times.append(asyncio.get_running_loop().time())
        times.steps.append(limit)
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
    assert runs.steps == [registry.ABSORB_STEP]  # no push waits: the longer step
    await absorber.close()


async def test_absorber_runs_after_max_wait_when_pushes_never_pause(runs):
    absorber = registry.Absorber(object(), pause_s=0.05, max_wait_s=0.2)  # type: ignore[arg-type]
    started = asyncio.get_running_loop().time()
    absorber.kick()
    with absorber.pushing():  # still pushing when the run comes
        await asyncio.sleep(0.8)
        assert len(runs) == 1 and 0.19 <= runs[0] - started < 0.75
        assert runs.steps == [registry.BUSY_STEP]  # pushes wait behind a shorter step
    await absorber.close()
