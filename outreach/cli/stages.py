"""Planning's stages shown on stderr as they begin, with the seconds since the first."""

from __future__ import annotations

import sys
import time

import click

from outreach.domain.planning import PlanningStep


def describe(step: PlanningStep) -> str:
    """A stage in words: `grouping 298 settlements into meetings`."""
    if step.stage == "grouping":
        return f"grouping {step.villages} settlements into meetings"
    if step.stage == "distances":
        return f"road distances between {step.meetings} meetings and the lodgings"
    if step.stage == "routing":
        limit = f" (at most {step.time_limit_s:g} s)" if step.time_limit_s else ""
        return f"routing {step.meetings} meetings on teams' days{limit}"
    if step.stage == "loading":
        return "loading the gazetteer"
    return "writing the plan"


class StageLines:
    """A `Progress` callback: one line per stage on stderr, `[  1.2 s] routing ...`; on a
    terminal, a long stage then counts up in place on the line below it (`  45 %`)."""

    def __init__(self) -> None:
        self.started = time.monotonic()
        self.counting = False
        self.terminal = sys.stderr.isatty()

    def __call__(self, step: PlanningStep) -> None:
        if step.total is not None:
            if self.terminal:
                share = 100 * (step.done or 0) // max(step.total, 1)
                click.echo(f"\r{'':10}{share:3d} %", nl=False, err=True)
                self.counting = True
            return
        self.close()
        elapsed = time.monotonic() - self.started
        click.echo(f"[{elapsed:5.1f} s] {describe(step)} ...", err=True)

    def close(self) -> None:
        """End a line that was counting up."""
        if self.counting:
            click.echo(err=True)
            self.counting = False
