"""Needs and map squares as terms of the search index (`map_squares`): the squares around a point
hold every point within reach of it, wherever it is on the Earth; a search that asks the index for
needs and squares finds exactly what the database finds without them; and the terms follow a
service's needs and places, and a place that moves."""

import math
import random
import uuid

from forum_shared.db import Database
from signposting import domain, map_squares
from signposting.domain import ServiceQuery
from signposting.hsds_files import Batch
from signposting.schemas.hsds import (
    LocationCreate,
    LocationUpdate,
    OrganizationCreate,
    TaxonomyCreate,
    TaxonomyTermCreate,
)
from signposting.schemas.services import ServiceCreate, ServiceUpdate
from signposting.service import finding, locations, services, transfer
from signposting.store import search


def _point_at(lat: float, lon: float, metres: float, bearing: float) -> tuple[float, float]:
    """The point `metres` from (lat, lon) along `bearing` (radians), on the sphere."""
    reach, phi, lam = metres / domain.EARTH_RADIUS_M, math.radians(lat), math.radians(lon)
    phi2 = math.asin(math.sin(phi) * math.cos(reach) + math.cos(phi) * math.sin(reach) * math.cos(bearing))
    lam2 = lam + math.atan2(
        math.sin(bearing) * math.sin(reach) * math.cos(phi), math.cos(reach) - math.sin(phi) * math.sin(phi2)
    )
    return math.degrees(phi2), (math.degrees(lam2) + 540) % 360 - 180


def test_the_squares_around_a_point_hold_every_point_within_reach_of_it_anywhere_on_earth():
    rng = random.Random(7)
    centres = [(52.2053, 0.1218), (0.0, 179.999), (-33.9, -179.99), (71.0, 25.8), (-54.8, -68.3)]
    centres += [(rng.uniform(-80, 80), rng.uniform(-180, 180)) for _ in range(300)]
    checked = 0
    for lat, lon in centres:
        for metres in (50, 900, 10_000, 47_000, 120_000):
            squares = map_squares.squares_around(lat, lon, metres)
            assert squares is not None and len(squares) <= map_squares.MOST_SQUARES
            size = int(squares[0][2])
            for _ in range(40):
                # Points out to the very edge, half of them on it.
                distance = metres * (1 - 1e-9) * (1.0 if rng.random() < 0.5 else math.sqrt(rng.random()))
                there = _point_at(lat, lon, distance, rng.uniform(0, 2 * math.pi))
                assert map_squares.square(size, *there) in squares, (lat, lon, metres, there)
                checked += 1
    assert checked == len(centres) * 5 * 40


def test_the_squares_are_the_smallest_that_few_cover_the_reach_and_none_cover_a_pole_or_half_a_country():
    near = map_squares.squares_around(52.2053, 0.1218, 10_000)
    assert near is not None and near[0].startswith("sq3")  # 8 km squares: 4 km ones would take more than 16
    assert all(square.startswith("sq0") for square in map_squares.squares_around(52.2053, 0.1218, 300) or [])
    assert map_squares.squares_around(52.2053, 0.1218, 600_000) is None
    assert map_squares.squares_around(89.99, 0.0, 5_000) is None


def test_a_services_terms_are_its_needs_and_one_square_of_each_size_for_each_of_its_places():
    keys = map_squares.keys(["need-1", "need-2", "need-1"], [(52.2, 0.12), (52.2, 0.12)]).split()
    assert sorted(keys[:2]) == sorted({map_squares.need("need-1"), map_squares.need("need-2")})
    assert keys[2:] == sorted(map_squares.square(size, 52.2, 0.12) for size in range(len(map_squares.SIZES_KM)))
    assert all(key.isalnum() and key == key.lower() for key in keys)
    assert map_squares.keys([], []) == ""


# -- search ----------------------------------------------------------------------------------
NAMES = ["Peer support", "Carers", "Walking", "Wellbeing cafe", "Listening"]
WORDS = ["group", "cafe", "walk", "circle", "drop-in", "support"]


def _directory(rng: random.Random) -> tuple[Batch, dict[str, str]]:
    """Eighty services at thirty places across the county (a few at two, some with no coordinates),
    with needs (one under another) and words."""
    taxonomy = TaxonomyCreate(id=uuid.uuid4(), name="Needs", description="What people need help with.")
    health = TaxonomyTermCreate(id=uuid.uuid4(), name="Mental health", description="-", taxonomy_id=taxonomy.id)
    terms = [health] + [
        TaxonomyTermCreate(id=uuid.uuid4(), name=name, description="-", taxonomy_id=taxonomy.id,
                           parent_id=health.id if name == "Anxiety" else None)
        for name in ("Anxiety", "Carers", "Loneliness", "Debt")
    ]
    org = OrganizationCreate(id=uuid.uuid4(), name="Fenland Network", description="A local charity.")
    codes = list(domain.outward_codes().values())
    places = []
    for i in range(30):
        code = rng.choice(codes)
        placed = i % 10 != 0  # some only by their postcode district
        places.append(LocationCreate(
            id=uuid.uuid4(), name=f"Venue {i}",
            latitude=code.latitude + rng.uniform(-0.05, 0.05) if placed else None,
            longitude=code.longitude + rng.uniform(-0.08, 0.08) if placed else None,
            addresses=[{"address_1": f"{i} High Street", "city": code.places[0], "state_province": "Cambridgeshire",
                        "postal_code": f"{code.code} 1AA", "country": "GB"}],
        ))
    listed = []
    for i in range(80):
        at = rng.sample(places, 2 if i % 7 == 0 else 1)
        listed.append(ServiceCreate(
            id=uuid.uuid4(), organization_id=org.id, status="active",
            name=f"{rng.choice(NAMES)} {rng.choice(WORDS)} {i}",
            description=" ".join(rng.choice(WORDS + NAMES) for _ in range(6)),
            taxonomy_term_ids=[t.id for t in rng.sample(terms, rng.randint(0, 2))],
            service_at_locations=[{"location_id": place.id} for place in at],
        ))
    return Batch([taxonomy], terms, [org], places, listed), {str(t.id): t.name for t in terms}


