"""Staff keep the directory's organisations and community groups: list, add, change, withdraw."""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter, Request
from sqlalchemy import func, or_, select
from starlette.responses import RedirectResponse, Response

from forum_shared.errors import NotFound
from forum_shared.audit import record_audit
from forum_shared.ui import Form, Pagination, StaffUser, notify, render
from signposting import community, directory, domain, hsds
from signposting.forum_schemas import CommunityGroupCreate, CommunityGroupMark, CommunityGroupUpdate
from signposting.history import history_of
from signposting.pages.present import summary
from signposting.pages.validation import check, given, lines, posted
from signposting.schemas import OrganizationCreate, OrganizationUpdate
from signposting.store import organizations, services

router = APIRouter(include_in_schema=False)
FIELDS = ("name", "description", "areas", "email", "phone", "website")
MESSAGES = {"name": "Enter the group's name", "areas": "Enter at least one area it covers, like Wisbech or PE13"}


def _db(request: Request):
    return request.app.state.kit.db


@router.get("/staff/directory")
async def directory_page(request: Request, user: StaffUser) -> Response:
    search = (request.query_params.get("search") or "").strip()[:200]
    conds = [
        or_(func.lower(organizations.c.name).like(f"%{w}%"), func.lower(func.coalesce(organizations.c.description, "")).like(f"%{w}%"))
        for w in domain.words_of(search)
    ]
    counts = select(services.c.organization_id, func.count().label("n")).group_by(services.c.organization_id).subquery()
    async with _db(request).read() as session:
        total = await session.scalar(select(func.count()).select_from(organizations).where(*conds))
        page = Pagination.from_request(request, total, size=25)
        rows = (await session.execute(
            select(organizations.c.id, organizations.c.name, organizations.c.community_group, organizations.c.community_status,
                   organizations.c.verified_on, func.coalesce(counts.c.n, 0).label("services"))
            .outerjoin(counts, counts.c.organization_id == organizations.c.id)
            .where(*conds).order_by(organizations.c.name, organizations.c.id).offset(page.offset).limit(page.size)
        )).all()
    return render(request, "staff/directory.html", rows=rows, page=page, search=search)


# -- adding -----------------------------------------------------------------------------------
@router.get("/staff/community-groups/new")
async def new_group_page(request: Request, user: StaffUser) -> Response:
    return render(request, "staff/organization_form.html", form=Form(), group=True, new=True)


@router.post("/staff/community-groups/new")
async def new_group(request: Request, user: StaffUser) -> Response:
    values = await posted(request, FIELDS)
    form = check(CommunityGroupCreate, values, given({**values, "areas": lines(values["areas"])}), messages=MESSAGES)
    if not form.ok:
        return render(request, "staff/organization_form.html", form=form, group=True, new=True, status_code=422)
    async with _db(request).transaction() as session:
        group = await community.register_community_group(session, form.data, user.name)
        await record_audit(session, user, "community_group.registered", f"organization:{group['id']}")
    return notify(RedirectResponse(f"/staff/organizations/{group['id']}", 303), request,
                  f"{group['name']} is in the directory and can host pop-up forums.")


@router.get("/staff/organizations/new")
async def new_organization_page(request: Request, user: StaffUser) -> Response:
    return render(request, "staff/organization_form.html", form=Form(), group=False, new=True)


@router.post("/staff/organizations/new")
async def new_organization(request: Request, user: StaffUser) -> Response:
    values = await posted(request, FIELDS)
    model_values = given({**values, "phones": [{"number": values["phone"]}] if values["phone"] else []})
    form = check(OrganizationCreate, values, model_values, {"phones": "phone"}, {"name": "Enter the organisation's name"})
    if not form.ok:
        return render(request, "staff/organization_form.html", form=form, group=False, new=True, status_code=422)
    async with _db(request).transaction() as session:
        org_id = await directory.save_organization(session, form.data, user.name)
        await record_audit(session, user, "directory.organization_added", f"organization:{org_id}")
    return notify(RedirectResponse(f"/staff/organizations/{org_id}", 303), request, f"{form.data.name} is in the directory.")


# -- changing ---------------------------------------------------------------------------------
async def _current(request: Request, org_id: str) -> tuple[dict, dict | None]:
    async with _db(request).read() as session:
        organization = await hsds.organization_full(session, org_id, [])
        if organization is None:
            raise NotFound("There is no organisation with that id in the directory.")
        row = await directory.organization_row(session, org_id)
        active = row.community_group and row.community_status == "active"
        return organization, (await community.community_group(session, org_id) if active else None)


