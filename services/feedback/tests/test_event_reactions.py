"""Reactions to other services' events, called as the consumers call them: in a transaction of
their own, the one the kit's inbox gives (fast tier, no NATS)."""

from datetime import UTC, date, datetime

from sqlalchemy import select

from feedback.schemas import FeedbackCreate, ViewCreate, ViewsCreate
from feedback.service import intake, reactions, triage
from feedback.store import erased_members, feedback
from forum_shared.events.meetings import PopUpForumHeld
from forum_shared.events.membership import MemberErased


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
