"""Signposting tables, after the HSDS 3.0 model (Open Referral UK): organisations, services,
needs (taxonomies and their terms), service areas, the history of changes, and the forum's own
anonymous signposting records. Where and when a service meets people is in `detail_tables`.

Columns carry the HSDS field names, so a row is an HSDS object once its empty fields are dropped;
`INTERNAL` columns are ours (what search looks in, verification, community-group state) and are never
shown in Open Referral responses.
"""

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    ColumnElement,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    func,
    literal_column,
)

from forum_shared.db import UTCDateTime, new_metadata

metadata = new_metadata()

ID = 36  # UUIDs, as HSDS asks
INTERNAL = frozenset(
    {
        "search_text", "verified_on", "verified_by", "created_at", "area_key", "outward_code",
        "district", "geo_lat", "geo_lon", "geo_x", "geo_y", "geo_z", "community_group", "community_status",
        "registered_at", "last_visited_on", "last_pop_up_id", "pop_up_count", "position", "group_service_id",
        "only_place", "search_keys", "place_x", "place_y", "place_z",
    }
)


def id_column() -> Column:
    return Column("id", String(ID), primary_key=True)


def reference(name: str, target: str, *, nullable: bool = True, index: bool = True) -> Column:
    return Column(name, String(ID), ForeignKey(f"{target}.id", ondelete="CASCADE"), nullable=nullable, index=index)


organizations = Table(
    "organizations",
    metadata,
    id_column(),
    Column("name", String(300), nullable=False),
    Column("alternate_name", String(300)),
    Column("description", Text, nullable=False),
    Column("email", String(320)),
    Column("website", String(500)),
    Column("legal_status", String(200)),
    Column("logo", String(500)),
    Column("uri", String(500)),
    Column("parent_organization_id", String(ID)),
    Column("last_modified", UTCDateTime, nullable=False, index=True),
    Column("created_at", UTCDateTime, nullable=False),
    Column("verified_on", Date, index=True),
    Column("verified_by", String(200)),
    # Community groups: organisations that can host the forum's pop-up forums.
    Column("community_group", Boolean, nullable=False, default=False, index=True),
    Column("community_status", String(16)),
    Column("registered_at", UTCDateTime),
    Column("last_visited_on", Date),
    Column("last_pop_up_id", String(64)),
    Column("pop_up_count", Integer, nullable=False, default=0),
    # The group's listing: the service that says what it offers (`service.group_listings`).
    Column("group_service_id", String(ID)),
)

# Areas a community group covers (HSDS has no service areas for organisations).
organization_areas = Table(
    "organization_areas",
    metadata,
    Column("organization_id", String(ID), ForeignKey("organizations.id", ondelete="CASCADE"), primary_key=True),
    Column("area", String(100), primary_key=True),
    Column("area_key", String(100), nullable=False, index=True),
)

services = Table(
    "services",
    metadata,
    id_column(),
    reference("organization_id", "organizations", nullable=False),
    Column("name", String(300), nullable=False),
    Column("alternate_name", String(300)),
    Column("description", Text),
    Column("url", String(500)),
    Column("email", String(320)),
    Column("status", String(32), nullable=False, index=True),
    Column("interpretation_services", Text),
    Column("application_process", Text),
    Column("fees_description", Text),
    Column("wait_time", String(200)),
    Column("fees", Text),
    Column("accreditations", Text),
    Column("eligibility_description", Text),
    Column("minimum_age", Float),
    Column("maximum_age", Float),
    Column("assured_date", Date, index=True),
    Column("assurer_email", String(320)),
    Column("alert", Text),
    Column("last_modified", UTCDateTime, nullable=False, index=True),
    Column("created_at", UTCDateTime, nullable=False),
    Column("verified_by", String(200)),
    # Lower-case words of the name, description, organisation, needs and areas, for search.
    Column("search_text", Text, nullable=False, default=""),
    # Its needs and the map squares of its places, as terms of the same index (`map_squares`).
    Column("search_keys", Text, nullable=False, default="", server_default=""),
    # Where it meets people, if at one place with coordinates: that place as a unit vector
    # (`domain.unit_vector`), so search measures its distance without reading the place.
    Column("place_x", Float),
    Column("place_y", Float),
    Column("place_z", Float),
    # Services listed by name (a search with no words and no place).
    Index("ix_services_name", "name", "id"),
)

