"""GeoJSON (RFC 7946) of gazetteer objects: coordinates in [longitude, latitude] order."""

from __future__ import annotations

from typing import Any, Literal

import msgspec

from outreach.domain.gazetteer import District, Okrug, Position, Village


class PointGeometry(msgspec.Struct, frozen=True, tag="Point", tag_field="type"):
    """A GeoJSON point: `coordinates` is [longitude, latitude]."""

    coordinates: tuple[float, float]


class LineStringGeometry(msgspec.Struct, frozen=True, tag="LineString", tag_field="type"):
    """A GeoJSON line: `coordinates` is a list of [longitude, latitude]."""

    coordinates: list[tuple[float, float]]


class Feature(msgspec.Struct, frozen=True, tag="Feature", tag_field="type"):
    """A GeoJSON feature; `geometry` is null when no position is known at all."""

    id: str
    geometry: PointGeometry | LineStringGeometry | None
    properties: dict[str, Any]


class FeatureCollection(msgspec.Struct, frozen=True, tag="FeatureCollection", tag_field="type"):
    """A GeoJSON feature collection."""

    features: list[Feature]


def point(position: Position | None) -> PointGeometry | None:
    """A GeoJSON point of a position (longitude first)."""
    return None if position is None else PointGeometry(coordinates=(position.lon, position.lat))


def village_feature(village: Village) -> Feature:
    """A settlement at its surveyed position, or at its fallback marked `approximate`."""
    properties = msgspec.to_builtins(village)
    for key in ("position", "fallback_position"):
        properties.pop(key)
    properties["approximate"] = village.location_quality != "exact"
    return Feature(id=village.kato, geometry=point(village.best_position), properties=properties)


def district_feature(district: District) -> Feature:
    """A district at its administrative centre."""
    properties = msgspec.to_builtins(district)
    properties.pop("centre")
    return Feature(id=district.kato, geometry=point(district.centre), properties=properties)


def okrug_feature(okrug: Okrug) -> Feature:
    """A rural okrug at its centre settlement's position, where that is located."""
    properties = msgspec.to_builtins(okrug)
    properties.pop("centre")
    return Feature(id=okrug.kato, geometry=point(okrug.centre), properties=properties)


def link(start: Position, end: Position) -> LineStringGeometry:
    """A straight GeoJSON line between two positions."""
    return LineStringGeometry(coordinates=[(start.lon, start.lat), (end.lon, end.lat)])


def collection(features: list[Feature]) -> FeatureCollection:
    """A feature collection."""
    return FeatureCollection(features=features)


GEOJSON_MEDIA_TYPE: Literal["application/geo+json"] = "application/geo+json"
