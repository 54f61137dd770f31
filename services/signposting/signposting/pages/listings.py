"""Staff check listings nobody has checked for a year, and mark them as checked."""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.responses import RedirectResponse, Response

from forum_shared.ui import StaffUser, notify, render
from forum_shared.web import DbDep
from signposting.service import listings
from signposting.service.editor import Editor

router = APIRouter(include_in_schema=False)


@router.get("/staff/listings")
async def listings_page(request: Request, user: StaffUser, db: DbDep) -> Response:
    return render(request, "staff/listings.html", stale=await listings.stale_listings(db))


@router.post("/staff/listings/{kind}/{listing_id}/checked")
async def mark_checked(request: Request, kind: str, listing_id: str, user: StaffUser, db: DbDep) -> Response:
    checked = await listings.mark_checked(db, Editor.of(user), listings.listing_kind(kind), listing_id)
    return notify(RedirectResponse("/staff/listings", 303), request, f"{checked.name} is marked as checked today.")
