"""The gazetteer's types: region, district, rural okrug and settlement, keyed by KATO code."""

from __future__ import annotations

from typing import Annotated, Literal

import msgspec
from msgspec import Meta

Kato = Annotated[
    str, Meta(pattern=r"^[0-9]{9}$", description="9-digit KATO code", examples=["433247100"])
]
Kind = Literal["city", "town", "village", "station"]
LocationQuality = Literal["exact", "okrug_centre", "district_centre", "unknown"]
LatDeg = Annotated[float, Meta(ge=-90, le=90, description="latitude, WGS84 degrees")]
LonDeg = Annotated[float, Meta(ge=-180, le=180, description="longitude, WGS84 degrees")]
Population = Annotated[int, Meta(ge=0, le=100_000_000)]
FIRST_CENSUS_YEAR = 1897
"""The Russian Empire's census, the first to count the region's people: no earlier figure."""
Year = Annotated[
    int,
    Meta(ge=FIRST_CENSUS_YEAR, le=2100,
         description="year the population was counted: from 1897 (the first census) to the "
                     "current year"),
]  # fmt: skip
PlaceName = Annotated[str, Meta(min_length=1, max_length=200, pattern=r"\S")]

KINDS: tuple[Kind, ...] = ("city", "town", "village", "station")
LOCATION_QUALITIES: tuple[LocationQuality, ...] = (
    "exact",
    "okrug_centre",
    "district_centre",
    "unknown",
)


class Names(msgspec.Struct, frozen=True):
    """A name in Kazakh, Russian and English; `kk` and `en` are null where no source gives them."""

    ru: str
    kk: str | None = None
    en: str | None = None


class Position(msgspec.Struct, frozen=True):
    """A point in WGS84 degrees."""

    lat: LatDeg
    lon: LonDeg


class Region(msgspec.Struct, frozen=True, kw_only=True):
    """A region (oblast)."""

    kato: Kato
    names: Names


class District(msgspec.Struct, frozen=True, kw_only=True):
    """A district (аудан) or a city administration, with its administrative centre."""

    kato: Kato
    region_kato: Kato
    names: Names
    centre_name: str | None = None
    centre: Position | None = None
    okrug_count: int = 0
    settlement_count: int = 0


class Okrug(msgspec.Struct, frozen=True, kw_only=True):
    """A rural okrug (ауылдық округ) or settlement administration; `centre` is the surveyed
    position of its centre settlement, null when that settlement has none."""

    kato: Kato
    district_kato: Kato
    names: Names
    centre_kato: Kato | None = None
    centre: Position | None = None
    settlement_count: int = 0


class Village(msgspec.Struct, frozen=True, kw_only=True):
    """A settlement (city, town, village or railway station).

    `position` holds surveyed coordinates, null when no source gives them. Such a settlement
    is kept and carries `fallback_position` (its okrug's centre when that is located, else its
    district's centre), which planning may use and maps must show as approximate;
    `location_quality` says which of the three applies (`unknown` when neither exists).
    """

    kato: Kato
    names: Names
    kind: Kind
    district_kato: Kato
    okrug_kato: Kato | None
    position: Position | None
    location_quality: LocationQuality
    fallback_position: Position | None
    population: Population | None
    population_year: Year | None
    coord_source: str | None
    population_source: str | None
    version: int
    updated_at: str

    @property
    def best_position(self) -> Position | None:
        """Surveyed position, else the fallback."""
        return self.position or self.fallback_position


class PlanningSite(msgspec.Struct, frozen=True, kw_only=True):
    """A settlement as planning sees it: `position` is the surveyed one or, when
    `location_quality` is not `exact`, the fallback (null when `unknown`)."""

    kato: Kato
    names: Names
    kind: Kind
    district_kato: Kato
    okrug_kato: Kato | None
    position: Position | None
    location_quality: LocationQuality
    population: Population | None
    is_okrug_centre: bool


class VillageFilter(msgspec.Struct, frozen=True, kw_only=True):
    """Which villages a list asks for; all conditions must hold."""

    district: str | None = None
    okrug: str | None = None
    kind: Kind | None = None
    location_quality: LocationQuality | None = None
    query: str | None = None


class VillagePatch(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """A coordinator's correction of a village: position, population, its year, the Kazakh
    or Russian name. Omitted fields stay as they are; `null` clears (the Russian name, which
    every settlement has, cannot be cleared).

    Send `expected_version` (the `version` you read) to be refused with 409 instead of
    overwriting someone else's correction made in between. A position too far from the
    district's centre is refused with 422 `implausible_position`: past the limit the gazetteer
    import applies (lat and lon swapped, 0, 0, another region) always; past only the
    district's own spread (its farthest surveyed settlement and 50 km) unless `force` is true.
    `details` say which (`forceable`), the distance and the limit.
    """

    position: Position | msgspec.UnsetType | None = msgspec.UNSET
    population: Population | msgspec.UnsetType | None = msgspec.UNSET
    population_year: Year | msgspec.UnsetType | None = msgspec.UNSET
    name_kk: PlaceName | msgspec.UnsetType | None = msgspec.UNSET
    name_ru: PlaceName | msgspec.UnsetType = msgspec.UNSET
    expected_version: Annotated[int, Meta(ge=1)] | None = None
    force: bool = False


class Page(msgspec.Struct, frozen=True, kw_only=True):
    """Limit and offset of a list."""

    limit: Annotated[int, Meta(ge=1, le=1000)] = 100
    offset: Annotated[int, Meta(ge=0)] = 0


class PositionSuggestion(msgspec.Struct, frozen=True, kw_only=True):
    """Where a field team says a village really is, beside what the gazetteer has now: its
    position (null when only approximate), its quality and the distance between the two (from
    a meeting, the distance from the village's fallback, its okrug's or district's centre,
    when it has only that; a meeting farther from it than any settlement lies from its centre
    suggests nothing);
    `by` is the login of the field user whose phone sent it. `source` says where it came
    from: a `village_position` record the team made, or the position a phone recorded when
    a `meeting` at a village of approximate position was saved (its id is the meeting's)."""

    id: str
    village: Kato
    names: Names
    position: Position
    accuracy_m: float | None
    note: str | None
    current: Position | None
    quality: LocationQuality
    distance_km: float | None
    team: str
    by: str | None
    at: str
    source: Literal["village_position", "meeting"] = "village_position"


class SuggestionPage(msgspec.Struct, frozen=True, kw_only=True):
    """Open suggested positions, oldest first, a page at a time, and how many are open."""

    suggestions: list[PositionSuggestion]
    total: int


class SuggestionDecision(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """A coordinator's reason for a decision on a suggested position (kept); and the village
    and position the decision was made on, as they were shown: a suggestion a phone changed
    since is not decided (409 `version_conflict`)."""

    comment: Annotated[str, Meta(max_length=1000)] | None = None
    village: Kato | None = None
    position: Position | None = None
