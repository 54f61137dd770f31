"""Staff keep the directory's organisations and community groups: list, add, change, withdraw."""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.responses import RedirectResponse, Response

from forum_shared.db import Database
from forum_shared.errors import NotFound
from forum_shared.text import one_line
from forum_shared.ui import Form, Pagination, StaffUser, notify, render
from forum_shared.web import DbDep
from signposting.hsds import Document
from signposting.pages.present import summary
from signposting.pages.validation import check, given, lines, posted, visible
from signposting.records import CommunityGroup
from signposting.schemas.community_groups import CommunityGroupCreate, CommunityGroupMark, CommunityGroupUpdate
from signposting.schemas.hsds import OrganizationCreate, OrganizationUpdate
from signposting.service import community_groups, organizations
from signposting.service.editor import Editor

router = APIRouter(include_in_schema=False)
FIELDS = ("name", "description", "areas", "email", "phone", "website")
MESSAGES = {"name": "Enter the group's name", "areas": "Enter at least one area it covers, like Wisbech or PE13"}
PER_PAGE = 25


@router.get("/staff/directory")
async def directory_page(request: Request, user: StaffUser, db: DbDep) -> Response:
    search = (request.query_params.get("search") or "").strip()[:200]
    form = Form({"search": search})
    try:
        one_line(search)
    except ValueError as exc:
        form = Form({"search": visible(search)}).add_error("search", str(exc))
        return render(request, "staff/directory.html", rows=[], page=None, search="", form=form, status_code=422)
    page = Pagination.from_request(request, await organizations.count_organizations(db, search), size=PER_PAGE)
    rows = await organizations.search_organizations(db, search, page.offset, page.size)
    return render(request, "staff/directory.html", rows=rows, page=page, search=search, form=form)


# -- adding -----------------------------------------------------------------------------------
@router.get("/staff/community-groups/new")
async def new_group_page(request: Request, user: StaffUser) -> Response:
    return render(request, "staff/organization_form.html", form=Form(), group=True, new=True)


@router.post("/staff/community-groups/new")
async def new_group(request: Request, user: StaffUser, db: DbDep) -> Response:
    values = await posted(request, FIELDS)
    form = check(CommunityGroupCreate, values, given({**values, "areas": lines(values["areas"])}), messages=MESSAGES)
    if not form.ok:
        return render(request, "staff/organization_form.html", form=form, group=True, new=True, status_code=422)
    group = await community_groups.register_community_group(db, Editor.of(user), form.data)
    return notify(RedirectResponse(f"/staff/organizations/{group.id}", 303), request,
                  f"{group.name} is in the directory and can host pop-up forums.")


@router.get("/staff/organizations/new")
async def new_organization_page(request: Request, user: StaffUser) -> Response:
    return render(request, "staff/organization_form.html", form=Form(), group=False, new=True)


@router.post("/staff/organizations/new")
async def new_organization(request: Request, user: StaffUser, db: DbDep) -> Response:
    values = await posted(request, FIELDS)
    model_values = given({**values, "phones": [{"number": values["phone"]}] if values["phone"] else []})
    form = check(
        OrganizationCreate, values, model_values, {"phones": "phone"}, {"name": "Enter the organisation's name"}
    )
    if not form.ok:
        return render(request, "staff/organization_form.html", form=form, group=False, new=True, status_code=422)
    added = await organizations.add_organization(db, Editor.of(user), form.data)
    return notify(
        RedirectResponse(f"/staff/organizations/{added['id']}", 303), request, f"{form.data.name} is in the directory."
    )


# -- changing ---------------------------------------------------------------------------------
async def _current(db: Database, org_id: str) -> tuple[Document, CommunityGroup | None]:
    """The organisation, and its community group if it can host pop-up forums now."""
    found = await organizations.organization_overview(db, org_id)
    if found is None:
        raise NotFound("There is no organisation with that id in the directory.")
    return found.organization, (found.group if found.record.is_active_group else None)


