"""Pages for anyone, no sign-in: the start page and "Find a local group"."""

from __future__ import annotations

from fastapi import APIRouter, Request
from sqlalchemy import select
from starlette.responses import Response

from forum_shared.errors import NotFound
from forum_shared.ui import render
from signposting import community, hsds
from signposting.pages.finding import need_options, run_search
from signposting.pages.present import miles, summary
from signposting.store import services

router = APIRouter(include_in_schema=False)


def _db(request: Request):
    return request.app.state.kit.db


async def start_page(request: Request) -> Response:
    """The service's start page (the Open Referral UK API answers programs at the same address)."""
    async with _db(request).read() as session:
        needs = await need_options(session)
    return render(request, "start.html", needs=needs)


@router.get("/find-a-group")
async def find_a_group(request: Request) -> Response:
    async with _db(request).read() as session:
        found = await run_search(request, session)
        needs = await need_options(session)
    status = 422 if found.form.errors else 200
    return render(request, "find.html", search=found, needs=needs, form=found.form, miles=miles, status_code=status)


@router.get("/find-a-group/services/{service_id}")
async def service_page(request: Request, service_id: str) -> Response:
    async with _db(request).read() as session:
        found = await hsds.services_full(session, [service_id])
    if not found:
        raise NotFound("There is no group or service at this address. It may have been taken out of the directory.")
    return render(request, "service.html", service=summary(found[0]))


@router.get("/find-a-group/groups/{organization_id}")
async def group_page(request: Request, organization_id: str) -> Response:
    async with _db(request).read() as session:
        service_ids = (await session.execute(
            select(services.c.id).where(services.c.organization_id == organization_id, services.c.status == "active")
            .order_by(services.c.name)
        )).scalars().all()
        organization = await hsds.organization_full(session, organization_id, [])
        if organization is None:
            raise NotFound("There is no group at this address. It may have been taken out of the directory.")
        offered = [summary(s) for s in await hsds.services_full(session, service_ids)]
        try:
            group = await community.community_group(session, organization_id)
        except NotFound:
            group = None
    return render(request, "group.html", organization=organization, group=group, offered=offered)
