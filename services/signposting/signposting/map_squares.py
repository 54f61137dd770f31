"""Map squares: where a service meets people, and what it helps with, as terms of the search index.

A search near a postcode, for a need, with words, has to find the few services that are all
three. Asked separately, each filter matches a share of the whole directory (a tenth of it has the
need, a fifth is within 10 km), so the work of intersecting them grows with the directory. As
terms of the same full-text index as the words, the index intersects them itself, and a search
reads only the services that have them all.

The Earth is cut into rows of squares 1, 2, 4 … 128 km a side (each row's squares as wide as they
are tall at its middle). Each place a service meets people at is in one square of each size, and
each of those squares is a term of the service (`sq…`), as is each of its needs (`nd…`). A search
within some distance of a point asks for the squares of the smallest size of which at most
`MOST_SQUARES` cover every point within it (`squares_around`); the exact distance then decides
which services are within it.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Iterable

from signposting.domain import EARTH_RADIUS_M

SIZES_KM = tuple(2**n for n in range(8))
MOST_SQUARES = 16
_DEGREE_KM = math.pi * EARTH_RADIUS_M / 180 / 1000


def _step(size: int) -> float:
    """The height of a row of squares of `SIZES_KM[size]`, in degrees of latitude."""
    return SIZES_KM[size] / _DEGREE_KM


def _width(size: int, row: int) -> float:
    """The width of a square in `row`, in degrees of longitude (a whole turn at most)."""
    step = _step(size)
    middle = -90 + (row + 0.5) * step
    return min(360.0, step / max(math.cos(math.radians(middle)), 1e-9))


def square(size: int, lat: float, lon: float) -> str:
    """The term of the square of `SIZES_KM[size]` that holds the point."""
    row = math.floor((lat + 90) / _step(size))
    return f"sq{size}r{row}c{_column(size, row, lon)}"


def _column(size: int, row: int, lon: float) -> int:
    east = (lon + 180) % 360  # from 180° west, 180° east being 180° west
    return math.floor(east / _width(size, row))


def need(term_id: str) -> str:
    """The term of a need (a taxonomy term): its id hashed to 16 hex digits (letters and digits
    are all a term of the index may hold; two needs share a term once in 10^19 pairs)."""
    return "nd" + hashlib.blake2b(term_id.encode(), digest_size=8).hexdigest()


def keys(needs: Iterable[str], places: Iterable[tuple[float, float]]) -> str:
    """A service's terms (`services.search_keys`): its needs, and the squares of its places."""
    terms = sorted({need(term_id) for term_id in needs})
    squares = sorted({square(size, lat, lon) for lat, lon in places for size in range(len(SIZES_KM))})
    return " ".join([*terms, *squares])


def squares_around(lat: float, lon: float, metres: float) -> list[str] | None:
    """The squares of one size that hold every point within `metres` of the point: of the smallest
    size that takes at most `MOST_SQUARES`; None if even the largest takes more (or a pole is that
    near), as then squares would narrow the search little."""
    reach = metres / EARTH_RADIUS_M  # in radians of the Earth's centre
    phi = math.radians(lat)
    if reach >= math.pi / 2 - abs(phi):
        return None
    dlat = math.degrees(reach)
    # The widest a circle on the sphere is, in longitude (more than `reach / cos(lat)` by a hair).
    dlon = math.degrees(math.asin(min(1.0, math.sin(reach) / math.cos(phi))))
    south, north = lat - dlat - 1e-9, lat + dlat + 1e-9
    west, east = lon - dlon - 1e-9, lon + dlon + 1e-9
    # Across the date line, the circle is in two parts: each as longitudes within ±180°.
    spans = [(max(west, -180.0), min(east, 180.0 - 1e-9))]
    if west < -180:
        spans.append((west + 360, 180.0 - 1e-9))
    if east >= 180:
        spans.append((-180.0, east - 360))
    for size in range(len(SIZES_KM)):
        step = _step(size)
        found: set[str] = set()
        for row in range(math.floor((south + 90) / step), math.floor((north + 90) / step) + 1):
            for first, last in spans:
                for column in range(_column(size, row, first), _column(size, row, last) + 1):
                    found.add(f"sq{size}r{row}c{column}")
            if len(found) > MOST_SQUARES:
                break
        else:
            return sorted(found)
    return None