SEARCHES = [
    {"postcode": "CB1", "proximity": 10_000, "search": "group"},
    {"postcode": "PE1", "proximity": 25_000, "search": "support walk"},
    {"postcode": "PE13", "proximity": 30_000},  # with a need, below
    {"postcode": "CB4", "proximity": 400, "search": "cafe"},
    {"postcode": "PE29", "proximity": 60_000, "search": "circle"},
    {"postcode": "CB7", "search": "drop"},  # a centre and no reach: needs only
    {"postcode": "PE15", "proximity": 900_000, "search": "group"},  # too wide for squares
]


async def _pages(db: Database, query: dict, per_place: bool) -> list[tuple]:
    find = finding.find_service_at_locations if per_place else finding.find_services
    pages = []
    for page in (1, 2, 3, 9):
        found = await find(db, ServiceQuery(per_page=7, page=page, **query))
        if per_place:
            pages.append(([item["id"] for item in found.items], found.total))
        else:
            distances = sorted(round(d, 3) for d in found.distances.values())
            pages.append(([item["id"] for item in found.services], found.total, distances))
    return pages


async def test_a_search_asking_the_index_for_needs_and_squares_finds_what_the_database_finds(
    database_url, editor, monkeypatch
):
    db = Database(await database_url("signposting"))
    try:
        batch, names = _directory(random.Random(11))
        await transfer.import_batch(db, editor, batch)
        mental_health, anxiety, carers = (next(i for i, n in names.items() if n == name)
                                          for name in ("Mental health", "Anxiety", "Carers"))
        queries = [*SEARCHES]
        for need in ((mental_health,), (anxiety,), (carers, anxiety), ("no-such-need",)):
            queries += [{**query, "taxonomy_term_ids": need} for query in SEARCHES]
        asked, keys_of = [], search._keys

        async def noted(*args):
            asked.append(await keys_of(*args))
            return asked[-1]

        monkeypatch.setattr(search, "_keys", noted)
        keyed = []
        for query in queries:
            for per_place in (False, True):
                keyed.append(await _pages(db, query, per_place))
        assert {(keys.needs, keys.near) for keys in asked if keys is not None} == {
            (True, True), (True, False), (False, True)
        }

        async def no_keys(*_args):
            return None

        monkeypatch.setattr(search, "_keys", no_keys)
        for n, query in enumerate(queries):
            for k, per_place in enumerate((False, True)):
                assert await _pages(db, query, per_place) == keyed[2 * n + k], (query, per_place)
        # The searches found something, mostly, and pages past the end are counted.
        assert sum(1 for pages in keyed if pages[0][1]) > len(keyed) // 2
    finally:
        await db.dispose()


async def test_the_terms_follow_a_services_needs_and_places_and_a_place_that_moves(db, editor, small_directory):
    ids = await small_directory(db)

    async def near(postcode: str, **query) -> list[str]:
        found = await finding.find_services(db, ServiceQuery(postcode=postcode, proximity=3000, search="cafe", **query))
        return [s["name"] for s in found.services]

    assert await near("PE13") == ["Wisbech Wellbeing Cafe"]
    assert await near("PE13", taxonomy_term_ids=(ids["Carers"],)) == []
    await services.change_service(db, editor, ids["wisbech"], ServiceUpdate(taxonomy_term_ids=[ids["Carers"]]))
    assert await near("PE13", taxonomy_term_ids=(ids["Carers"],)) == ["Wisbech Wellbeing Cafe"]
    assert await near("PE13", taxonomy_term_ids=(ids["Mental health"],)) == []

    cafe = await services.service(db, ids["wisbech"])
    assert cafe is not None
    # What search reads is the forum's own: Open Referral UK documents and exports never show it.
    assert not {"search_keys", "place_x", "place_y", "place_z", "search_text"} & set(cafe.hsds)
    exported = (await transfer.export_json(db))["services"]
    assert exported and not any({"search_keys", "place_x", "search_text"} & set(service) for service in exported)
    library = cafe.hsds["service_at_locations"][0]["location_id"]
    # The library moves to Cambridge: the cafe is found there, and not in Wisbech.
    await locations.change_location(db, editor, library, LocationUpdate(latitude=52.2180, longitude=0.1370))
    assert await near("PE13") == []
    assert "Wisbech Wellbeing Cafe" in await near("CB4", taxonomy_term_ids=(ids["Carers"],))
