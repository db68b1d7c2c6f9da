"""A point on the WGS84 ellipsoid."""

from __future__ import annotations

from typing import Annotated

import msgspec
from msgspec import Meta

LatDeg = Annotated[float, Meta(ge=-90, le=90)]
LonDeg = Annotated[float, Meta(ge=-180, le=180)]


class Point(msgspec.Struct, frozen=True, order=True):
    """Latitude and longitude in degrees."""

    lat_deg: LatDeg
    lon_deg: LonDeg
