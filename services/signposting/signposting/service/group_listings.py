"""A community group's listing: the one service that says what the group offers, so the public and
partners find the group by the service search (its name and words, its areas) and in Open Referral
UK `/services`, not only under `/organizations`.

Registering (or marking) a group makes its listing, active; a change of the group's name,
description, email, website or areas changes the listing with it; withdrawing the group makes the
listing inactive, and marking it again makes it active. What staff add to a listing through the
service API (sessions, places, needs) is left as it is. Each change is kept in the listing's history.
"""

from __future__ import annotations

from forum_shared.unit_of_work import Work
from signposting.domain import CommunityGroupStatus, ServiceStatus
from signposting.service.writing import keep_history, new_id
from signposting.store import community_groups, directory, documents


async def keep_listing(work: Work, org_id: str, by: str) -> None:
    """Bring the listing of the community group `org_id` in step with the group (made the first
    time); nothing for an organisation that is not a community group, nor for a listing already
    in step."""
    session = work.session
    group = await community_groups.community_group(session, org_id)
    if group is None:
        return
    service_id = group.service_id or new_id()
    before = next(iter(await documents.services_full(session, [service_id])), None)
    active = group.status == CommunityGroupStatus.ACTIVE
    values: dict[str, object] = {
        "organization_id": org_id,
        "name": group.name,
        "description": group.description,
        "email": group.email,
        "url": group.website,
        "status": (ServiceStatus.ACTIVE if active else ServiceStatus.INACTIVE).value,
    }
    if before is not None and _in_step(before, values, group.areas):
        return
    await community_groups.write_listing(session, org_id, service_id, values, group.areas, new=before is None)
    await directory.refresh_search_index(session, [service_id])
    after = (await documents.services_full(session, [service_id]))[0]
    await keep_history(session, "service", service_id, before, after, by)


def _in_step(listing: dict[str, object], values: dict[str, object], areas: list[str]) -> bool:
    listed_areas = listing.get("service_areas")
    names = sorted(str(a.get("name")) for a in listed_areas) if isinstance(listed_areas, list) else []
    return all(listing.get(k) == v for k, v in values.items()) and names == sorted(areas)
