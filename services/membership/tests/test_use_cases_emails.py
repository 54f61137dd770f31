"""People hear back: the emails the use cases queue (the kit's outbox rows, read with
`forum_shared.mail.unsent`), and each rendered by the kit's own mail sender, as it would be sent."""

from datetime import date

import pytest

from forum_shared import mail
from forum_shared.mail.sender import MailSender
from membership.app import HERE
from membership.config import Settings
from membership.domain import ConsentPurpose
from membership.schemas import (
    AssignmentCreate,
    ChatArrange,
    ConsentAnswer,
    InterestCreate,
    MemberCreate,
    MemberUpdate,
)
from membership.service import holdings, interest, joining, members, sign_in

SIGN_IN = "https://join.example.org/members/sign-in"


@pytest.fixture
def queued(db):
    """`await queued()`: the email waiting to be sent, oldest first."""

    async def read() -> list[dict]:
        async with db.read() as session:
            return await mail.unsent(session)

    return read


@pytest.fixture
def body(db):
    """`body(row)`: the plain text the kit's mail sender makes of a queued row."""
    settings = Settings(public_url="https://join.example.org/", database_url="sqlite+aiosqlite:///:memory:")
    sender = MailSender(db, settings, service_title="Membership", templates=HERE / "templates")

    def text(row: dict) -> str:
        return sender.compose(row).get_body(("plain",)).get_content()

    return text


def agrees(given: bool) -> list[ConsentAnswer]:
    return [ConsentAnswer(purpose=ConsentPurpose.involvement_opportunities, given=given)]


async def test_someone_who_joins_with_an_email_is_welcomed_and_told_how_to_sign_in(db, member, role, queued, body):
    facilitator = await role(title="Pop-up forum facilitator")
    robin = await joining.join(
        db, "anonymous", MemberCreate(display_name="Robin", email="Robin@Example.org"),
        interested_in=[facilitator.id],
    )
    await member("Sam")  # no email: nothing to send
    await joining.join(db, "anonymous", MemberCreate(display_name="R", email="robin@example.org"))  # again
    [welcome] = await queued()
    assert (welcome["to_address"], welcome["template"], welcome["topic"], welcome["about"]) == (
        "robin@example.org", "welcome", None, f"member:{robin.id}"
    )
    assert welcome["subject"] == "Welcome to the Partnership Forum"
    text = body(welcome)
    assert text.startswith("Hello Robin,")
    assert "interested in the role Pop-up forum facilitator" in text and "There is no interview" in text
    assert f"go to {SIGN_IN} and enter this email address" in text and "no member number" in text


async def test_roles_given_and_interest_answered_are_emailed_only_to_members_who_agreed_to_hear(
    db, member, role, staff, queued, body
):
    facilitator = await role(title="Pop-up forum facilitator", hourly_rate="12.50")
    keen = await member("Kit", email="kit@example.org", consents=agrees(True))
    shy = await member("Lou", email="lou@example.org", consents=agrees(False))
    welcomes = len(await queued())
    for who in (keen, shy):
        noted = await interest.note_interest(db, staff, facilitator.id, InterestCreate(member_id=who.id))
        chat = ChatArrange(chat_on=date(2027, 3, 2), note="At Wisbech library.")
        await interest.arrange_chat(db, staff, noted.id, chat)
        holding = AssignmentCreate(member_id=who.id, starts_on=date(2027, 3, 9))
        await holdings.assign_role(db, staff, facilitator.id, holding)

    answered, given = (await queued())[welcomes:]
    assert {answered["to_address"], given["to_address"]} == {"kit@example.org"}
    assert (answered["template"], answered["topic"], answered["subject"]) == (
        "interest_answered", "membership.roles", "Your interest in Pop-up forum facilitator"
    )
    assert "The chat is on Tuesday 2 March 2027." in body(answered) and "At Wisbech library." in body(answered)
    assert (given["template"], given["topic"], given["subject"]) == (
        "role_given", "membership.roles", "Your involvement role: Pop-up forum facilitator"
    )
    text = body(given)
    assert "It starts on Tuesday 9 March 2027." in text and "paid at £12.50 an hour" in text
    assert "To stop these emails, go to https://join.example.org/unsubscribe/" in text  # the kit's line


async def test_leaving_is_confirmed_by_email_with_the_roles_that_ended(db, member, role, staff, queued, body):
    facilitator = await role(title="Pop-up forum facilitator")
    ann = await member("Ann", email="ann@example.org")
    holding = AssignmentCreate(member_id=ann.id, starts_on=date(2026, 1, 1))
    await holdings.assign_role(db, staff, facilitator.id, holding)
    await members.leave(db, sign_in.actor(ann.id), ann.id)
    left = (await queued())[-1]
    assert (left["to_address"], left["template"], left["topic"]) == ("ann@example.org", "left", None)
    assert "- Pop-up forum facilitator" in body(left) and "You have left the Partnership Forum" in body(left)


async def test_erasure_forgets_the_email_waiting_for_a_member_then_confirms_it_as_the_only_message_left(
    db, member, staff, queued, body
):
    robin = await member("Robin Quill", email="old@example.org")  # a welcome waits for this address
    await members.update_member(db, staff, robin.id, MemberUpdate(email="robin@example.org"))
    await sign_in.request_link(db, "robin@example.org", None, [])  # a sign-in link waits for the new one
    other = await member("Sam", email="sam@example.org")
    assert len(await queued()) == 3

    await members.erase(db, staff, robin.id)
    waiting = await queued()
    assert [(m["to_address"], m["about"]) for m in waiting] == [
        ("sam@example.org", f"member:{other.id}"),
        ("robin@example.org", f"member:{robin.id}"),
    ]
    confirmation = waiting[-1]
    assert (confirmation["template"], confirmation["topic"], confirmation["context"]) == ("erased", None, {})
    assert "old@example.org" not in str(waiting)
    text = body(confirmation)
    assert "We have erased your details" in text and "Robin" not in text and "Quill" not in text
