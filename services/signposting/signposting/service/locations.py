"""Locations: the places where services meet people, with their addresses, accessibility and
languages. Each is placed for search by its postcode district, and by coordinates: its own, or
else the approximate centre of its postcode district."""

from __future__ import annotations

from typing import Any

from forum_shared.db import Database
from forum_shared.errors import Conflict, Invalid, NotFound
from forum_shared.unit_of_work import Work, unit_of_work
from signposting import domain
from signposting.hsds import Document
from signposting.schemas.hsds import LocationCreate, LocationUpdate
from signposting.service.editor import Editor
from signposting.service.writing import child_rows, keep_history, new_id, row_of, validated
from signposting.store import directory, documents

LISTS = frozenset({"addresses", "accessibility", "languages"})


def no_such_location(location_id: str) -> NotFound:
    return NotFound(f"There is no location with id {location_id} in the directory.")


def where_for_search(data: LocationCreate) -> dict[str, Any]:
    """Postcode district and coordinates for search; the district's centre if none are given."""
    code = None
    for address in sorted(data.addresses, key=lambda a: a.address_type != "physical"):
        if domain.is_postcode(address.postal_code):
            code = domain.outward_code_of(address.postal_code)
            break
    known = domain.outward_codes().get(code) if code else None
    lat: float | None
    lon: float | None
    if data.latitude is not None and data.longitude is not None:
        lat, lon = data.latitude, data.longitude
    elif known:
        lat, lon = known.latitude, known.longitude
    else:
        lat = lon = None
    x, y, z = domain.unit_vector(lat, lon) if lat is not None and lon is not None else (None, None, None)
    return {
        "outward_code": code, "district": known.district if known else None,
        "geo_lat": lat, "geo_lon": lon, "geo_x": x, "geo_y": y, "geo_z": z,
    }


async def save_location(work: Work, data: LocationCreate, by: str) -> str:
    """Create a location, or replace it if its id is already in the directory."""
    session = work.session
    loc_id = new_id(data.id)
    before = (await documents.locations_full(session, [loc_id])).get(loc_id)
    if data.organization_id and not await directory.exists(session, "organisation", str(data.organization_id)):
        raise Invalid(f"There is no organisation with id {data.organization_id}: add the organisation first.")
    values = {**row_of(data, exclude=LISTS), **where_for_search(data)}
    children = {"addresses": child_rows(data.addresses), "accessibility": child_rows(data.accessibility),
                "languages": child_rows(data.languages)}
    await directory.write_location(session, loc_id, values, children, new=before is None)
    if before is not None:
        # Search finds a service by the map squares of its places.
        await directory.refresh_search_index(session, await directory.service_ids_at_location(session, loc_id))
    await keep_history(session, "location", loc_id, before, await _document(work, loc_id), by)
    return loc_id


async def _document(work: Work, location_id: str) -> Document:
    found = (await documents.locations_full(work.session, [location_id])).get(location_id)
    if found is None:
        raise no_such_location(location_id)
    return found


async def add_location(db: Database, editor: Editor, data: LocationCreate) -> Document:
    """Add a location (`Conflict` if its id is taken); returns it as Open Referral UK shows it."""
    async with unit_of_work(db, editor.user, "directory.location_added") as work:
        if data.id is not None and await directory.exists(work.session, "location", str(data.id)):
            raise Conflict(f"There is already a location with id {data.id}: change it with PATCH instead.")
        loc_id = await save_location(work, data, editor.name)
        work.audit("directory.location_added", f"location:{loc_id}")
        return await _document(work, loc_id)


async def change_location(db: Database, editor: Editor, location_id: str, patch: LocationUpdate) -> Document:
    """Change the fields given (a list given replaces the list); `NotFound` if there is none."""
    fields = sorted(patch.model_fields_set)
    async with unit_of_work(db, editor.user, "directory.location_changed", f"location:{location_id}",
                            {"fields": fields}) as work:
        current = (await documents.locations_full(work.session, [location_id])).get(location_id)
        if current is None:
            raise no_such_location(location_id)
        merged = {**current, **patch.model_dump(exclude_unset=True, mode="json"), "id": location_id}
        await save_location(work, validated(LocationCreate, merged), editor.name)
        return await _document(work, location_id)


async def location(db: Database, location_id: str) -> Document:
    """A location with its addresses, accessibility and languages; `NotFound` if there is none."""
    async with db.read() as session:
        found = (await documents.locations_full(session, [location_id])).get(location_id)
    if found is None:
        raise no_such_location(location_id)
    return found
