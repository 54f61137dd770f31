"""Staff add and change a service: what it is, the needs it meets, where and when, how to get in touch.

The page asks for one meeting place and one regular time, which covers most community groups;
services with more are kept through the JSON API or an import, and the page leaves what it does not
show untouched.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from starlette.responses import RedirectResponse, Response

from forum_shared.db import Database
from forum_shared.errors import ForumError, NotFound
from forum_shared.ui import Form, StaffUser, notify, render
from forum_shared.web import DbDep
from signposting.domain import ServiceStatus
from signposting.hsds import Document
from signposting.pages.finding import need_options
from signposting.pages.present import DAY_OPTIONS
from signposting.pages.validation import check, lines, posted
from signposting.schemas.services import ServiceCreate, ServiceUpdate
from signposting.service import organizations, services
from signposting.service.editor import Editor

router = APIRouter(include_in_schema=False)
TEXT = ("name", "description", "status", "areas", "opens_at", "closes_at", "when_note", "place", "address_1", "town",
        "postcode", "phone", "email", "website")
LISTS = ("needs", "days")
FIELDS = {
    "taxonomy_term_ids": "needs", "service_areas": "areas", "schedules": "days", "schedules.0.opens_at": "opens_at",
    "schedules.0.closes_at": "closes_at", "schedules.0.description": "when_note", "service_at_locations": "address_1",
    "service_at_locations.0.location.name": "place",
    "service_at_locations.0.location.addresses.0.address_1": "address_1",
    "service_at_locations.0.location.addresses.0.city": "town",
    "service_at_locations.0.location.addresses.0.postal_code": "postcode", "phones": "phone", "url": "website",
}
MESSAGES = {
    "name": "Enter the service's name",
    "opens_at": "Enter the start time like 10:00 or 14:30",
    "closes_at": "Enter the end time like 12:00 or 16:30",
    "address_1": "Enter the first line of the address",
    "town": "Enter the town",
    "postcode": "Enter the postcode, like PE13 1EU",
    "status": "Select whether it is running",
}
STATUS_OPTIONS = [
    (ServiceStatus.ACTIVE.value, "Running"), (ServiceStatus.TEMPORARILY_CLOSED.value, "Paused for now"),
    (ServiceStatus.INACTIVE.value, "Stopped"),
]


def _model_values(values: dict[str, Any], place: dict[str, Any] | None = None) -> dict[str, Any]:
    """The page's flat fields in the shape of the JSON API's service.

    `place` is the location already linked: it keeps what the page does not show (access, languages).
    """
    schedule = {"freq": "WEEKLY", "byday": ",".join(values["days"]) or None, "opens_at": values["opens_at"] or None,
                "closes_at": values["closes_at"] or None, "description": values["when_note"] or None}
    located = any(values[k] for k in ("place", "address_1", "town", "postcode"))
    place = place or {}
    old_address = (place.get("addresses") or [{}])[0]
    address = {"state_province": "Cambridgeshire", "country": "GB", "address_type": "physical", **old_address,
               "address_1": values["address_1"], "city": values["town"], "postal_code": values["postcode"]}
    location = {"location_type": "physical", **place, "name": values["place"] or None, "addresses": [address]}
    return {
        "name": values["name"],
        "description": values["description"] or None,
        "status": values["status"] or "active",
        "taxonomy_term_ids": values["needs"],
        "service_areas": [{"name": a} for a in lines(values["areas"])],
        "schedules": [schedule] if any(v for k, v in schedule.items() if k != "freq") else [],
        "service_at_locations": [{"location_id": place.get("id"), "location": location}] if located else [],
        "phones": [{"number": values["phone"]}] if values["phone"] else [],
        "email": values["email"] or None,
        "url": values["website"] or None,
    }


def _page_values(service: dict[str, Any]) -> dict[str, Any]:
    schedule = (service.get("schedules") or [{}])[0]
    link = (service.get("service_at_locations") or [{}])[0]
    location = link.get("location") or {}
    address = (location.get("addresses") or [{}])[0]
    phones = service.get("phones") or []
    return {
        "name": service["name"],
        "description": service.get("description", ""),
        "status": service.get("status", "active"),
        "needs": [a["taxonomy_term_id"] for a in service.get("attributes", [])],
        "areas": "\n".join(a["name"] for a in service.get("service_areas", [])),
        "days": [d[-2:] for d in (schedule.get("byday") or "").split(",") if d],
        "opens_at": (schedule.get("opens_at") or "")[:5],
        "closes_at": (schedule.get("closes_at") or "")[:5],
        "when_note": schedule.get("description", ""),
        "place": location.get("name", ""),
        "address_1": address.get("address_1", ""),
        "town": address.get("city", ""),
        "postcode": address.get("postal_code", ""),
        "phone": phones[0]["number"] if phones else "",
        "email": service.get("email", ""),
        "website": service.get("url", ""),
    }


async def _show(
    request: Request,
    db: Database,
    form: Form,
    organization: Document,
    service: Document | None = None,
    status_code: int = 200,
) -> Response:
    return render(
        request,
        "staff/service_form.html",
        form=form,
        organization=organization,
        service=service,
        needs=await need_options(db),
        days=DAY_OPTIONS,
        statuses=STATUS_OPTIONS,
        status_code=status_code,
    )


async def _organization(db: Database, org_id: str) -> Document:
    found = await organizations.organization(db, org_id)
    if found is None:
        raise NotFound(
            "There is no organisation with that id in the directory: add the service from its organisation's page."
        )
    return found


async def _service(db: Database, service_id: str) -> Document:
    found = await services.service(db, service_id)
    if found is None:
        raise NotFound("There is no service with that id in the directory.")
    return found.hsds


@router.get("/staff/services/new")
async def new_service_page(request: Request, user: StaffUser, db: DbDep) -> Response:
    organization = await _organization(db, request.query_params.get("organization_id", ""))
    return await _show(request, db, Form({"status": "active"}), organization)


@router.post("/staff/services/new")
async def new_service(request: Request, user: StaffUser, db: DbDep) -> Response:
    organization = await _organization(db, request.query_params.get("organization_id", ""))
    values = await posted(request, TEXT, LISTS)
    form = check(
        ServiceCreate, values, {**_model_values(values), "organization_id": organization["id"]}, FIELDS, MESSAGES
    )
    if form.ok:
        try:
            await services.add_service(db, Editor.of(user), form.data)
        except ForumError as exc:
            form.add_error("needs" if "taxonomy" in exc.message else "name", exc.message)
        else:
            return notify(
                RedirectResponse(f"/staff/organizations/{organization['id']}", 303),
                request,
                f"{form.data.name} is in the directory.",
            )
    return await _show(request, db, form, organization, status_code=422)


@router.get("/staff/services/{service_id}/edit")
async def edit_service_page(request: Request, service_id: str, user: StaffUser, db: DbDep) -> Response:
    service = await _service(db, service_id)
    return await _show(request, db, Form(_page_values(service)), service["organization"], service)


@router.post("/staff/services/{service_id}/edit")
async def edit_service(request: Request, service_id: str, user: StaffUser, db: DbDep) -> Response:
    service = await _service(db, service_id)
    links = service.get("service_at_locations") or []
    values = await posted(request, TEXT, LISTS)
    model_values = _model_values(values, links[0]["location"] if links else None)
    # Only what the page shows is replaced: further schedules or places kept by the API stay.
    model_values["schedules"] += service.get("schedules", [])[1:]
    model_values["service_at_locations"] += [{"location_id": link["location_id"]} for link in links[1:]]
    form = check(ServiceUpdate, values, model_values, FIELDS, MESSAGES)
    if form.ok:
        try:
            await services.change_service(db, Editor.of(user), service_id, form.data)
        except ForumError as exc:
            form.add_error("needs" if "taxonomy" in exc.message else "name", exc.message)
        else:
            return notify(
                RedirectResponse(f"/staff/organizations/{service['organization_id']}", 303),
                request,
                f"{form.data.name} has been changed.",
            )
    return await _show(request, db, form, service["organization"], service, status_code=422)
