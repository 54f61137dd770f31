"""Pages for anyone, no sign-in: the start page and "Find a local group"."""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.responses import Response

from forum_shared.db import Database
from forum_shared.errors import NotFound
from forum_shared.ui import render
from forum_shared.web import DbDep
from signposting.pages.finding import need_options, run_search
from signposting.pages.present import miles, summary
from signposting.service import organizations, services

router = APIRouter(include_in_schema=False)


async def start_page(request: Request, db: Database) -> Response:
    """The service's start page (the Open Referral UK API answers programs at the same address)."""
    return render(request, "start.html", needs=await need_options(db))


@router.get("/find-a-group")
async def find_a_group(request: Request, db: DbDep) -> Response:
    found = await run_search(db, request.query_params, request.url.path)
    needs = await need_options(db)
    status = 422 if found.form.errors else 200
    return render(request, "find.html", search=found, needs=needs, form=found.form, miles=miles, status_code=status)


@router.get("/find-a-group/services/{service_id}")
async def service_page(request: Request, service_id: str, db: DbDep) -> Response:
    found = await services.service(db, service_id)
    if found is None:
        raise NotFound("There is no group or service at this address. It may have been taken out of the directory.")
    return render(request, "service.html", service=summary(found.hsds))


@router.get("/find-a-group/groups/{organization_id}")
async def group_page(request: Request, organization_id: str, db: DbDep) -> Response:
    found = await organizations.organization_overview(db, organization_id, active_services_only=True)
    if found is None:
        raise NotFound("There is no group at this address. It may have been taken out of the directory.")
    offered = [summary(s) for s in found.services]
    return render(request, "group.html", organization=found.organization, group=found.group, offered=offered)
