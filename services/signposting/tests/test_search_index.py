"""The search index: kept in step with every way a service is written (added, changed, listed for a
community group and withdrawn, imported), filled by its migration for the services already listed,
and what a word finds. On SQLite the index is FTS5 tables kept in step by triggers: FTS5's own
integrity check compares them with the services they index."""

import copy
import json
from datetime import UTC, datetime
from pathlib import Path

import sqlalchemy as sa

from forum_shared.db import Database, UTCDateTime
from forum_shared.migrations import upgrade
from signposting import hsds_files, map_squares
from signposting.app import MIGRATIONS
from signposting.domain import ServiceQuery
from signposting.schemas.community_groups import CommunityGroupCreate, CommunityGroupUpdate
from signposting.schemas.services import ServiceUpdate
from signposting.service import community_groups, finding, services, transfer
from signposting.store import search
from signposting.store.tables import services as services_table

EXAMPLE = json.loads((Path(__file__).parent / "standards" / "oruk-profile" / "example_service_full.json").read_text())


async def _names(db, **query) -> list[str]:
    return [s["name"] for s in (await finding.find_services(db, ServiceQuery(per_page=100, **query))).services]


async def _index_is_in_step(db: Database) -> None:
    """FTS5 checks its index against the services (it fails if one row differs)."""
    if db.is_sqlite:
        async with db.engine.begin() as conn:
            for index in ("services_words", "services_name_words"):
                await conn.execute(sa.text(f"INSERT INTO {index}({index}, rank) VALUES ('integrity-check', 1)"))


async def test_a_word_begins_a_word_of_the_service_in_any_case_and_every_word_must_be_there(db, small_directory):
    await small_directory(db)
    assert await _names(db, search="carer") == ["March Carers Group", "Peterborough Anxiety Support"]
    assert await _names(db, search="Peter ANX") == ["Peterborough Anxiety Support"]
    assert await _names(db, search="carers-trust") == ["March Carers Group", "Peterborough Anxiety Support"]
    assert await _names(db, search="arers") == []  # inside a word: not found
    assert await _names(db, search="carers anxiety") == ["Peterborough Anxiety Support"]
    assert await _names(db, search="& +") == await _names(db)  # no letter or digit: no words at all


async def test_the_index_follows_services_added_changed_listed_withdrawn_and_imported(db, editor, small_directory):
    ids = await small_directory(db)
    await _index_is_in_step(db)

    await services.change_service(
        db, editor, ids["cambridge"], ServiceUpdate(name="Voices Circle", description="Meets on Tuesdays.")
    )
    assert await _names(db, search="circle tuesdays") == ["Voices Circle"]
    assert await _names(db, search="hearing") == []
    await _index_is_in_step(db)

    group = await community_groups.register_community_group(
        db, editor, CommunityGroupCreate(name="Ramsey Knitters", areas=["Ramsey"])
    )
    assert await _names(db, search="knitters", status="active") == ["Ramsey Knitters"]
    renamed = CommunityGroupUpdate(name="Ramsey Stitchers", description="Stitching and a chat.")
    await community_groups.change_community_group(db, editor, group.id, renamed)
    assert (await _names(db, search="knitters"), await _names(db, search="stitch")) == ([], ["Ramsey Stitchers"])
    await community_groups.withdraw_community_group(db, editor, group.id)
    assert await _names(db, search="stitchers", status="active") == []
    assert await _names(db, search="stitchers") == ["Ramsey Stitchers"]
    await _index_is_in_step(db)

    feed = copy.deepcopy(EXAMPLE)
    feed["service_at_locations"][0]["location"] |= {"latitude": 52.57, "longitude": -0.24}
    await transfer.import_batch(db, editor, hsds_files.parse_json_feed([feed]))
    assert await _names(db, search=EXAMPLE["name"]) == [EXAMPLE["name"]]
    feed["name"] = "Renamed by the feed"
    await transfer.import_batch(db, editor, hsds_files.parse_json_feed([feed]))
    assert (await _names(db, search=EXAMPLE["name"]), await _names(db, search="renamed feed")) == (
        [],
        ["Renamed by the feed"],
    )
    await _index_is_in_step(db)


