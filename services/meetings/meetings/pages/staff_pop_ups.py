"""Staff pages for pop-up forums: plan one with a community group and two role holders, record
what happened, or cancel it."""

from __future__ import annotations

from datetime import UTC, datetime

from fastapi import APIRouter, Request
from starlette.responses import RedirectResponse, Response

from forum_shared.errors import ForumError
from forum_shared.ui import Form, StaffUser, notify, read_form, render, validate_form
from forum_shared.web import DbDep
from meetings import domain
from meetings.config import Settings
from meetings.deps import SettingsDep
from meetings.pages.common import refused
from meetings.records import PopUpForum
from meetings.schemas.meetings import CancellationCreate
from meetings.schemas.pop_ups import PopUpForumCreate, PopUpForumHeldCreate
from meetings.service import directory, pop_ups

router = APIRouter(include_in_schema=False)

PLAN_FIELDS = ("community_group_id", "facilitator_member_ids", "starts_at", "ends_at", "venue", "area", "topics")
PLAN_MESSAGES = {
    "community_group_id": "Select the community group",
    "facilitator_member_ids": "Select two members who hold involvement roles",
    "starts_at": "Enter the start date and time",
    "ends_at": "Enter the end date and time",
}
HELD_MESSAGES = {
    "participants": "Enter how many people took part, as a whole number",
    "shared": "Enter what was shared with the group",
    "hours": "Hours must be a number more than 0 and no more than 12",
}


def _back(pop_up_id: str, text: str, request: Request) -> Response:
    return notify(RedirectResponse(f"/staff/pop-up-forums/{pop_up_id}", status_code=303), request, text)


@router.get("/staff/pop-up-forums")
async def pop_ups_page(request: Request, db: DbDep, user: StaffUser) -> Response:
    return render(request, "staff/pop_ups.html", pop_ups=await pop_ups.list_pop_ups(db, user))


async def _plan_page(request: Request, db: DbDep, settings: Settings, form: Form, status_code: int = 200) -> Response:
    groups = await directory.list_community_groups(db, can_host=True)
    holders = await directory.list_role_holders(db, domain.local_day(datetime.now(UTC)))
    return render(
        request, "staff/pop_up_form.html", form=form, areas=settings.areas,
        groups=[(g.id, g.name or g.id) for g in groups],
        holders=[
            (h.member_id, f"Member {h.member_id}", ", ".join(r.role_title or r.role_id for r in h.roles))
            for h in holders
        ],
        status_code=status_code,
    )


@router.get("/staff/pop-up-forums/new")
async def plan_page(request: Request, db: DbDep, settings: SettingsDep, user: StaffUser) -> Response:
    return await _plan_page(request, db, settings, Form())


@router.post("/staff/pop-up-forums/new")
async def plan(request: Request, db: DbDep, settings: SettingsDep, user: StaffUser) -> Response:
    posted = await request.form()
    typed = ("community_group_id", "starts_at", "ends_at", "venue", "area")
    values: dict[str, object] = {name: str(posted.get(name, "")).strip() for name in typed}
    values["facilitator_member_ids"] = posted.getlist("facilitator_member_ids")
    topics_text = str(posted.get("topics", ""))
    values["topics"] = [line.strip() for line in topics_text.splitlines() if line.strip()]
    form = validate_form(PopUpForumCreate, values, PLAN_MESSAGES)
    form.values["topics"] = topics_text
    if form.ok:
        try:
            pop_up = await pop_ups.plan_pop_up(db, user, form.data, settings.areas)
        except ForumError as exc:
            refused(form, exc, PLAN_FIELDS, "community_group_id")
        else:
            return _back(pop_up.id, "Pop-up forum planned.", request)
    return await _plan_page(request, db, settings, form, 422)


@router.get("/staff/pop-up-forums/{pop_up_id}")
async def pop_up_page(request: Request, pop_up_id: str, db: DbDep, user: StaffUser) -> Response:
    pop_up = await pop_ups.get_pop_up(db, pop_up_id, user)
    return render(request, "staff/pop_up.html", pop_up=pop_up, started=pop_up.starts_at <= datetime.now(UTC))


async def _held_page(
    request: Request, db: DbDep, pop_up: PopUpForum, form: Form, status_code: int = 200
) -> Response:
    holders = await directory.list_role_holders(db, domain.local_day(pop_up.starts_at))
    choices = [h.member_id for h in holders]
    choices += [m for m in pop_up.facilitator_member_ids if m not in choices]
    return render(
        request, "staff/pop_up_held.html", pop_up=pop_up, form=form, status_code=status_code,
        holders=[(m, f"Member {m}") for m in choices],
    )


@router.get("/staff/pop-up-forums/{pop_up_id}/held")
async def held_page(request: Request, pop_up_id: str, db: DbDep, user: StaffUser) -> Response:
    pop_up = await pop_ups.get_pop_up(db, pop_up_id, user)
    return await _held_page(request, db, pop_up, Form({"facilitator_member_ids": list(pop_up.facilitator_member_ids)}))


@router.post("/staff/pop-up-forums/{pop_up_id}/held")
async def record_held(request: Request, pop_up_id: str, db: DbDep, user: StaffUser) -> Response:
    pop_up = await pop_ups.get_pop_up(db, pop_up_id, user)
    form = await read_form(request, PopUpForumHeldCreate, HELD_MESSAGES)
    if form.ok:
        # Facilitators are only sent when they changed on the day, as the API expects.
        chosen = form.data.facilitator_member_ids
        if chosen is not None and set(chosen) == set(pop_up.facilitator_member_ids):
            form.data = form.data.model_copy(update={"facilitator_member_ids": None})
        try:
            await pop_ups.record_pop_up_held(db, user, pop_up_id, form.data)
        except ForumError as exc:
            refused(form, exc, ("facilitator_member_ids",), "participants")
        else:
            return _back(pop_up_id, "Pop-up forum recorded as held.", request)
    return await _held_page(request, db, pop_up, form, 422)


@router.get("/staff/pop-up-forums/{pop_up_id}/cancel")
async def cancel_page(request: Request, pop_up_id: str, db: DbDep, user: StaffUser) -> Response:
    pop_up = await pop_ups.get_pop_up(db, pop_up_id, user)
    return render(request, "staff/cancel.html", item=pop_up, kind="pop_up", form=Form())


@router.post("/staff/pop-up-forums/{pop_up_id}/cancel")
async def cancel(request: Request, pop_up_id: str, db: DbDep, user: StaffUser) -> Response:
    pop_up = await pop_ups.get_pop_up(db, pop_up_id, user)
    form = await read_form(request, CancellationCreate)
    if form.ok:
        try:
            await pop_ups.cancel_pop_up(db, user, pop_up_id, form.data)
        except ForumError as exc:
            form.add_error("reason", exc.message)
        else:
            return _back(pop_up_id, "Pop-up forum cancelled.", request)
    return render(request, "staff/cancel.html", item=pop_up, kind="pop_up", form=form, status_code=422)
