"""Pages for people: joining the forum (public) and the staff pages for members, roles, time
given, partner organisations and reports. Each page uses the same use cases and pydantic models as
the JSON API, so the rules are written once."""

from fastapi import APIRouter

from forum_shared.ui import NavItem
from membership.pages import involvement, members, organisations, public, reports, roles

STAFF = ("staff", "admin")
NAV = [
    NavItem("Join the forum", "/join"),
    NavItem("Members", "/staff/members", STAFF),
    NavItem("Involvement roles", "/staff/roles", STAFF),
    NavItem("Time given", "/staff/involvement", STAFF),
    NavItem("Partner organisations", "/staff/organisations", STAFF),
    NavItem("Reports", "/staff/reports", STAFF),
]

router = APIRouter(include_in_schema=False)
for module in (public, members, roles, involvement, organisations, reports):
    router.include_router(module.router)