@router.get("/staff/organizations/{org_id}/edit")
async def edit_organization_page(request: Request, org_id: str, user: StaffUser) -> Response:
    organization, group = await _current(request, org_id)
    phones = organization.get("phones") or []
    values = {k: organization.get(k) or "" for k in ("name", "description", "email", "website")}
    values |= {"phone": phones[0]["number"] if phones else "", "areas": "\n".join(group["areas"]) if group else ""}
    return render(request, "staff/organization_form.html", form=Form(values), group=group is not None, new=False,
                  organization=organization)


@router.post("/staff/organizations/{org_id}/edit")
async def edit_organization(request: Request, org_id: str, user: StaffUser) -> Response:
    organization, group = await _current(request, org_id)
    values = await posted(request, FIELDS)
    # Every field is on the form, so an emptied box clears that detail.
    cleared = {k: values[k] or None for k in ("description", "email", "website")}
    if group is not None:
        model_values = {**cleared, "name": values["name"], "areas": lines(values["areas"]), "phone": values["phone"] or None}
        form = check(CommunityGroupUpdate, values, model_values, messages=MESSAGES)
    else:
        model_values = {**cleared, "name": values["name"], "phones": [{"number": values["phone"]}] if values["phone"] else []}
        form = check(OrganizationUpdate, values, model_values, {"phones": "phone"})
    if not form.ok:
        return render(request, "staff/organization_form.html", form=form, group=group is not None, new=False,
                      organization=organization, status_code=422)
    async with _db(request).transaction() as session:
        if group is not None:
            await community.update_community_group(session, org_id, form.data, user.name)
            await record_audit(session, user, "community_group.changed", f"organization:{org_id}", {"fields": sorted(form.data.model_fields_set)})
        else:
            await directory.update_organization(session, org_id, form.data, user.name)
            await record_audit(session, user, "directory.organization_changed", f"organization:{org_id}",
                               {"fields": sorted(form.data.model_fields_set)})
    return notify(RedirectResponse(f"/staff/organizations/{org_id}", 303), request, "The details have been changed.")


@router.get("/staff/organizations/{org_id}/withdraw")
async def withdraw_page(request: Request, org_id: str, user: StaffUser) -> Response:
    organization, group = await _current(request, org_id)
    if group is None:
        raise NotFound("This organisation is not an active community group.")
    return render(request, "staff/withdraw.html", organization=organization)


@router.post("/staff/organizations/{org_id}/withdraw")
async def withdraw(request: Request, org_id: str, user: StaffUser) -> Response:
    async with _db(request).transaction() as session:
        group = await community.withdraw_community_group(session, org_id, user.name)
        await record_audit(session, user, "community_group.withdrawn", f"organization:{org_id}")
    return notify(RedirectResponse(f"/staff/organizations/{org_id}", 303), request,
                  f"{group['name']} can no longer host pop-up forums. It stays in the directory.")


@router.get("/staff/organizations/{org_id}/community-group")
async def mark_page(request: Request, org_id: str, user: StaffUser) -> Response:
    organization, _group = await _current(request, org_id)
    return render(request, "staff/mark_group.html", organization=organization, form=Form())


@router.post("/staff/organizations/{org_id}/community-group")
async def mark(request: Request, org_id: str, user: StaffUser) -> Response:
    organization, _group = await _current(request, org_id)
    values = await posted(request, ("areas",))
    form = check(CommunityGroupMark, values, {"areas": lines(values["areas"])}, messages=MESSAGES)
    if not form.ok:
        return render(request, "staff/mark_group.html", organization=organization, form=form, status_code=422)
    async with _db(request).transaction() as session:
        await community.mark_community_group(session, org_id, form.data.areas, user.name)
        await record_audit(session, user, "community_group.registered", f"organization:{org_id}")
    return notify(RedirectResponse(f"/staff/organizations/{org_id}", 303), request,
                  f"{organization['name']} can now host pop-up forums.")


@router.get("/staff/organizations/{org_id}")
async def organization_page(request: Request, org_id: str, user: StaffUser) -> Response:
    async with _db(request).read() as session:
        organization = await hsds.organization_full(session, org_id, [])
        if organization is None:
            raise NotFound("There is no organisation with that id in the directory.")
        row = await directory.organization_row(session, org_id)
        group = await community.community_group(session, org_id) if row.community_group else None
        ids = (await session.execute(select(services.c.id).where(services.c.organization_id == org_id).order_by(services.c.name))).scalars().all()
        offered = [summary(s) for s in await hsds.services_full(session, ids)]
        changes = [{**c, "when": datetime.fromisoformat(c["last_action_date"].replace("Z", "+00:00"))}
                   for c in (await history_of(session, org_id))[-10:][::-1]]
    return render(request, "staff/organization.html", organization=organization, group=group, offered=offered,
                  changes=changes, verified_on=row.verified_on)
