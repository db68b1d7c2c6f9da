"""Options several commands share, and command-line values checked by the domain's own rules."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, TypeVar

import click
import msgspec

from outreach.config import Settings, SettingsError
from outreach.domain.errors import InvalidInput

database_option = click.option(
    "--database-url",
    metavar="URL",
    help="Database to use: sqlite:///outreach.db or postgresql://user:password@host/db "
    "(default: OUTREACH_DATABASE_URL, else sqlite:///outreach.db).",
)

max_km_option = click.option(
    "--max-km",
    type=float,
    default=15.0,
    show_default=True,
    help="Largest road distance from a village to its meeting.",
)

# where a command-line option's value sits in what it sets, for error messages
OPTIONS = {
    "$.policy.max_gathering_km": "--max-km",
    "$.max_gathering_km": "--max-km",
    "$.time_limit_s": "--time-limit",
    "$.teams": "--teams",
    "$.max_trip_days": "--max-trip-days",
    "$.day_cost_km": "--day-cost-km",
    "$.turnout_share": "--turnout",
    "$.max_expected_attendance": "--max-attendance",
}
_T = TypeVar("_T")


def settings(**overrides: Any) -> Settings:
    """Settings from OUTREACH_* variables, with the options given; a bad one is a usage error."""
    try:
        return Settings.from_env(**{k: v for k, v in overrides.items() if v is not None})
    except SettingsError as exc:
        raise click.UsageError(str(exc)) from exc


def checked(kind: type[_T], values: dict[str, Any]) -> _T:
    """Options as the domain type they set, checked by its own rules (the API's): a value
    out of range is refused with the option's name, not met later as a crash."""
    try:
        return msgspec.convert(values, kind)
    except msgspec.ValidationError as exc:
        message, _, where = str(exc).rpartition(" - at `")
        option = OPTIONS.get(where.rstrip("`"), where.rstrip("`"))
        raise InvalidInput(f"{option}: {message or exc}") from None


def writable(out: Path) -> None:
    """Refuse, before a long computation, an output path that cannot be written."""
    folder = out.parent
    if out.is_dir():
        raise InvalidInput(f"--out: {out} is a folder; name a file")
    if not folder.is_dir():
        raise InvalidInput(f"--out: the folder {folder} does not exist")
    if not os.access(folder, os.W_OK) or (out.exists() and not os.access(out, os.W_OK)):
        raise InvalidInput(f"--out: {out} cannot be written")


def problem_lines(details: list[dict[str, Any]]) -> list[str]:
    """An error's details for people: `file: line N, column C: message` where they say so."""
    return [_problem_line(item) for item in details]


def _problem_line(item: dict[str, Any]) -> str:
    if "message" not in item:
        return ", ".join(f"{key} {value}" for key, value in item.items())
    where = ", ".join(
        f"{key} {item[key]}" for key in ("line", "column") if item.get(key) is not None
    )
    parts = [str(item[key]) for key in ("file", "option", "field") if item.get(key)]
    return ": ".join([*parts, *([where] if where else []), str(item["message"])])
