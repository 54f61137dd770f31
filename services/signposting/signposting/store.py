"""Signposting tables, after the HSDS 3.0 model (Open Referral UK).

Columns carry the HSDS field names, so a row is an HSDS object once its empty fields are dropped;
`INTERNAL` columns are ours (search helpers, verification, community-group state) and are never
shown in Open Referral responses.
"""

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
)

from forum_shared.db import UTCDateTime, new_metadata

metadata = new_metadata()

ID = 36  # UUIDs, as HSDS asks
INTERNAL = frozenset(
    {
        "search_text", "verified_on", "verified_by", "created_at", "area_key", "outward_code",
        "district", "geo_lat", "geo_lon", "community_group", "community_status", "registered_at",
        "last_visited_on", "last_pop_up_id", "pop_up_count", "position",
    }
)


def _id() -> Column:
    return Column("id", String(ID), primary_key=True)


def _ref(name: str, target: str, *, nullable: bool = True, index: bool = True) -> Column:
    return Column(name, String(ID), ForeignKey(f"{target}.id", ondelete="CASCADE"), nullable=nullable, index=index)


organizations = Table(
    "organizations",
    metadata,
    _id(),
    Column("name", String(300), nullable=False),
    Column("alternate_name", String(300)),
    Column("description", Text),
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
    _id(),
    _ref("organization_id", "organizations", nullable=False),
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
)

locations = Table(
    "locations",
    metadata,
    _id(),
    Column("location_type", String(16), nullable=False),
    Column("url", String(500)),
    _ref("organization_id", "organizations"),
    Column("name", String(300)),
    Column("alternate_name", String(300)),
    Column("description", Text),
    Column("transportation", Text),
    Column("latitude", Float),
    Column("longitude", Float),
    Column("external_identifier", String(100)),
    Column("external_identifier_type", String(100)),
    Column("last_modified", UTCDateTime, nullable=False),
    # Where it is for search: its postcode district, and coordinates (its own, or else the
    # approximate centre of its postcode district).
    Column("outward_code", String(8), index=True),
    Column("district", String(100), index=True),
    Column("geo_lat", Float),
    Column("geo_lon", Float),
    Index("ix_locations_geo", "geo_lat", "geo_lon"),
)

addresses = Table(
    "addresses",
    metadata,
    _id(),
    _ref("location_id", "locations", nullable=False),
    Column("attention", String(200)),
    Column("address_1", String(300), nullable=False),
    Column("address_2", String(300)),
    Column("city", String(100), nullable=False),
    Column("region", String(100)),
    Column("state_province", String(100), nullable=False),
    Column("postal_code", String(16), nullable=False),
    Column("country", String(2), nullable=False),
    Column("address_type", String(16), nullable=False),
)

accessibility = Table(
    "accessibility",
    metadata,
    _id(),
    _ref("location_id", "locations", nullable=False),
    Column("description", Text),
    Column("details", Text),
    Column("url", String(500)),
)

service_at_locations = Table(
    "service_at_locations",
    metadata,
    _id(),
    _ref("service_id", "services", nullable=False),
    _ref("location_id", "locations", nullable=False),
    Column("description", Text),
)

taxonomies = Table(
    "taxonomies",
    metadata,
    _id(),
    Column("name", String(300), nullable=False),
    Column("description", Text),
    Column("uri", String(500)),
    Column("version", String(50)),
)

taxonomy_terms = Table(
    "taxonomy_terms",
    metadata,
    _id(),
    Column("code", String(100)),
    Column("name", String(300), nullable=False),
    Column("description", Text),
    Column("parent_id", String(ID), index=True),
    Column("taxonomy", String(300)),
    _ref("taxonomy_id", "taxonomies"),
    Column("language", String(20)),
    Column("term_uri", String(500)),
)

# HSDS attributes: here, the link between a service and a taxonomy term (its needs and kinds).
attributes = Table(
    "attributes",
    metadata,
    _id(),
    Column("link_id", String(ID), nullable=False),
    _ref("taxonomy_term_id", "taxonomy_terms", nullable=False),
    Column("link_type", String(100)),
    Column("link_entity", String(50), nullable=False),
    Column("value", Text),
    Index("ix_attributes_link", "link_entity", "link_id"),
)

service_areas = Table(
    "service_areas",
    metadata,
    _id(),
    _ref("service_id", "services", nullable=False),
    Column("name", String(200)),
    Column("description", Text),
    Column("extent", Text),
    Column("extent_type", String(50)),
    Column("uri", String(500)),
    Column("area_key", String(200), nullable=False, index=True),
)

schedules = Table(
    "schedules",
    metadata,
    _id(),
    _ref("service_id", "services"),
    _ref("location_id", "locations"),
    Column("service_at_location_id", String(ID)),
    Column("valid_from", Date),
    Column("valid_to", Date),
    Column("dtstart", Date),
    Column("timezone", Float),
    Column("until", Date),
    Column("count", Integer),
    Column("wkst", String(2)),
    Column("freq", String(10)),
    Column("interval", Integer),
    Column("byday", String(100)),
    Column("byweekno", String(100)),
    Column("bymonthday", String(100)),
    Column("byyearday", String(100)),
    Column("description", Text),
    Column("opens_at", String(8)),
    Column("closes_at", String(8)),
    Column("schedule_link", String(500)),
    Column("attending_type", String(200)),
    Column("notes", Text),
)

languages = Table(
    "languages",
    metadata,
    _id(),
    _ref("service_id", "services"),
    _ref("location_id", "locations"),
    Column("phone_id", String(ID)),
    Column("name", String(100)),
    Column("code", String(20)),
    Column("note", Text),
)

contacts = Table(
    "contacts",
    metadata,
    _id(),
    _ref("organization_id", "organizations"),
    _ref("service_id", "services"),
    Column("service_at_location_id", String(ID)),
    _ref("location_id", "locations"),
    Column("name", String(200)),
    Column("title", String(200)),
    Column("department", String(200)),
    Column("email", String(320)),
)

phones = Table(
    "phones",
    metadata,
    _id(),
    _ref("location_id", "locations"),
    _ref("service_id", "services"),
    _ref("organization_id", "organizations"),
    _ref("contact_id", "contacts"),
    Column("service_at_location_id", String(ID)),
    Column("number", String(50), nullable=False),
    Column("extension", Float),
    Column("type", String(50)),
    Column("description", Text),
)

cost_options = Table(
    "cost_options",
    metadata,
    _id(),
    _ref("service_id", "services", nullable=False),
    Column("valid_from", Date),
    Column("valid_to", Date),
    Column("option", Text),
    Column("currency", String(3)),
    Column("amount", Float),
    Column("amount_description", Text),
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
    _id(),
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
    _id(),
    Column("searched_at", UTCDateTime, nullable=False, index=True),
    Column("area", String(100)),
    Column("needs", JSON, nullable=False),
    Column("words", String(200)),
)
