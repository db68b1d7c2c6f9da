"""Working days of a campaign: chosen weekdays, less Kazakhstan's public holidays."""

from __future__ import annotations

from datetime import date, timedelta

import holidays
import msgspec


class CalendarSpec(msgspec.Struct, frozen=True, kw_only=True):
    """The season: first and last date, working weekdays (0 = Monday), the country whose
    public holidays are days off, and any further days off."""

    start: date
    end: date
    weekdays: frozenset[int] = frozenset({0, 1, 2, 3, 4})
    country: str = "KZ"
    days_off: frozenset[date] = frozenset()


def public_holidays(spec: CalendarSpec) -> dict[date, str]:
    """Public holidays (with observed substitutes) between start and end, from `holidays`."""
    years = range(spec.start.year, spec.end.year + 1)
    found = holidays.country_holidays(spec.country, years=years)
    return {day: str(name) for day, name in sorted(found.items()) if spec.start <= day <= spec.end}


def working_days(spec: CalendarSpec) -> list[date]:
    """Every working date of the season, in order."""
    off = set(public_holidays(spec)) | set(spec.days_off)
    span = (spec.end - spec.start).days + 1
    days = (spec.start + timedelta(days=n) for n in range(max(span, 0)))
    return [day for day in days if day.weekday() in spec.weekdays and day not in off]


def blocks(days: list[date]) -> list[list[date]]:
    """Runs of consecutive working days: a trip never spans a day off."""
    runs: list[list[date]] = []
    for day in days:
        if runs and day - runs[-1][-1] == timedelta(days=1):
            runs[-1].append(day)
        else:
            runs.append([day])
    return runs
