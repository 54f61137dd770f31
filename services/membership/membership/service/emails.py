"""The emails membership sends its members, each queued in the unit of work of the change that
causes it (so it is sent if, and only if, that change commits).

Every email is `about` the member (`member:<id>`), whatever it concerns, so erasing a member can
find and forget every message still waiting for them, whichever address it was sent to. Contexts
hold what the template shows and no more; the kit clears them once the message is sent.
Templates are `templates/emails/<template>.txt`.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from forum_shared.mail import Email
from forum_shared.unit_of_work import Work
from membership import domain
from membership.records import InvolvementRole, Member

# What each topic's unsubscribe page says it stops (passed to the kit in app.py).
MAIL_TOPICS = {
    domain.ROLES_TOPIC: "emails about involvement roles: when you are given one, and answers to your interest in one",
}


def about(member_id: str) -> str:
    return f"member:{member_id}"


async def send_to_member(
    work: Work,
    member: Member,
    *,
    subject: str,
    template: str,
    topic: str | None = None,
    context: dict[str, Any] | None = None,
) -> str | None:
    """Queue an email to the member, if they gave an email address and (for email with a topic)
    agreed to hear about what it is about; its id, or None when nothing was queued."""
    answers = {c.purpose: c.given for c in member.consents}
    if not member.email or not domain.may_email(topic, answers):
        return None
    email = Email(
        to=member.email,
        subject=subject,
        template=template,
        about=about(member.id),
        topic=topic,
        context={"name": member.display_name, **(context or {})},
    )
    return await work.send_email(email)


async def welcome(work: Work, member: Member, interested_in: Sequence[str]) -> str | None:
    return await send_to_member(
        work,
        member,
        subject="Welcome to the Partnership Forum",
        template="welcome",
        context={"roles": list(interested_in)},
    )


async def role_given(work: Work, member: Member, role: InvolvementRole, starts_on: date) -> str | None:
    return await send_to_member(
        work,
        member,
        subject=f"Your involvement role: {role.title}",
        template="role_given",
        topic=domain.ROLES_TOPIC,
        context={
            "role_title": role.title,
            "starts_on": starts_on.isoformat(),
            "paid": role.paid,
            "hourly_rate": str(role.hourly_rate) if role.hourly_rate is not None else None,
            "hours_per_month": f"{float(role.hours_per_month):g}",
        },
    )


async def interest_answered(
    work: Work, member: Member, role_title: str, chat_on: date | None, chat_note: str | None
) -> str | None:
    return await send_to_member(
        work,
        member,
        subject=f"Your interest in {role_title}",
        template="interest_answered",
        topic=domain.ROLES_TOPIC,
        context={
            "role_title": role_title,
            "chat_on": chat_on.isoformat() if chat_on else None,
            "chat_note": chat_note,
        },
    )


async def left(work: Work, member: Member, roles_ended: Sequence[str]) -> str | None:
    return await send_to_member(
        work,
        member,
        subject="You have left the Partnership Forum",
        template="left",
        context={"roles": list(roles_ended)},
    )


async def sign_in_link(work: Work, member: Member, path: str, expires_at: datetime) -> str | None:
    return await send_to_member(
        work,
        member,
        subject="Your link to sign in to the Partnership Forum",
        template="sign_in_link",
        context={"path": path, "expires_at": expires_at.isoformat()},
    )


async def erased(work: Work, member_id: str, address: str) -> str | None:
    """The last email to a member: their details have been erased. It holds no name, only the
    address it goes to, which the kit clears once it is sent."""
    return await work.send_email(
        Email(
            to=address,
            subject="Your details have been erased",
            template="erased",
            about=about(member_id),
        )
    )
