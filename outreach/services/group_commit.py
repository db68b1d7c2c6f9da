"""Group commit: writes that arrive together are done in one transaction and one fsync.

A request hands its job to `GroupCommit.submit` and waits for its own answer. One task (started
by whichever request finds none running) takes every job waiting, up to a bound, gives them to
`commit` together, answers each, and goes on while jobs keep arriving. Fewer than `company`
jobs (a lone one, by default) wait a short window for others first; under load, jobs arrive
while a group commits, and the next group takes them all with no wait. `commit` gives each
job its own answer or its own error: one job's failure must not sink the others
(sync_writer.py undoes it alone); if the whole commit fails, every job of the group gets that
error, and none of them was stored.

The task is not the requests': a phone that hangs up does not cancel the transaction its job
shares with others (a job whose request has gone before its group starts is dropped)."""

from __future__ import annotations

import asyncio
import logging
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

J = TypeVar("J")
R = TypeVar("R")

log = logging.getLogger(__name__)

WINDOW_S = 0.002
"""How long a lone job waits for others to share its transaction."""


@dataclass
class _Waiting(Generic[J, R]):
    job: J
    answer: asyncio.Future[R]


class GroupCommit(Generic[J, R]):
    """Jobs gathered into groups of at most `max_weight` (a job heavier than that alone), in
        arrival order, each group handed to `commit`, which returns one answer or error per job.
    `besides` says whether something other than jobs waits to be written (`commit` is then called
    with no job)."""

    def __init__(
        self,
        commit: Callable[[list[J]], Awaitable[list[R | Exception]]],
        *,
        weigh: Callable[[J], int] = lambda _: 1,
        besides: Callable[[], bool] = lambda: False,
        max_weight: int = 5000,
        window_s: float = WINDOW_S,
        company: int = 2,
    ) -> None:
        self._commit = commit
        self._weigh = weigh
        self._besides = besides
        self._max_weight = max_weight
        self.window_s = window_s
        self.company = company
        self._waiting: deque[_Waiting[J, R]] = deque()
        self._task: asyncio.Task[None] | None = None
        self.groups = 0
        self.jobs = 0

    async def submit(self, job: J) -> R:
        """Do the job in the next group; its answer once the group is committed."""
        answer: asyncio.Future[R] = asyncio.get_running_loop().create_future()
        self._waiting.append(_Waiting(job, answer))
        self.wake()
        return await answer

    def wake(self) -> None:
        """Start the committing task if none is running (on this event loop)."""
        task = self._task
        loop = asyncio.get_running_loop()
        if task is None or task.done() or task.get_loop() is not loop:
            self._task = loop.create_task(self._drain())

    async def _drain(self) -> None:
        while True:
            if len(self._waiting) < self.company and self.window_s > 0:
                await asyncio.sleep(self.window_s)
            group = self._take()
            if not group and not self._besides():
                return
            try:
                outcomes = await self._commit([w.job for w in group])
            except Exception as exc:  # the whole transaction failed: nothing of it stored
                if not group:  # what waits besides jobs, to the next wake (no busy loop)
                    log.warning("a group commit without jobs failed", exc_info=True)
                    return
                outcomes = [exc] * len(group)
            self.groups += 1
            self.jobs += len(group)
            for waiting, outcome in zip(group, outcomes, strict=True):
                if waiting.answer.done():  # its request has gone
                    continue
                if isinstance(outcome, Exception):
                    waiting.answer.set_exception(outcome)
                else:
                    waiting.answer.set_result(outcome)

    def _take(self) -> list[_Waiting[J, R]]:
        group: list[_Waiting[J, R]] = []
        weight = 0
        while self._waiting:
            waiting = self._waiting[0]
            if waiting.answer.done():  # hung up before its group began: never applied
                self._waiting.popleft()
                continue
            heavy = self._weigh(waiting.job)
            if group and weight + heavy > self._max_weight:
                break
            group.append(self._waiting.popleft())
            weight += heavy
        return group
