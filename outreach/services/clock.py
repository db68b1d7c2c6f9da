"""The server's clock, in one place: UTC for timestamps, Kazakhstan's day for dates."""

from datetime import UTC, date, datetime, timedelta, timezone

LOCAL = timezone(timedelta(hours=5))
"""Kazakhstan's time (one zone, UTC+5, since 2024): what "today" means for its people."""


def now_iso() -> str:
    """Current UTC time, ISO 8601 with milliseconds."""
    return datetime.now(UTC).isoformat(timespec="milliseconds")


def today_local() -> date:
    """Today's date in Kazakhstan (not the server's zone, nor UTC's)."""
    return datetime.now(LOCAL).date()
