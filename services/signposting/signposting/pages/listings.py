"""Staff check listings nobody has checked for a year, and mark them as checked."""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.responses import RedirectResponse, Response

from forum_shared.errors import NotFound
from forum_shared.audit import record_audit
from forum_shared.ui import StaffUser, notify, render
from signposting import verification

router = APIRouter(include_in_schema=False)
VERIFY = {"service": verification.verify_service, "organization": verification.verify_organization}


def _db(request: Request):
    return request.app.state.kit.db


@router.get("/staff/listings")
async def listings_page(request: Request, user: StaffUser) -> Response:
    async with _db(request).read() as session:
        stale = await verification.stale_listings(session)
    return render(request, "staff/listings.html", stale=stale)


@router.post("/staff/listings/{kind}/{listing_id}/checked")
async def mark_checked(request: Request, kind: str, listing_id: str, user: StaffUser) -> Response:
    if kind not in VERIFY:
        raise NotFound("There is no such kind of listing.")
    async with _db(request).transaction() as session:
        checked = await VERIFY[kind](session, listing_id, user.name)
        await record_audit(session, user, "directory.listing_checked", f"{kind}:{listing_id}")
    return notify(RedirectResponse("/staff/listings", 303), request, f"{checked['name']} is marked as checked today.")
