"""Who the service emails: the people whose feedback an email is about (only those who gave an
address and agreed to be contacted), and governors who asked for escalation emails (their address
is their kit account's). Unsubscriptions are the kit's (`forum_shared.mail`), by a hash of the
address and a topic."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Column, select
from sqlalchemy.ext.asyncio import AsyncSession

from feedback.records import Contact
from feedback.store.tables import feedback, governor_email_choices
from forum_shared import mail
from forum_shared.db import insert_on_conflict
from forum_shared.tables import accounts

GOVERNOR = "governor"
CHOICES = ("new_escalations", "overdue_escalations")


async def contacts_of(session: AsyncSession, feedback_ids: Sequence[str]) -> list[Contact]:
    """The people who gave these pieces of feedback with an email address and agreed to be
    contacted about it, oldest feedback first."""
    if not feedback_ids:
        return []
    rows = await session.execute(
        select(feedback.c.id, feedback.c.contact_email, feedback.c.contact_name, feedback.c.received_at)
        .where(
            feedback.c.id.in_(feedback_ids),
            feedback.c.contact_consent.is_(True),
            feedback.c.contact_email.is_not(None),
        )
        .order_by(feedback.c.received_at, feedback.c.id)
    )
    return [Contact(r.id, r.contact_email, r.contact_name, r.received_at) for r in rows if r.contact_email.strip()]


async def governor_address(session: AsyncSession, account_id: str) -> str | None:
    return await session.scalar(select(accounts.c.email).where(accounts.c.id == account_id))


async def choices_of(session: AsyncSession, account_id: str) -> dict[str, bool]:
    """What the governor chose (both off if they never chose)."""
    row = (
        await session.execute(select(governor_email_choices).where(governor_email_choices.c.account_id == account_id))
    ).first()
    return {name: bool(row._mapping[name]) if row else False for name in CHOICES}


async def save_choices(session: AsyncSession, account_id: str, chosen: dict[str, bool], at: datetime) -> None:
    # An upsert, so two saves at the same moment cannot both try to insert the first row.
    values: dict[str, Any] = {"account_id": account_id, **chosen, "changed_at": at}
    stmt = insert_on_conflict(session, governor_email_choices).values(**values)
    stmt = stmt.on_conflict_do_update(
        index_elements=["account_id"], set_={k: v for k, v in values.items() if k != "account_id"}
    )
    await session.execute(stmt)


async def governors_who_chose(session: AsyncSession, choice: str) -> list[tuple[str, str]]:
    """(address, name) of each governor (an enabled account with the governor role) who chose
    `choice`, by name."""
    chosen: Column[bool] = governor_email_choices.c[choice]
    rows = await session.execute(
        select(accounts.c.email, accounts.c.name)
        .join(governor_email_choices, governor_email_choices.c.account_id == accounts.c.id)
        .where(chosen.is_(True), accounts.c.role == GOVERNOR, accounts.c.disabled_at.is_(None))
        .order_by(accounts.c.name, accounts.c.email)
    )
    return [(r.email, r.name) for r in rows]


async def is_unsubscribed(session: AsyncSession, address: str, topic: str) -> bool:
    return await mail.is_suppressed(session, mail.address_hash(address), topic)