# The search index of words (`store.search`). On PostgreSQL: these three indexes of each service's
# words and keys, `search_words(…)` (the function migration 0003 made: `to_tsvector('simple', …)`).
# On SQLite: two FTS5 tables over `services` (search_text and search_keys, and name), kept in step
# by triggers; they are not tables of this metadata (migrations 0003 and 0004).
TEXT_SEARCH: ColumnElement[str] = literal_column("'simple'::regconfig")
for _name, _column in (
    ("ix_services_words", services.c.search_text),
    ("ix_services_keys", services.c.search_keys),
    ("ix_services_name_words", services.c.name),
):
    Index(_name, func.search_words(_column), postgresql_using="gin").ddl_if(dialect="postgresql")

taxonomies = Table(
    "taxonomies",
    metadata,
    id_column(),
    Column("name", String(300), nullable=False),
    Column("description", Text, nullable=False),
    Column("uri", String(500)),
    Column("version", String(50)),
)

taxonomy_terms = Table(
    "taxonomy_terms",
    metadata,
    id_column(),
    Column("code", String(100)),
    Column("name", String(300), nullable=False),
    Column("description", Text, nullable=False),
    Column("parent_id", String(ID), index=True),
    Column("taxonomy", String(300)),
    reference("taxonomy_id", "taxonomies"),
    Column("language", String(20)),
    Column("term_uri", String(500)),
)

# HSDS attributes: here, the link between a service and a taxonomy term (its needs and kinds).
attributes = Table(
    "attributes",
    metadata,
    id_column(),
    Column("link_id", String(ID), nullable=False),
    reference("taxonomy_term_id", "taxonomy_terms", nullable=False, index=False),
    Column("link_type", String(100)),
    Column("link_entity", String(50), nullable=False),
    Column("value", Text),
    Index("ix_attributes_link", "link_entity", "link_id"),
    # What has a need (search by need reads only this index).
    Index("ix_attributes_term", "taxonomy_term_id", "link_entity", "link_id"),
)

service_areas = Table(
    "service_areas",
    metadata,
    id_column(),
    reference("service_id", "services", nullable=False),
    Column("name", String(200)),
    Column("description", Text),
    Column("extent", Text),
    Column("extent_type", String(50)),
    Column("uri", String(500)),
    Column("area_key", String(200), nullable=False, index=True),
)

# The history of every change, as HSDS `metadata`: who changed which field of what, and when.
history = Table(
    "history",
    metadata,
    Column("position", BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True),
    Column("id", String(ID), nullable=False, unique=True),
    Column("resource_id", String(ID), nullable=False, index=True),
    Column("resource_type", String(50), nullable=False),
    Column("last_action_date", UTCDateTime, nullable=False),
    Column("last_action_type", String(20), nullable=False),
    Column("field_name", String(100), nullable=False),
    Column("previous_value", Text, nullable=False),
    Column("replacement_value", Text, nullable=False),
    Column("updated_by", String(200), nullable=False),
)

# Anonymous by design: no person, no free-text notes, only where (a district) and what was needed.
signpostings = Table(
    "signpostings",
    metadata,
    id_column(),
    Column("given_at", UTCDateTime, nullable=False, index=True),
    Column("area", String(100)),
    Column("needs", JSON, nullable=False),
    Column("service_ids", JSON, nullable=False),
)

signposting_needs = Table(
    "signposting_needs",
    metadata,
    Column("signposting_id", String(ID), ForeignKey("signpostings.id", ondelete="CASCADE"), primary_key=True),
    Column("need", String(100), primary_key=True),
)

# Searches that found nothing: the need the directory cannot meet yet.
unmet_searches = Table(
    "unmet_searches",
    metadata,
    id_column(),
    Column("searched_at", UTCDateTime, nullable=False, index=True),
    Column("area", String(100)),
    Column("needs", JSON, nullable=False),
    Column("words", String(200)),
)
