"""JSON routes of the membership service, one module per part of the job (thin: validate → use
case → response model). Joining, the suggestions offered when joining and the advertised roles are
public; everything else is for staff, and every staff change is audited in its own transaction."""

from fastapi import APIRouter

from membership.api import involvement, member_passes, members, organisations, reports, roles

router = APIRouter()
for module in (members, organisations, reports, roles, involvement, member_passes):
    router.include_router(module.router)
