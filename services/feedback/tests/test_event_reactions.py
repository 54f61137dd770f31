"""Reactions to other services' events, called as the consumers call them: in a transaction of
their own, the one the kit's inbox gives (fast tier, no NATS)."""

from datetime import UTC, date, datetime
from pathlib import Path

from sqlalchemy import select

from feedback.schemas import EscalationCreate, FeedbackCreate, NoteCreate, ResponseCreate, ViewCreate, ViewsCreate
from feedback.service import escalation, governance, intake, reactions, reports, responses, triage
from feedback.store import erased_members, feedback
from forum_shared.events.meetings import PopUpForumHeld
from forum_shared.events.membership import MemberErased
from forum_shared.testing import wait_for

SAM = {"member_id": "member-sam", "contact_name": "Sam Jones", "contact_email": "sam.jones@example.org",
       "contact_phone": "07700 900123", "contact_consent": True}


def held(pop_up_id: str, group: str, area: str | None = "Cambridge") -> PopUpForumHeld:
    return PopUpForumHeld(
        pop_up_id=pop_up_id, community_group_id=group, held_on=date(2027, 3, 4), hours=2,
        facilitator_member_ids=["m1", "m2"], area=area,
    )


async def test_a_pop_up_forum_heard_of_late_links_its_earlier_feedback_to_the_host(db, rules, staff):
    [early] = await intake.receive_views(
        db, staff, ViewsCreate(entered_by="Priya", views=[ViewCreate(text="Hi")]), rules, pop_up_id="pop-late"
    )
    assert early.community_group_id is None and early.cluster_source == "pop_up_forum:pop-late"
    async with db.transaction() as session:
        assert await reactions.note_pop_up_forum(session, held("pop-late", "grp-lifecraft")) == 1
    linked = await triage.get_feedback(db, early.id)
    assert (linked.community_group_id, linked.area, linked.cluster_source) == (
        "grp-lifecraft", "Cambridge", "community_group:grp-lifecraft"
    )


async def test_the_same_pop_up_forum_again_changes_nothing_already_linked(db, rules, staff):
    async with db.transaction() as session:
        await reactions.note_pop_up_forum(session, held("pop-1", "grp-a"))
    [view] = await intake.receive_views(
        db, staff, ViewsCreate(entered_by="Priya", views=[ViewCreate(text="Hi")]), rules, pop_up_id="pop-1"
    )
    async with db.transaction() as session:
        assert await reactions.note_pop_up_forum(session, held("pop-1", "grp-a", area="Fenland")) == 0
    assert (await triage.get_feedback(db, view.id)).area == "Cambridge"


async def test_erasure_removes_identity_and_contact_details_and_keeps_the_words(db, rules):
    personal = {"member_id": "member-erase-1", "contact_name": "Sam Jones", "contact_email": "sam.jones@example.org",
                "contact_phone": "07700 900123", "contact_consent": True, "source": "Sam's carer"}
    mine = await intake.receive_feedback(db, "anonymous", FeedbackCreate(text="The ward was cold", **personal), rules)
    other = await intake.receive_feedback(
        db, "anonymous",
        FeedbackCreate(text="Kept", member_id="someone-else", contact_email="o@example.org", contact_consent=True),
        rules,
    )
    async with db.transaction() as session:
        erased = MemberErased(member_id="member-erase-1", erased_at=datetime.now(UTC))
        assert await reactions.forget_member(session, erased) == 1
    async with db.read() as session:
        rows = (await session.execute(select(feedback))).all()
        hashes = list(await session.scalars(select(erased_members.c.member_hash)))
    everything = repr([tuple(r) for r in rows]) + repr(hashes)
    for value in personal.values():
        if isinstance(value, str):
            assert value not in everything, value
    assert (await triage.get_feedback(db, mine.id)).text == "The ward was cold"
    assert (await triage.get_feedback(db, other.id)).member_id == "someone-else"


async def test_an_erasure_told_twice_is_remembered_once(db):
    erased = MemberErased(member_id="member-twice", erased_at=datetime.now(UTC))
    for _ in range(2):
        async with db.transaction() as session:
            await reactions.forget_member(session, erased)
    async with db.read() as session:
        assert len(list(await session.scalars(select(erased_members.c.member_hash)))) == 1


async def test_erasure_masks_the_members_name_email_and_phone_in_every_word_the_service_keeps(
    db, rules, staff, governor
):
    mine = await intake.receive_feedback(
        db, "anonymous", FeedbackCreate(text="I'm Sam Jones and nobody rang me back", **SAM), rules
    )
    about_sam = await intake.receive_feedback(
        db, "anonymous", FeedbackCreate(text="My neighbour SAM JONES (07700900123) waited weeks"), rules
    )
    unrelated = await intake.receive_feedback(db, "anonymous", FeedbackCreate(text="Sam from the ward was kind"), rules)
    esc = await escalation.escalate(
        db, staff, [mine.id],
        EscalationCreate(summary="No callbacks", notes_for_governors="Write to sam.jones@example.org"), rules,
    )
    await governance.add_note(db, governor, esc.id, NoteCreate(governor="Ann", text="Call Sam Jones"))
    await responses.respond_to_feedback(
        db, staff, about_sam.id, ResponseCreate(you_said="Sam Jones waited", we_did="We rang", outcome="no_change")
    )

    async with db.transaction() as session:
        await reactions.forget_member(session, MemberErased(member_id="member-sam", erased_at=datetime.now(UTC)))

    assert (await triage.get_feedback(db, mine.id)).text == "I'm [removed] and nobody rang me back"
    assert (await triage.get_feedback(db, about_sam.id)).text == "My neighbour [removed] ([removed]) waited weeks"
    assert (await triage.get_feedback(db, unrelated.id)).text == "Sam from the ward was kind"
    full = await governance.escalation_in_full(db, esc.id, date.today())
    assert full.notes_for_governors == "Write to [removed]" and full.notes[0].text == "Call [removed]"
    export = await reports.feedback_csv(db, rules)
    listing = repr(await triage.list_feedback(db)) + repr(await responses.published(db, rules))
    for detail in ("Sam Jones", "SAM JONES", "sam.jones@example.org", "07700 900123", "07700900123"):
        assert detail not in export + listing + repr(full), detail


def _files_hold(folder: Path, secret: bytes) -> bool:
    return any(secret in path.read_bytes() for path in folder.glob("*.db*"))


async def test_after_an_erasure_nothing_of_the_member_is_left_in_the_database_files(db, rules):
    folder = Path(db.engine.url.database).parent
    await intake.receive_feedback(db, "anonymous", FeedbackCreate(text="Sam Jones says the ward is cold", **SAM), rules)
    assert _files_hold(folder, b"sam.jones@example.org")  # in the write-ahead log at least
    async with db.read(), db.transaction() as session:  # a reader, as a page would be, during the erasure
            await reactions.forget_member(session, MemberErased(member_id="member-sam", erased_at=datetime.now(UTC)))

    def gone() -> bool:
        return not any(_files_hold(folder, detail) for detail in (b"Sam Jones", b"sam.jones@example.org",
                                                                    b"07700 900123", b"member-sam"))

    await wait_for(gone, what="the member's details gone from the database, its -wal and -shm files")
