"""Who hears from the feedback service by email, through the use cases directly (fast tier): each
test reads the email outbox (`forum_shared.mail.unsent`), and renders what it holds the way the
kit's mail sender will."""

from datetime import UTC, datetime, timedelta

import pytest

from feedback.app import HERE
from feedback.config import Settings
from feedback.domain import reference
from feedback.records import EmailChoices
from feedback.schemas import EscalationCreate, EscalationEmails, FeedbackCreate, ResponseCreate
from feedback.service import emails, escalation, governance, intake, reactions, responses
from forum_shared import mail
from forum_shared.errors import NotFound
from forum_shared.events.membership import MemberErased
from forum_shared.identity import accounts
from forum_shared.identity.principal import Principal
from forum_shared.mail.sender import MailSender
from forum_shared.testing import settings_for

WORDS = "The night staff on Heron ward shouted at my son"
SECRET_NOTES = "Ask the ward manager about Tuesday"
ANSWER = ResponseCreate(you_said="Night staff were unkind", we_did="Training for every night shift",
                        outcome="change_made")


async def give(db, rules, **fields):
    return await intake.receive_feedback(db, "anonymous", FeedbackCreate(text=WORDS, **fields), rules)


async def outbox(db, about=None):
    async with db.read() as session:
        return await mail.unsent(session, about)


def rendered(db, row) -> str:
    """The text part of the message the kit's mail sender would send for `row`."""
    sender = MailSender(db, settings_for(Settings, public_url="https://feedback.example.org"),
                        service_title="Feedback", templates=HERE / "templates")
    return sender.compose(row).get_body(("plain",)).get_content()


async def add_governor(db, email: str, *, role: str = "governor", disabled: bool = False) -> Principal:
    async with db.transaction() as session:
        account = await accounts.create_account(
            session, email=email, name=email.split("@")[0].title(), password_hash="x", role=role
        )
        if disabled:
            await accounts.change_account(session, account["id"], actor="system", disabled=True)
    return Principal("account", account["id"], account["name"], role)


async def choose(db, person: Principal, *wanted: str) -> None:
    await emails.choose_emails(db, person, EscalationEmails(emails=list(wanted)))


async def test_only_someone_who_left_an_address_and_agreed_is_thanked_and_never_sent_their_words(db, rules):
    await give(db, rules)  # anonymous
    await give(db, rules, contact_name="Pat", contact_phone="01234 567890", contact_consent=True)  # no address
    item = await give(db, rules, contact_name="Alex Private", contact_email="alex@example.org", contact_consent=True)
    [row] = await outbox(db)
    assert (row["to_address"], row["about"], row["topic"], row["template"]) == (
        "alex@example.org", f"feedback:{item.id}", None, "feedback_received"
    )
    assert WORDS not in str(row["context"]) and "Alex" not in str(row["context"])
    text = rendered(db, row)
    assert text.startswith("Hello,") and reference(item.id) in text and "What happens next" in text
    assert WORDS not in text and "Heron" not in text and "Alex" not in text
    assert "https://feedback.example.org/you-said-we-did" in text and "To stop these emails" not in text


async def test_a_published_answer_reaches_each_consenting_contact_once(db, rules, staff):
    alex = [await give(db, rules, contact_email=email, contact_consent=True)
            for email in ("alex@example.org", "Alex@Example.org")]
    sam = await give(db, rules, contact_name="Sam", contact_email="sam@example.org", contact_consent=True)
    anonymous = await give(db, rules)
    esc = await escalation.escalate(
        db, staff, [*(i.id for i in alex), sam.id, anonymous.id],
        EscalationCreate(summary="Unkind night staff", notes_for_governors=SECRET_NOTES), rules,
    )
    response = await responses.respond_to_escalation(db, staff, esc.id, ANSWER)
    answers = await outbox(db, f"response:{response.id}")
    assert sorted(r["to_address"].lower() for r in answers) == ["alex@example.org", "sam@example.org"]
    assert {r["topic"] for r in answers} == {None}  # the answer to their own feedback: no unsubscribe
    to_alex = next(r for r in answers if r["to_address"].lower() == "alex@example.org")
    assert to_alex["context"]["references"] == [reference(i.id) for i in alex]
    text = rendered(db, to_alex)
    assert "Training for every night shift" in text and "Change made" in text
    assert WORDS not in text and SECRET_NOTES not in text

    single = await responses.respond_to_feedback(db, staff, sam.id, ANSWER)
    assert [r["to_address"] for r in await outbox(db, f"response:{single.id}")] == ["sam@example.org"]


