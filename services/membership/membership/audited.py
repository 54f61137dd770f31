"""Staff changes, each recorded in the audit log in the same transaction as the change itself.
The JSON API and the staff pages both call these, so the two never differ. Audit entries hold
ids only, never names, contact details or what a member told us."""

from __future__ import annotations

from forum_shared.db import Database
from forum_shared.audit import record_audit
from forum_shared.ui import Principal
from membership import involvement, organisations, roles, service
from membership.role_schemas import AssignmentCreate, AssignmentEnd, ChatArrange, EntryCreate, InterestCreate, RoleCreate
from membership.schemas import MemberUpdate, OrganisationCreate, RepresentativeCreate


# -- members ---------------------------------------------------------------------------------
async def update_member(db: Database, user: Principal, member_id: str, data: MemberUpdate) -> dict:
    async with db.transaction() as session:
        member = await service.update_member(session, member_id, data)
        await record_audit(session, user, "member.updated", f"member:{member_id}")
        return member


async def leave(db: Database, user: Principal, member_id: str) -> dict:
    async with db.transaction() as session:
        member = await service.leave(session, member_id)
        await record_audit(session, user, "member.left", f"member:{member_id}")
        return member


async def erase(db: Database, user: Principal, member_id: str) -> dict:
    async with db.transaction() as session:
        erasure = await service.erase(session, member_id)
        await record_audit(session, user, "member.erased", f"member:{member_id}")
        return erasure


async def record_time(db: Database, user: Principal, member_id: str, data: EntryCreate) -> dict:
    async with db.transaction() as session:
        entry = await involvement.record_by_hand(session, member_id, data)
        await record_audit(session, user, "involvement.recorded", f"entry:{entry['id']}", {"member_id": member_id})
        return entry


# -- partner organisations -------------------------------------------------------------------
async def register_organisation(db: Database, user: Principal, data: OrganisationCreate) -> dict:
    async with db.transaction() as session:
        organisation = await organisations.register_organisation(session, data)
        await record_audit(session, user, "organisation.registered", f"organisation:{organisation['id']}")
        return organisation


async def add_representative(db: Database, user: Principal, organisation_id: str, data: RepresentativeCreate) -> dict:
    async with db.transaction() as session:
        organisation = await organisations.add_representative(session, organisation_id, data)
        await record_audit(
            session, user, "organisation.representative_added", f"organisation:{organisation_id}",
            {"member_id": data.member_id},
        )
        return organisation


async def remove_representative(db: Database, user: Principal, organisation_id: str, member_id: str) -> dict:
    async with db.transaction() as session:
        organisation = await organisations.remove_representative(session, organisation_id, member_id)
        await record_audit(
            session, user, "organisation.representative_removed", f"organisation:{organisation_id}",
            {"member_id": member_id},
        )
        return organisation


# -- involvement roles -----------------------------------------------------------------------
async def advertise_role(db: Database, user: Principal, data: RoleCreate) -> dict:
    async with db.transaction() as session:
        role = await roles.advertise_role(session, data)
        await record_audit(session, user, "role.advertised", f"role:{role['id']}")
        return role


async def note_interest(db: Database, user: Principal, role_id: str, data: InterestCreate) -> dict:
    async with db.transaction() as session:
        interest = await roles.express_interest(session, role_id, data)
        ids = {"role_id": role_id, "member_id": data.member_id}
        await record_audit(session, user, "interest.noted", f"interest:{interest['id']}", ids)
        return interest


async def arrange_chat(db: Database, user: Principal, interest_id: str, data: ChatArrange) -> dict:
    async with db.transaction() as session:
        interest = await roles.arrange_chat(session, interest_id, data)
        await record_audit(session, user, "interest.chat_arranged", f"interest:{interest_id}")
        return interest


async def assign_role(db: Database, user: Principal, role_id: str, data: AssignmentCreate) -> dict:
    async with db.transaction() as session:
        holding = await roles.assign(session, role_id, data)
        ids = {"role_id": role_id, "member_id": data.member_id}
        await record_audit(session, user, "role.assigned", f"assignment:{holding['id']}", ids)
        return holding


async def end_assignment(db: Database, user: Principal, assignment_id: str, data: AssignmentEnd) -> dict:
    async with db.transaction() as session:
        holding = await roles.end_assignment(session, assignment_id, data)
        await record_audit(session, user, "role.ended", f"assignment:{assignment_id}")
        return holding