async def test_a_page_is_the_same_whether_the_names_are_walked_or_the_matches_sorted(db, small_directory):
    ids = await small_directory(db)
    for query in (
        {"taxonomy_term_ids": (ids["Mental health"],)},
        {"day": "MO"},
        {"language": "pl", "status": "active"},
        {"accessibility": "wheelchair"},
    ):
        # A page of 100 of a few matches sorts them; pages of one walk the services by name.
        whole = await _names(db, **query)
        pages = [await finding.find_services(db, ServiceQuery(per_page=1, page=n, **query)) for n in (1, 2, 3, 4)]
        assert [s["name"] for found in pages for s in found.services] == whole, query
        assert {found.total for found in pages} == {len(whole)}


async def test_words_in_the_name_first_gives_the_same_pages_as_ranking_every_match(db, small_directory, monkeypatch):
    await small_directory(db)
    queries = [{"search": "carers"}, {"search": "group"}, {"search": "wellbeing cafe", "postcode": "PE13"}, {}]
    ranked = [await _names(db, **query) for query in queries]
    monkeypatch.setattr(search, "RANK_EVERY_MATCH_UP_TO", 0)
    for query, expected in zip(queries, ranked, strict=True):
        pages = [await finding.find_services(db, ServiceQuery(per_page=1, page=n, **query)) for n in range(1, 6)]
        assert [s["name"] for found in pages for s in found.services] == expected, query
        assert {found.total for found in pages} == {len(expected)}


async def test_a_service_at_several_places_is_counted_once_at_its_nearest(db, editor, small_directory):
    ids = await small_directory(db)
    library = (await finding.find_service_at_locations(db, ServiceQuery(postcode="PE1", proximity=5000))).items
    assert [link["service"]["name"] for link in library] == ["Peterborough Anxiety Support"]
    cafe = await services.service(db, ids["wisbech"])
    assert cafe is not None
    # The Wisbech cafe meets in Peterborough's library too.
    links = [{"location_id": link["location_id"]} for link in cafe.hsds["service_at_locations"]]
    links.append({"location_id": library[0]["location_id"]})
    await services.change_service(db, editor, ids["wisbech"], ServiceUpdate(service_at_locations=links))

    near = await finding.find_services(db, ServiceQuery(postcode="PE1", proximity=5000))
    assert (near.total, [s["name"] for s in near.services]) == (
        2,
        ["Peterborough Anxiety Support", "Wisbech Wellbeing Cafe"],
    )
    assert near.distances[ids["wisbech"]] == near.distances[ids["peterborough"]] < 2000
    county = ServiceQuery(postcode="PE1", proximity=100_000, per_page=1)
    assert (await finding.find_service_at_locations(db, county)).total == 5  # the cafe's two places
    second = await finding.find_services(db, ServiceQuery(postcode="PE1", proximity=100_000, per_page=1, page=2))
    assert (second.total, [s["name"] for s in second.services]) == (4, ["Wisbech Wellbeing Cafe"])


organizations_0002 = sa.table(
    "organizations",
    sa.column("id", sa.String), sa.column("name", sa.String), sa.column("description", sa.Text),
    sa.column("last_modified", UTCDateTime), sa.column("created_at", UTCDateTime),
    sa.column("community_group", sa.Boolean), sa.column("pop_up_count", sa.Integer),
)
services_0002 = sa.table(
    "services",
    sa.column("id", sa.String), sa.column("organization_id", sa.String), sa.column("name", sa.String),
    sa.column("status", sa.String), sa.column("search_text", sa.Text),
    sa.column("last_modified", UTCDateTime), sa.column("created_at", UTCDateTime),
)
locations_0002 = sa.table(
    "locations",
    sa.column("id", sa.String), sa.column("location_type", sa.String), sa.column("name", sa.String),
    sa.column("last_modified", UTCDateTime), sa.column("outward_code", sa.String),
    sa.column("geo_lat", sa.Float), sa.column("geo_lon", sa.Float),
)
terms_0002 = sa.table(
    "taxonomy_terms", sa.column("id", sa.String), sa.column("name", sa.String), sa.column("description", sa.Text)
)
attributes_0002 = sa.table(
    "attributes", sa.column("id", sa.String), sa.column("link_id", sa.String), sa.column("link_entity", sa.String),
    sa.column("taxonomy_term_id", sa.String),
)
links_0002 = sa.table(
    "service_at_locations", sa.column("id", sa.String), sa.column("service_id", sa.String),
    sa.column("location_id", sa.String),
)