async def test_only_governors_who_chose_them_get_escalation_and_overdue_emails(db, rules, staff):
    new_only = await add_governor(db, "nia@example.org")
    both = await add_governor(db, "bo@example.org")
    await add_governor(db, "quiet@example.org")  # chose nothing
    gone = await add_governor(db, "gone@example.org")
    admin = await add_governor(db, "admin@example.org", role="admin")
    await choose(db, new_only, "new_escalations")
    await choose(db, both, "new_escalations", "overdue_escalations")
    await choose(db, gone, "new_escalations", "overdue_escalations")
    await choose(db, admin, "new_escalations", "overdue_escalations")
    async with db.transaction() as session:
        await accounts.change_account(session, gone.id, actor="system", disabled=True)

    item = await give(db, rules, contact_name="Alex Private", contact_email="alex@example.org", contact_consent=True)
    esc = await escalation.escalate(
        db, staff, [item.id], EscalationCreate(summary="Unkind night staff", notes_for_governors=SECRET_NOTES), rules
    )
    raised = await outbox(db, f"escalation:{esc.id}")
    assert sorted(r["to_address"] for r in raised) == ["bo@example.org", "nia@example.org"]
    assert {(r["topic"], r["template"]) for r in raised} == {("feedback.escalations", "escalation_raised")}
    text = rendered(db, raised[0])
    assert "Unkind night staff" in text and "How it reached governors: Raised by staff." in text
    assert f"https://feedback.example.org/governors/escalations/{esc.id}" in text
    assert "To stop these emails, go to https://feedback.example.org/unsubscribe/" in text
    for private in (WORDS, SECRET_NOTES, "Alex", "alex@example.org"):
        assert private not in text and private not in str(raised[0]["context"])

    await governance.check_overdue(db, esc.respond_by + timedelta(days=1))
    overdue = [r for r in await outbox(db, f"escalation:{esc.id}") if r["topic"] == "feedback.overdue"]
    assert [r["to_address"] for r in overdue] == ["bo@example.org"]
    assert "No governor has acknowledged it yet" in rendered(db, overdue[0])


async def test_unsubscribing_turns_a_choice_off_until_the_governor_chooses_it_again(db, rules, staff):
    governor = await add_governor(db, "nia@example.org")
    assert await emails.email_choices(db, governor) == EmailChoices("nia@example.org", False, False)
    await choose(db, governor, "new_escalations")
    async with db.transaction() as session:  # the one-click link in an email
        await mail.suppress(session, mail.address_hash("nia@example.org"), "feedback.escalations")
    assert (await emails.email_choices(db, governor)).new_escalations is False

    async def raise_one() -> list[dict]:
        esc = await escalation.escalate(db, staff, [(await give(db, rules)).id], EscalationCreate(
            summary="Waits", notes_for_governors="Serious"), rules)
        return await outbox(db, f"escalation:{esc.id}")

    assert await raise_one() == []
    await choose(db, governor, "new_escalations")
    assert (await emails.email_choices(db, governor)).new_escalations is True
    assert [r["to_address"] for r in await raise_one()] == ["nia@example.org"]
    await choose(db, governor)
    assert await raise_one() == []


async def test_erasing_a_member_forgets_email_to_them_and_their_name_in_email_not_yet_sent(db, rules, staff):
    governor = await add_governor(db, "nia@example.org")
    await choose(db, governor, "new_escalations")
    item = await give(db, rules, member_id="member-7", contact_name="Alex Private", contact_email="alex@example.org",
                      contact_consent=True)
    other = await give(db, rules, contact_email="sam@example.org", contact_consent=True)
    esc = await escalation.escalate(
        db, staff, [item.id], EscalationCreate(summary="Alex Private waited a year", notes_for_governors="x" * 3), rules
    )
    assert len(await outbox(db)) == 3
    async with db.transaction() as session:
        await reactions.forget_member(session, MemberErased(member_id="member-7", erased_at=datetime.now(UTC)))
    left = await outbox(db)
    assert [r["about"] for r in left] == [f"feedback:{other.id}", f"escalation:{esc.id}"]
    assert left[1]["context"]["summary"] == "[removed] waited a year"


async def test_a_program_with_a_governor_token_has_no_email_choices(db):
    with pytest.raises(NotFound):
        await emails.email_choices(db, Principal("token", "token-1", "A program", "governor"))
