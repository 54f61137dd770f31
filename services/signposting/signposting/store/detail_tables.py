"""HSDS objects that say where and when a service meets people and how to reach it: locations
(with addresses, accessibility), the links between services and locations, schedules, languages,
contacts, phones and costs. Same metadata and conventions as `tables`.
"""

from sqlalchemy import Boolean, Column, Date, Float, Index, Integer, String, Table, Text

from forum_shared.db import UTCDateTime
from signposting.store.tables import ID, id_column, metadata, reference

locations = Table(
    "locations",
    metadata,
    id_column(),
    Column("location_type", String(16), nullable=False),
    Column("url", String(500)),
    reference("organization_id", "organizations"),
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
    # approximate centre of its postcode district), also as a unit vector (`domain.unit_vector`)
    # so distance is measured in SQL with sums and products.
    Column("outward_code", String(8), index=True),
    Column("district", String(100), index=True),
    Column("geo_lat", Float),
    Column("geo_lon", Float),
    Column("geo_x", Float),
    Column("geo_y", Float),
    Column("geo_z", Float),
    # Places in a bounding box, with all search needs of them (no row is read).
    Index("ix_locations_geo", "geo_lat", "geo_lon", "geo_x", "geo_y", "geo_z", "id"),
    Index("ix_locations_vector", "id", "geo_x", "geo_y", "geo_z"),
)

addresses = Table(
    "addresses",
    metadata,
    id_column(),
    reference("location_id", "locations", nullable=False),
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
    id_column(),
    reference("location_id", "locations", nullable=False),
    Column("description", Text),
    Column("details", Text),
    Column("url", String(500)),
)

service_at_locations = Table(
    "service_at_locations",
    metadata,
    id_column(),
    reference("service_id", "services", nullable=False, index=False),
    reference("location_id", "locations", nullable=False, index=False),
    Column("description", Text),
    # Whether this is its service's one place: search by proximity then counts the service here
    # without looking for its other places. (Never true of a service with more.)
    Column("only_place", Boolean, nullable=False, default=False),
    # The services at places (search by proximity reads only this index).
    Index("ix_service_at_locations_place", "location_id", "only_place", "service_id"),
    # The places of a service (search measures how far they are from this index and the next).
    Index("ix_service_at_locations_service", "service_id", "location_id"),
)

schedules = Table(
    "schedules",
    metadata,
    id_column(),
    reference("service_id", "services"),
    reference("location_id", "locations"),
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
    id_column(),
    reference("service_id", "services"),
    reference("location_id", "locations"),
    Column("phone_id", String(ID)),
    Column("name", String(100)),
    Column("code", String(20)),
    Column("note", Text),
)

contacts = Table(
    "contacts",
    metadata,
    id_column(),
    reference("organization_id", "organizations"),
    reference("service_id", "services"),
    Column("service_at_location_id", String(ID)),
    reference("location_id", "locations"),
    Column("name", String(200)),
    Column("title", String(200)),
    Column("department", String(200)),
    Column("email", String(320)),
)

phones = Table(
    "phones",
    metadata,
    id_column(),
    reference("location_id", "locations"),
    reference("service_id", "services"),
    reference("organization_id", "organizations"),
    reference("contact_id", "contacts"),
    Column("service_at_location_id", String(ID)),
    Column("number", String(50), nullable=False),
    Column("extension", Float),
    Column("type", String(50)),
    Column("description", Text),
)

cost_options = Table(
    "cost_options",
    metadata,
    id_column(),
    reference("service_id", "services", nullable=False),
    Column("valid_from", Date),
    Column("valid_to", Date),
    Column("option", Text),
    Column("currency", String(3)),
    Column("amount", Float),
    Column("amount_description", Text),
)