@router.get("/staff/organizations/{org_id}/edit")
async def edit_organization_page(request: Request, org_id: str, user: StaffUser, db: DbDep) -> Response:
    organization, group = await _current(db, org_id)
    phones = organization.get("phones") or []
    values = {k: organization.get(k) or "" for k in ("name", "description", "email", "website")}
    values |= {"phone": phones[0]["number"] if phones else "", "areas": "\n".join(group.areas) if group else ""}
    return render(
        request,
        "staff/organization_form.html",
        form=Form(values),
        group=group is not None,
        new=False,
        organization=organization,
    )


@router.post("/staff/organizations/{org_id}/edit")
async def edit_organization(request: Request, org_id: str, user: StaffUser, db: DbDep) -> Response:
    organization, group = await _current(db, org_id)
    values = await posted(request, FIELDS)
    # Every field is on the form, so an emptied box clears that detail.
    cleared = {k: values[k] or None for k in ("description", "email", "website")}
    if group is not None:
        model_values = {
            **cleared,
            "name": values["name"],
            "areas": lines(values["areas"]),
            "phone": values["phone"] or None,
        }
        form = check(CommunityGroupUpdate, values, model_values, messages=MESSAGES)
    else:
        model_values = {
            **cleared,
            "name": values["name"],
            "phones": [{"number": values["phone"]}] if values["phone"] else [],
        }
        form = check(OrganizationUpdate, values, model_values, {"phones": "phone"})
    if not form.ok:
        return render(
            request,
            "staff/organization_form.html",
            form=form,
            group=group is not None,
            new=False,
            organization=organization,
            status_code=422,
        )
    if group is not None:
        await community_groups.change_community_group(db, Editor.of(user), org_id, form.data)
    else:
        await organizations.change_organization(db, Editor.of(user), org_id, form.data)
    return notify(RedirectResponse(f"/staff/organizations/{org_id}", 303), request, "The details have been changed.")


@router.get("/staff/organizations/{org_id}/withdraw")
async def withdraw_page(request: Request, org_id: str, user: StaffUser, db: DbDep) -> Response:
    organization, group = await _current(db, org_id)
    if group is None:
        raise NotFound("This organisation is not an active community group.")
    return render(request, "staff/withdraw.html", organization=organization)


@router.post("/staff/organizations/{org_id}/withdraw")
async def withdraw(request: Request, org_id: str, user: StaffUser, db: DbDep) -> Response:
    group = await community_groups.withdraw_community_group(db, Editor.of(user), org_id)
    return notify(
        RedirectResponse(f"/staff/organizations/{org_id}", 303),
        request,
        f"{group.name} can no longer host pop-up forums. It stays in the directory.",
    )


@router.get("/staff/organizations/{org_id}/community-group")
async def mark_page(request: Request, org_id: str, user: StaffUser, db: DbDep) -> Response:
    organization, _group = await _current(db, org_id)
    return render(request, "staff/mark_group.html", organization=organization, form=Form())


@router.post("/staff/organizations/{org_id}/community-group")
async def mark(request: Request, org_id: str, user: StaffUser, db: DbDep) -> Response:
    organization, _group = await _current(db, org_id)
    values = await posted(request, ("areas",))
    form = check(CommunityGroupMark, values, {"areas": lines(values["areas"])}, messages=MESSAGES)
    if not form.ok:
        return render(request, "staff/mark_group.html", organization=organization, form=form, status_code=422)
    await community_groups.mark_community_group(db, Editor.of(user), org_id, form.data.areas)
    return notify(
        RedirectResponse(f"/staff/organizations/{org_id}", 303),
        request,
        f"{organization['name']} can now host pop-up forums.",
    )


@router.get("/staff/organizations/{org_id}")
async def organization_page(request: Request, org_id: str, user: StaffUser, db: DbDep) -> Response:
    found = await organizations.organization_overview(db, org_id, with_history=True)
    if found is None:
        raise NotFound("There is no organisation with that id in the directory.")
    offered = [summary(s) for s in found.services]
    return render(
        request,
        "staff/organization.html",
        organization=found.organization,
        group=found.group,
        offered=offered,
        changes=found.changes,
        verified_on=found.record.verified_on,
    )
