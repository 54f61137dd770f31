"""Members: finding them, their details and preferences, leaving, and erasure on request."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from forum_shared import mail, outbox
from forum_shared.db import Database
from forum_shared.errors import Conflict, NotFound
from forum_shared.events import InvolvementRoleEnded, MemberErased, MemberLeft
from forum_shared.identity.principal import Principal
from forum_shared.unit_of_work import unit_of_work
from membership import domain
from membership.domain import MemberStatus
from membership.records import Consent, Erasure, Member, MemberOverview
from membership.schemas import ConsentAnswer, MemberUpdate
from membership.service import emails
from membership.store import (
    holding_queries,
    interest_queries,
    involvement_queries,
    member_queries,
    organisation_queries,
)

EMAIL_IN_USE = "Another member already uses this email address. Nothing has been changed."


async def existing_member(session: AsyncSession, member_id: str) -> Member:
    """The member, or a 404 that says whether they asked to be erased."""
    member = await member_queries.get_member(session, member_id)
    if member is not None:
        return member
    if await member_queries.erased_at(session, member_id):
        raise NotFound("This member asked for their details to be erased: the forum holds nothing about them.")
    raise NotFound(f"There is no member with id {member_id}.")


async def active_member(session: AsyncSession, member_id: str) -> Member:
    """A member who has not left: only they can take on roles or express interest."""
    member = await existing_member(session, member_id)
    if not member.active:
        raise Conflict(f"{member.display_name} has left the forum, so cannot take part in this.")
    return member


def answers_given(answers: list[ConsentAnswer], now: datetime) -> list[Consent]:
    """Consent answers as kept: an answer without its own time was given now."""
    return [Consent(a.purpose, a.given, a.given_at or now) for a in answers]


async def get_member(db: Database, member_id: str) -> Member:
    async with db.read() as session:
        return await existing_member(session, member_id)


async def find_members(
    db: Database,
    *,
    area: str | None = None,
    connection: str | None = None,
    access_need: str | None = None,
    role_id: str | None = None,
    status: MemberStatus | None = None,
    name_or_email: str | None = None,
) -> list[Member]:
    """Members oldest first, narrowed by any of: area, connection, access need, role held today,
    status, and part of their name or email."""
    async with db.read() as session:
        found = await member_queries.find_members(
            session, status=status, holding_role=(role_id, domain.today()) if role_id else None
        )
    # Lists of the person's own words are matched here rather than in SQL, the same way on
    # SQLite and PostgreSQL; the forum has hundreds of members, not millions.
    if area:
        found = [m for m in found if domain.area_key(m.area) == domain.area_key(area)]
    if connection:
        found = [m for m in found if _has(m.connections, connection)]
    if access_need:
        found = [m for m in found if _has(m.access_needs, access_need)]
    if name_or_email:
        wanted = name_or_email.casefold()
        found = [m for m in found if wanted in m.display_name.casefold() or wanted in (m.email or "")]
    return found


def _has(labels: tuple[str, ...], wanted: str) -> bool:
    wanted = domain.tidy(wanted).casefold()
    return any(label.casefold() == wanted for label in labels)


async def member_overview(db: Database, member_id: str) -> MemberOverview:
    """A member with the roles they hold and held, their interest in roles, the organisations they
    represent and the time they gave."""
    async with db.read() as session:
        return MemberOverview(
            member=await existing_member(session, member_id),
            holdings=tuple(await holding_queries.holdings_of_member(session, member_id)),
            interests=tuple(await interest_queries.interests_of_member(session, member_id)),
            representing=tuple(await organisation_queries.representing(session, member_id)),
            entries=tuple(await involvement_queries.entries(session, member_id=member_id)),
        )


async def update_member(db: Database, actor: Principal | str, member_id: str, data: MemberUpdate) -> Member:
    """Members change their details and preferences (or staff do, for them); only what is sent
    changes, and consents given are added to their history."""
    async with unit_of_work(db, actor, "member.updated", f"member:{member_id}") as work:
        member = await existing_member(work.session, member_id)
        changes = data.model_dump(mode="json", exclude_unset=True, exclude={"consents"})
        domain.require_contact(
            changes.get("preferred_channel", member.preferred_channel),
            changes.get("email", member.email),
            changes.get("phone", member.phone),
            changes.get("postal_address", member.postal_address),
        )
        new_email = changes.get("email")
        if new_email and new_email != member.email and await member_queries.email_in_use(work.session, new_email):
            raise Conflict(EMAIL_IN_USE)
        now = datetime.now(UTC)
        try:
            await member_queries.change_member(work.session, member_id, changes, now)
        except IntegrityError as exc:  # the same email taken at the same moment
            raise Conflict(EMAIL_IN_USE) from exc
        await member_queries.add_consents(work.session, member_id, answers_given(data.consents, now))
        return await existing_member(work.session, member_id)


async def leave(db: Database, actor: Principal | str, member_id: str) -> Member:
    """A member leaves: the roles they hold end today; their record stays unless they ask for
    erasure. They are sent a confirmation, if they gave an email address."""
    async with unit_of_work(db, actor, "member.left", f"member:{member_id}") as work:
        member = await existing_member(work.session, member_id)
        if not member.active:
            raise Conflict(f"{member.display_name} has already left the forum. Nothing has been changed.")
        now, today = datetime.now(UTC), domain.today()
        ended = []
        for holding in await holding_queries.holdings_not_over(work.session, member_id, today):
            ends_on = domain.last_day_on_leaving(holding.starts_on, today)
            await holding_queries.end_holding(work.session, holding.id, ends_on, now)
            ended.append(holding.role_title)
            await work.publish(
                InvolvementRoleEnded(
                    assignment_id=holding.id, member_id=member_id, role_id=holding.role_id, ends_on=ends_on
                )
            )
        await member_queries.mark_left(work.session, member_id, now)
        await work.publish(MemberLeft(member_id=member_id, left_at=now))
        await emails.left(work, member, list(dict.fromkeys(ended)))
        return await existing_member(work.session, member_id)


async def erase(db: Database, actor: Principal | str, member_id: str) -> Erasure:
    """Forget a member: delete everything about them here and tell every service to do the same.

    Only the id and the time of erasure remain, so a late event about them is ignored. Asking
    again is harmless and gives the same answer. Email still waiting for them is forgotten (at
    every address it was for), and a confirmation is then queued to their address, the only
    message left for it; the kit clears the address once it is sent.
    """
    async with unit_of_work(db, actor, "member.erased", f"member:{member_id}") as work:
        erased_at = await member_queries.erased_at(work.session, member_id)
        if erased_at:
            return Erasure(member_id, erased_at, "This member's details were already erased.")
        member = await member_queries.get_member(work.session, member_id)
        if member is None:
            raise NotFound(f"There is no member with id {member_id}.")
        now = datetime.now(UTC)
        await member_queries.erase_member(work.session, member_id, now)
        waiting = [row["to_address"] for row in await mail.unsent(work.session, about=emails.about(member_id))]
        for address in sorted({a for a in (*waiting, member.email) if a}):
            await mail.forget(work.session, address)
        if member.email:
            await emails.erased(work, member_id, member.email)
        # Events already sent or waiting mention only the id, but erasure means all of it; the
        # erasure's own event is recorded after, so it is not forgotten with them.
        await outbox.forget(work.session, member_id)
        await work.publish(MemberErased(member_id=member_id, erased_at=now))
        # Deleted rows linger in the SQLite write-ahead log until it is checkpointed: once this
        # commits, the name and contact details leave the database's files as well.
        db.forget_after_commit(work.session)
        return Erasure(
            member_id,
            now,
            "All details of this member have been erased, and every service has been asked to forget them.",
        )
