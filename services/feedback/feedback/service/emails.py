"""Who hears from the service by email, and what.

- Someone who gave feedback with an email address and agreed to be contacted is thanked, and told
  what happens next (never sent their own words back), and is sent each "you said, we did"
  answer to it when it is published.
- Governors who asked for them get an email for each new escalation and for each one that passes
  its respond-by date without a response; they choose on their email page, and the unsubscribe
  link in each email turns the choice off too.

Every email is queued in the unit of work of the change that causes it (`Work.send_email`), so it
goes out after that change commits, or not at all; the kit's mail sender sends it. Emails name
what they are about by id only (`about`), never by a person's details.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from feedback import domain
from feedback.domain import OUTCOME_WORDS, ROUTE_WORDS
from feedback.records import EmailChoices, Escalation, Response
from feedback.schemas import EscalationEmails
from feedback.store import email_queries
from forum_shared import mail
from forum_shared.db import Database
from forum_shared.errors import NotFound
from forum_shared.identity.principal import Principal
from forum_shared.mail import Email
from forum_shared.unit_of_work import Work, unit_of_work

# The kinds of email a person may stop (one-click unsubscribe). Acknowledgements and answers to
# someone's own feedback have no topic: they are direct answers to something the person did.
ESCALATIONS = "feedback.escalations"
OVERDUE = "feedback.overdue"
MAIL_TOPICS = {
    ESCALATIONS: "emails to governors about each new escalation",
    OVERDUE: "emails to governors about each escalation that passes its respond-by date without a response",
}
# A governor's choice on their email page, and the topic that unsubscribing from it stops.
TOPIC_OF = {"new_escalations": ESCALATIONS, "overdue_escalations": OVERDUE}
GOVERNORS_PAGE = "/governors/escalations"
EMAIL_CHOICES_PAGE = "/governors/emails"


# -- people who gave feedback -------------------------------------------------------------------
async def acknowledge_feedback(work: Work, feedback_id: str) -> None:
    """Thank the person who gave this feedback, if they gave an email address and agreed to be
    contacted; tell them what happens next. Nothing they typed is repeated, not even their name:
    an email is kept in mailboxes the forum cannot reach and may be read by someone else, and the
    address is unchecked, so the public form must not carry anyone's words to a stranger."""
    for contact in await email_queries.contacts_of(work.session, [feedback_id]):
        await work.send_email(
            Email(
                to=contact.email,
                subject="Thank you for your feedback",
                template="feedback_received",
                about=f"feedback:{feedback_id}",
                topic=None,  # a direct answer to the feedback they just gave
                context={
                    "reference": domain.reference(feedback_id),
                    "received_at": contact.received_at.isoformat(),
                },
            )
        )


async def send_answer(work: Work, response: Response) -> None:
    """Send a published "you said, we did" to each person whose feedback it answers, if they gave
    an email address and agreed to be contacted: one email per address, naming each of their
    pieces of feedback it answers by reference.

    No topic (so no unsubscribe link): it answers feedback the person gave and agreed to be
    contacted about, so it is a direct answer to something they did, like a reply to a letter.
    It is not a mailing: it goes only when staff publish an answer to that person's own feedback,
    once for each answer, and never to anyone whose feedback it does not answer."""
    mine: dict[str, list[str]] = {}
    names: dict[str, str | None] = {}
    addresses: dict[str, str] = {}
    for contact in await email_queries.contacts_of(work.session, response.feedback_ids):
        key = contact.email.strip().lower()
        addresses.setdefault(key, contact.email)
        mine.setdefault(key, []).append(domain.reference(contact.feedback_id))
        names[key] = names.get(key) or domain.greeting_name(contact.name)
    for key, references in mine.items():
        await work.send_email(
            Email(
                to=addresses[key],
                subject="What we did about your feedback",
                template="feedback_answered",
                about=f"response:{response.id}",
                topic=None,  # the answer to their own feedback (see above)
                context={
                    "name": names[key],
                    "references": references,
                    "you_said": response.you_said,
                    "we_did": response.we_did,
                    "outcome": OUTCOME_WORDS[response.outcome],
                    "responded_at": response.responded_at.isoformat(),
                },
            )
        )


