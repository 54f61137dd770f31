"""Pages for people: joining the forum (public), members signing in by email to look after their
own membership, and the staff pages for members, roles, time given, partner organisations and
reports. Each page uses the same use cases and pydantic models as
the JSON API, so the rules are written once."""

from fastapi import APIRouter

from forum_shared.ui import NavItem
from membership.pages import involvement, members, organisations, public, reports, roles, sign_in, you

STAFF = ("staff", "admin")
NAV = [
    NavItem("Join the forum", "/join"),
    NavItem("Your membership", "/your-membership"),
    NavItem("Members", "/staff/members", STAFF),
    NavItem("Involvement roles", "/staff/roles", STAFF),
    NavItem("Time given", "/staff/involvement", STAFF),
    NavItem("Partner organisations", "/staff/organisations", STAFF),
    NavItem("Reports", "/staff/reports", STAFF),
]

router = APIRouter(include_in_schema=False)
for module in (public, you, members, roles, involvement, organisations, reports):
    router.include_router(module.router)

# Members sign in at /members/sign-in, beside the JSON API's /members/{member_id}: these routes
# are included before the API's (see app.py), so "sign-in" is never taken for a member's id.
before_api = sign_in.router
