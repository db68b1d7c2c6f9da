"""The campaigns coverage can be filtered by (the published plans), and which one is current:
the one under way today, else the one that ended last, else the next (docs/coverage.md)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

import msgspec


class CampaignPeriod(msgspec.Struct, frozen=True, kw_only=True):
    """A published plan: `id` is the `campaign` filter's value, `name` the plan's name,
    `campaign` the campaign key targets name, its first and last day, and its districts
    (KATO; empty for the whole region)."""

    id: int
    name: str
    campaign: str
    start: date
    end: date
    districts: list[str]


class Campaigns(msgspec.Struct, frozen=True, kw_only=True):
    """Every published plan by start date, and the one a dashboard opens on (`current`):
    the plan whose dates include today (Kazakhstan's day); of several, the one that started
    last; when none does, the one that ended last (its figures, rather than an upcoming
    campaign's none); when none has begun, the next to begin; null when nothing is published."""

    current: int | None
    campaigns: list[CampaignPeriod]


def current(periods: Iterable[CampaignPeriod], today: date) -> int | None:
    """The id of the campaign under way today (the latest started, then the highest id), else
    of the one that ended last (greatest end, then start, then id), else of the next to begin
    (earliest start, then the highest id); None when there is none."""
    every = list(periods)
    running = [p for p in every if p.start <= today <= p.end]
    if running:
        return max(running, key=lambda p: (p.start, p.id)).id
    ended = [p for p in every if p.end < today]
    if ended:
        return max(ended, key=lambda p: (p.end, p.start, p.id)).id
    if every:
        return min(every, key=lambda p: (p.start, -p.id)).id
    return None


def campaigns(periods: Iterable[CampaignPeriod], today: date) -> Campaigns:
    """The campaigns sorted by start date (then id), with the current one chosen."""
    ordered = sorted(periods, key=lambda p: (p.start, p.id))
    return Campaigns(current=current(ordered, today), campaigns=ordered)