async def test_the_upgrade_indexes_the_services_already_listed_and_places_their_locations(database_url):
    db = Database(await database_url("signposting", empty=True))
    now = datetime(2026, 1, 1, 9, tzinfo=UTC)
    org, cafe, line, place, need = (f"{n}{n}{n}{n}{n}{n}{n}{n}-1111-4111-8111-111111111111" for n in range(1, 6))
    try:
        await upgrade(db.engine, MIGRATIONS, "0002")
        async with db.engine.begin() as conn:
            await conn.execute(organizations_0002.insert().values(
                id=org, name="Fenland Trust", description="A trust.", last_modified=now, created_at=now,
                community_group=False, pop_up_count=0,
            ))
            for service_id, name in ((cafe, "Wisbech Peer Cafe"), (line, "Listening Line")):
                await conn.execute(services_0002.insert().values(
                    id=service_id, organization_id=org, name=name, status="active", last_modified=now,
                    created_at=now, search_text=f"{name.lower()} peer support fenland trust",
                ))
            await conn.execute(locations_0002.insert().values(
                id=place, location_type="physical", name="Wisbech Library", last_modified=now, outward_code="PE13",
                geo_lat=52.6661, geo_lon=0.1594,
            ))
            await conn.execute(links_0002.insert().values(id=org.replace("1", "5"), service_id=cafe, location_id=place))
            await conn.execute(terms_0002.insert().values(id=need, name="Loneliness", description="Loneliness"))
            for service_id in (cafe, line):
                await conn.execute(attributes_0002.insert().values(
                    id=service_id.replace("1", "6"), link_id=service_id, link_entity="service", taxonomy_term_id=need
                ))
        await upgrade(db.engine, MIGRATIONS)

        assert await _names(db, search="peer") == ["Wisbech Peer Cafe", "Listening Line"]
        assert await _names(db, search="listening suppo") == ["Listening Line"]
        near = await finding.find_services(db, ServiceQuery(postcode="PE13", proximity=2000))
        assert [s["name"] for s in near.services] == ["Wisbech Peer Cafe"] and near.distances[cafe] < 1000
        # Its needs and the map squares of its places are terms of the index (`search_keys`).
        assert await _names(db, search="peer", taxonomy_term_ids=(need,)) == ["Wisbech Peer Cafe", "Listening Line"]
        assert await _names(db, search="peer", postcode="PE13", proximity=2000) == ["Wisbech Peer Cafe"]
        assert await _names(db, search="peer", postcode="CB1", proximity=2000, taxonomy_term_ids=(need,)) == []
        async with db.read() as session:
            keys = dict((await session.execute(sa.select(services_table.c.id, services_table.c.search_keys))).all())
        assert keys[line] == map_squares.need(need)
        assert keys[cafe].split() == [map_squares.need(need), *sorted(
            map_squares.square(size, 52.6661, 0.1594) for size in range(len(map_squares.SIZES_KM))
        )]
        await _index_is_in_step(db)
    finally:
        await db.dispose()


async def test_the_database_orders_and_measures_as_the_domains_rules_say(db, small_directory):
    """The database ranks and measures (for speed); `domain.relevance` and `domain.haversine_m` say
    what it must come to: relevance never rises down the list, and each distance is the haversine
    one to the service's nearest place."""
    from signposting import domain
    from signposting.store.detail_tables import locations, service_at_locations

    await small_directory(db)
    async with db.read() as session:
        rows = {r.id: r for r in (await session.execute(sa.select(services_table))).all()}
        places = (await session.execute(
            sa.select(service_at_locations.c.service_id, locations.c.geo_lat, locations.c.geo_lon)
            .join(locations, locations.c.id == service_at_locations.c.location_id)
            .where(locations.c.geo_lat.is_not(None))
        )).all()
    for words in ("carers", "group", "support", "wellbeing cafe"):
        found = await finding.find_services(db, ServiceQuery(search=words, per_page=100))
        ids = [s["id"] for s in found.services]
        scores = [domain.relevance(words.split(), rows[i].name, rows[i].search_text) for i in ids]
        assert scores and all(s > 0 for s in scores) and scores == sorted(scores, reverse=True), (words, scores)
    query = ServiceQuery(postcode="PE1", proximity=100_000, per_page=100)
    centre = query.place().centre
    found = await finding.find_services(db, query)
    assert found.distances
    for service_id, metres in found.distances.items():
        nearest = min(domain.haversine_m(*centre, lat, lon) for sid, lat, lon in places if sid == service_id)
        assert abs(metres - nearest) < 1, (service_id, metres, nearest)