# -- governors ----------------------------------------------------------------------------------
def _escalation_facts(esc: Escalation) -> dict[str, object]:
    """What a governor's email says of an escalation: its public summary, why it reached
    governors, and the facts on its page. Never the linked feedback's words, nor who gave it, nor
    the notes for governors: those stay on the escalation's page, behind sign-in, where erasure
    and redaction can still reach them (an email cannot be taken back)."""
    return {
        "escalation_id": esc.id,
        "reference": domain.reference(esc.id),
        "summary": esc.summary,
        "route": ROUTE_WORDS[esc.raised_by],
        "reason": esc.reason,
        "themes": list(esc.themes),
        "area": esc.area,
        "linked_feedback_count": esc.linked_feedback_count,
        "raised_at": esc.raised_at.isoformat(),
        "respond_by": esc.respond_by.isoformat(),
        "acknowledged": esc.acknowledged_by is not None,
        "has_notes_for_governors": bool(esc.notes_for_governors),
        "escalation_path": f"{GOVERNORS_PAGE}/{esc.id}",
        "choices_path": EMAIL_CHOICES_PAGE,
    }


async def tell_governors_raised(work: Work, esc: Escalation) -> None:
    """Email each governor who asked for it about a new escalation."""
    subject = f"New escalation to governors (reference {domain.reference(esc.id)})"
    await _tell_governors(work, esc, "new_escalations", "escalation_raised", subject)


async def tell_governors_overdue(work: Work, esc: Escalation) -> None:
    """Email each governor who asked for it about an escalation past its respond-by date."""
    subject = f"Escalation {domain.reference(esc.id)} has passed its respond-by date"
    await _tell_governors(work, esc, "overdue_escalations", "escalation_overdue", subject)


async def _tell_governors(work: Work, esc: Escalation, choice: str, template: str, subject: str) -> None:
    facts = _escalation_facts(esc)
    for address, name in await email_queries.governors_who_chose(work.session, choice):
        # The kit does not queue it for an address that unsubscribed from the topic.
        await work.send_email(
            Email(
                to=address, subject=subject, template=template, about=f"escalation:{esc.id}",
                topic=TOPIC_OF[choice], context={**facts, "name": name},
            )
        )


async def email_choices(db: Database, governor: Principal) -> EmailChoices:
    """The escalation emails this governor gets, and where they go. A choice they stopped with
    an email's unsubscribe link shows as off."""
    async with db.read() as session:
        address = await _address(session, governor)
        chosen = await email_queries.choices_of(session, governor.id)
        on = {
            choice: chosen[choice] and not await email_queries.is_unsubscribed(session, address, topic)
            for choice, topic in TOPIC_OF.items()
        }
    return EmailChoices(address=address, **on)


async def choose_emails(db: Database, governor: Principal, data: EscalationEmails) -> EmailChoices:
    """A governor chooses which escalation emails they get. Choosing one they had unsubscribed
    from starts it again: the unsubscription is lifted (they asked, signed in, for it back)."""
    wanted = {choice: choice in data.emails for choice in TOPIC_OF}
    target = f"account:{governor.id}"
    async with unit_of_work(db, governor, "governor.emails_chosen", target, wanted) as work:
        address = await _address(work.session, governor)
        await email_queries.save_choices(work.session, governor.id, wanted, datetime.now(UTC))
        for choice, topic in TOPIC_OF.items():
            if wanted[choice]:
                await mail.resubscribe(work.session, address, topic)
    return EmailChoices(address=address, **wanted)


async def _address(session: AsyncSession, governor: Principal) -> str:
    address = await email_queries.governor_address(session, governor.id) if governor.kind == "account" else None
    if address is None:
        raise NotFound("Only a governor's own account has escalation emails.")
    return address
