"""Organisations of the directory: staff add and change them, anyone reads them, and one search
finds them for the open API and the staff pages alike.

Renaming an organisation that is an active community group publishes `CommunityGroupUpdated`, so
the other services show the new name.
"""

from __future__ import annotations

from dataclasses import dataclass

from forum_shared.db import Database
from forum_shared.errors import Conflict, NotFound
from forum_shared.events.signposting import CommunityGroupUpdated
from forum_shared.unit_of_work import Work, unit_of_work
from signposting import domain
from signposting.hsds import Document
from signposting.records import (
    Change,
    CommunityGroup,
    DocumentsPage,
    Organization,
    OrganizationSummary,
)
from signposting.schemas.hsds import OrganizationCreate, OrganizationUpdate
from signposting.service import group_listings
from signposting.service.editor import Editor
from signposting.service.writing import child_rows, keep_history, new_id, row_of, validated
from signposting.store import browse, community_groups, directory, documents
from signposting.store.changes import changes_to


@dataclass(frozen=True)
class OrganizationOverview:
    """An organisation with what it offers: for its page, and its community group's."""

    organization: Document
    record: Organization
    group: CommunityGroup | None
    services: list[Document]
    changes: list[Change]


def no_such_organization(organization_id: str) -> NotFound:
    return NotFound(f"There is no organisation with id {organization_id} in the directory.")


# -- the steps every change of an organisation takes (staff and imports alike) ------------
async def save_organization(work: Work, data: OrganizationCreate, by: str, *, announce: bool = True) -> str:
    """Create an organisation, or replace it if its id is already in the directory; its history
    keeps each changed field. Without a description (Open Referral UK requires one) it is said to
    be listed here. A rename refreshes the words its services are found by; a community group's
    listing follows its changes."""
    session = work.session
    org_id = new_id(data.id)
    before = await documents.organization_full(session, org_id, [])
    values = {
        **row_of(data, exclude=frozenset({"phones"})),
        "description": data.description or domain.organization_description(data.name),
    }
    await directory.write_organization(session, org_id, values, new=before is None)
    await directory.replace_phones(session, "organization_id", org_id, child_rows(data.phones))
    after = await _document(work, org_id)
    changes = await keep_history(session, "organization", org_id, before, after, by)
    if before is not None and "name" in changes:
        await directory.refresh_search_index(session, await directory.service_ids_of_organization(session, org_id))
        if announce:
            await announce_community_group_change(work, org_id)
    if before is not None and changes:
        await group_listings.keep_listing(work, org_id, by)
    return org_id


async def update_organization(
    work: Work, org_id: str, patch: OrganizationUpdate, by: str, *, announce: bool = True
) -> str:
    """Apply a change of only the fields given; `NotFound` if there is no such organisation."""
    current = await documents.organization_full(work.session, org_id, [])
    if current is None:
        raise no_such_organization(org_id)
    merged = {**current, **patch.model_dump(exclude_unset=True, mode="json"), "id": org_id}
    return await save_organization(work, validated(OrganizationCreate, merged), by, announce=announce)


async def announce_community_group_change(work: Work, org_id: str) -> None:
    """Tell the forum an active community group's name or areas changed."""
    found = await directory.organization(work.session, org_id)
    if found is not None and found.is_active_group:
        areas = await community_groups.areas_of(work.session, org_id)
        await work.publish(CommunityGroupUpdated(community_group_id=org_id, name=found.name, areas=areas))


# -- use cases ----------------------------------------------------------------------------
async def add_organization(db: Database, editor: Editor, data: OrganizationCreate) -> Document:
    """Add an organisation (`Conflict` if its id is taken); returns it as Open Referral UK shows it."""
    async with unit_of_work(db, editor.user, "directory.organization_added") as work:
        if data.id is not None and await directory.exists(work.session, "organisation", str(data.id)):
            raise Conflict(f"There is already an organisation with id {data.id}: change it with PATCH instead.")
        org_id = await save_organization(work, data, editor.name)
        work.audit("directory.organization_added", f"organization:{org_id}")
        return await _document(work, org_id)


async def change_organization(db: Database, editor: Editor, org_id: str, patch: OrganizationUpdate) -> Document:
    """Change the fields given; `NotFound` if there is no such organisation."""
    fields = sorted(patch.model_fields_set)
    async with unit_of_work(db, editor.user, "directory.organization_changed", f"organization:{org_id}",
                            {"fields": fields}) as work:
        await update_organization(work, org_id, patch, editor.name)
        return await _document(work, org_id)


async def _document(work: Work, org_id: str) -> Document:
    found = await documents.organization_full(work.session, org_id, [])
    if found is None:
        raise no_such_organization(org_id)
    return found


async def organization(db: Database, org_id: str) -> Document | None:
    """An organisation with its phones, as Open Referral UK shows it; None if there is none."""
    async with db.read() as session:
        return await documents.organization_full(session, org_id, [])


async def organization_with_services(db: Database, org_id: str) -> Document:
    """An organisation with its phones and every service it runs (by name); `NotFound` if none."""
    async with db.read() as session:
        found = await documents.organization_full(session, org_id, await documents.service_ids_of(session, org_id))
    if found is None:
        raise no_such_organization(org_id)
    return found


async def organization_overview(
    db: Database, org_id: str, *, active_services_only: bool = False, with_history: bool = False
) -> OrganizationOverview | None:
    """An organisation, its community group if it is (or was) one, the services it runs with all
    their details, and (if asked) its last ten changes, newest first; None if there is none."""
    async with db.read() as session:
        found = await documents.organization_full(session, org_id, [])
        record = await directory.organization(session, org_id)
        if found is None or record is None:
            return None
        group = await community_groups.community_group(session, org_id)
        service_ids = await documents.service_ids_of(session, org_id, active_only=active_services_only)
        offered = await documents.services_full(session, service_ids)
        changes = (await changes_to(session, org_id))[-10:][::-1] if with_history else []
    return OrganizationOverview(found, record, group, offered, changes)


async def organizations_page(db: Database, search: str | None, page_number: int, per_page: int) -> DocumentsPage:
    """A page of the organisations whose name or description holds every word of `search`, by name."""
    async with db.read() as session:
        total = await browse.organization_count(session, search)
        listed = await browse.organization_page(session, search, (page_number - 1) * per_page, per_page)
        found = await documents.organizations_brief(session, [o.id for o in listed])
    return DocumentsPage([found[o.id] for o in listed], total, page_number, per_page)


async def count_organizations(db: Database, search: str | None) -> int:
    """How many organisations the search below finds."""
    async with db.read() as session:
        return await browse.organization_count(session, search)


async def search_organizations(db: Database, search: str | None, offset: int, limit: int) -> list[OrganizationSummary]:
    """Organisations whose name or description holds every word of `search`, by name, for staff:
    whether each is a community group, when it was checked, how many services it runs."""
    async with db.read() as session:
        return await browse.organization_page(session, search, offset, limit)
