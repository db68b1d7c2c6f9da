"""Settings: a frozen Struct built from OUTREACH_* variables when the app is created."""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Annotated, Literal

import msgspec
from msgspec import Meta

from outreach.db.database import POSTGRES_PREFIXES, SQLITE_PREFIX, Dialect, redact, sqlite_path

PACKAGE_DIR = Path(__file__).resolve().parent
KYZYLORDA_DIR = PACKAGE_DIR / "data" / "kyzylorda"

LogLevel = Literal["debug", "info", "warning", "error"]
LogFormat = Literal["text", "json"]


class SettingsError(ValueError):
    """An OUTREACH_* variable has a value the service cannot use."""


Kato = Annotated[str, Meta(pattern=r"^[0-9]{9}$")]


class TravelOverride(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """A district's own road detour factor and average speed (either may be omitted)."""

    detour_factor: Annotated[float, Meta(ge=1, le=5)] | None = None
    speed_kmh: Annotated[float, Meta(gt=0, le=200)] | None = None


class Settings(msgspec.Struct, frozen=True, kw_only=True):
    """Everything the service can be configured with; see the README's configuration table."""

    database_url: str = "sqlite:///outreach.db"
    host: str = "127.0.0.1"
    port: Annotated[int, Meta(ge=0, le=65535)] = 8000
    load_gazetteer: bool = True
    workers: Annotated[int, Meta(ge=1, le=64)] = 1
    forwarded_allow_ips: str = "127.0.0.1"
    read_connections: Annotated[int, Meta(ge=1, le=64)] = 4
    busy_timeout_ms: Annotated[int, Meta(ge=0)] = 5000
    max_body_bytes: Annotated[int, Meta(ge=1024)] = 1_048_576
    max_import_bytes: Annotated[int, Meta(ge=1024)] = 16_777_216
    log_level: LogLevel = "info"
    log_format: LogFormat = "text"
    static_dir: str = ""
    secure_cookies: bool = True
    session_idle_minutes: Annotated[int, Meta(ge=1, le=1440)] = 30
    session_max_hours: Annotated[int, Meta(ge=1, le=168)] = 12
    detour_factor: Annotated[float, Meta(ge=1, le=5)] = 1.3
    speed_kmh: Annotated[float, Meta(gt=0, le=200)] = 60.0
    district_travel: str = ""
    meeting_distance_warn_km: Annotated[float, Meta(gt=0, le=1000)] = 5.0

    @property
    def engine(self) -> Dialect:
        """Which database engine `database_url` names."""
        if self.database_url.startswith(SQLITE_PREFIX):
            return "sqlite"
        if self.database_url.startswith(POSTGRES_PREFIXES):
            return "postgresql"
        raise SettingsError(
            "OUTREACH_DATABASE_URL must be sqlite:///path or postgresql://user:password@host/db,"
            f" got {redact(self.database_url)!r}"
        )

    @property
    def database_path(self) -> Path:
        """The SQLite file named by `database_url`."""
        if self.engine != "sqlite":
            raise SettingsError(f"{redact(self.database_url)} is not a SQLite database")
        return sqlite_path(self.database_url)

    @property
    def district_travel_overrides(self) -> dict[str, TravelOverride]:
        """Per-district travel settings from `district_travel`, a JSON object such as
        {"433200000": {"detour_factor": 1.5, "speed_kmh": 45}} (KATO code -> settings)."""
        if not self.district_travel:
            return {}
        try:
            return msgspec.json.decode(self.district_travel, type=dict[Kato, TravelOverride])
        except (msgspec.ValidationError, msgspec.DecodeError) as exc:
            raise SettingsError(f"invalid setting OUTREACH_DISTRICT_TRAVEL: {exc}") from exc

    @property
    def static_path(self) -> Path:
        """Folder of the PWA: the setting, else the installed copy, else the source tree's."""
        if self.static_dir:
            return Path(self.static_dir)
        installed = PACKAGE_DIR / "_static" / "pwa"
        return installed if installed.is_dir() else PACKAGE_DIR.parent / "static" / "pwa"

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, **overrides: object) -> Settings:
        """Read OUTREACH_<FIELD> variables; `overrides` win over the environment."""
        env = os.environ if environ is None else environ
        raw: dict[str, object] = {}
        for name in cls.__struct_fields__:
            value = env.get(f"OUTREACH_{name.upper()}")
            if value is not None:
                raw[name] = value
        raw.update(overrides)
        try:
            settings = msgspec.convert(raw, cls, strict=False)
        except msgspec.ValidationError as exc:
            message = re.sub(r"\$\.(\w+)", lambda m: f"OUTREACH_{m.group(1).upper()}", str(exc))
            raise SettingsError(f"invalid setting: {message}") from exc
        # refuse unusable values now, not at first use
        settings.engine  # noqa: B018
        settings.district_travel_overrides  # noqa: B018
        return settings
