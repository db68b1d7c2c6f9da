"""Planning as a stream of lines: each stage as it begins, a heartbeat while a stage lasts,
then the stored plan, for a client (and any proxy between) that must see the work is alive."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Literal

import msgspec

from outreach.domain.planning import PlanningStep, PlanSummary, Progress, Stage

HEARTBEAT_S = 1.0  # a line at least this often while planning runs

# plans whose client went away: they are kept running (and saved) until they finish
_running: set[asyncio.Task[PlanSummary]] = set()


class ProgressLine(msgspec.Struct, frozen=True, kw_only=True, omit_defaults=True):
    """One line of a planning stream: a stage as it begins (with its counts), the same stage
    again with only `at_s` as a heartbeat, and last `done` with the stored `plan`. `at_s` is
    seconds since the stream began."""

    stage: Stage | Literal["done"]
    at_s: float
    villages: int | None = None
    meetings: int | None = None
    time_limit_s: float | None = None
    done: int | None = None
    total: int | None = None
    plan: PlanSummary | None = None


def _retrieve(task: asyncio.Task[PlanSummary]) -> None:
    _running.discard(task)
    if not task.cancelled():
        task.exception()  # a plan whose client left: its error is not "never retrieved"


async def progress_lines(
    run: Callable[[Progress], Awaitable[PlanSummary]], heartbeat_s: float | None = None
) -> AsyncIterator[ProgressLine]:
    """Run `run(progress)` and yield its stages as they happen, a heartbeat every
    `heartbeat_s` (HEARTBEAT_S) without one, then `done`; the run's error is raised after the
    lines before it. If the consumer stops early, the run still finishes (and is saved)."""
    started = time.monotonic()
    every = HEARTBEAT_S if heartbeat_s is None else heartbeat_s
    steps: asyncio.Queue[PlanningStep | None] = asyncio.Queue()
    task = asyncio.ensure_future(run(steps.put_nowait))
    _running.add(task)
    task.add_done_callback(_retrieve)
    task.add_done_callback(lambda _: steps.put_nowait(None))

    def at_s() -> float:
        return round(time.monotonic() - started, 3)

    current: Stage | None = None
    while True:
        try:
            step = await asyncio.wait_for(steps.get(), every)
        except TimeoutError:
            if current is not None:
                yield ProgressLine(stage=current, at_s=at_s())
            continue
        if step is None:
            break
        current = step.stage
        yield ProgressLine(stage=step.stage, at_s=at_s(), villages=step.villages,
                           meetings=step.meetings, time_limit_s=step.time_limit_s,
                           done=step.done, total=step.total)  # fmt: skip
    yield ProgressLine(stage="done", at_s=at_s(), plan=task.result())
