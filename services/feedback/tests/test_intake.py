"""Feedback coming in, through the use cases directly (fast tier: SQLite, no NATS, no HTTP)."""

from datetime import UTC, date, datetime

import pytest

from feedback.schemas import FeedbackCreate, PartnerFeedbackCreate, ViewCreate, ViewsCreate
from feedback.service import intake, reactions, themes
from feedback.store import theme_queries
from forum_shared.errors import Invalid
from forum_shared.events.feedback import FeedbackReceived, IssueEscalated
from forum_shared.events.meetings import PopUpForumHeld
from forum_shared.events.membership import MemberErased


def held(pop_up_id: str, group: str, area: str = "Fenland") -> PopUpForumHeld:
    return PopUpForumHeld(
        pop_up_id=pop_up_id, community_group_id=group, held_on=date(2027, 3, 4), hours=2,
        facilitator_member_ids=["m1", "m2"], area=area,
    )


async def test_feedback_from_the_public_is_recorded_as_new_with_its_event_and_no_audit_entry(
    db, rules, recorded, audited
):
    item = await intake.receive_feedback(
        db, "anonymous", FeedbackCreate(text="The crisis line took an hour", area="Fenland", themes=["Crisis care"]),
        rules,
    )
    assert (item.status, item.source_kind, item.channel, item.themes) == (
        "new",
        "individual",
        "online",
        ("crisis care",),
    )
    [event] = await recorded(FeedbackReceived)
    assert (event.feedback_id, event.area, event.themes) == (item.id, "Fenland", ["crisis care"])
    assert await audited("feedback.views_recorded") == 0


async def test_the_received_event_carries_no_words_and_no_contact_details(db, rules, recorded):
    await intake.receive_feedback(
        db, "anonymous",
        FeedbackCreate(text="Private words", contact_name="Sam Jones", contact_email="sam@example.org",
                       contact_consent=True),
        rules,
    )
    [event] = await recorded(FeedbackReceived)
    dumped = event.model_dump_json()
    assert "Private words" not in dumped and "Sam Jones" not in dumped and "sam@example.org" not in dumped


async def test_views_heard_at_a_pop_up_forum_are_recorded_together_and_audited_once(db, rules, staff, audited):
    views = ViewsCreate(
        entered_by="Priya", views=[ViewCreate(text="Letters arrive late"), ViewCreate(text="Kind staff")]
    )
    recorded_views = await intake.receive_views(db, staff, views, rules, pop_up_id="pop-1")
    assert [v.channel for v in recorded_views] == ["pop_up_forum", "pop_up_forum"]
    assert {v.pop_up_id for v in recorded_views} == {"pop-1"}
    assert all(v.entered_by == "Priya" and v.source_kind == "pop_up_forum" for v in recorded_views)
    assert await audited("feedback.views_recorded") == 1


async def test_views_heard_at_a_meeting_are_linked_to_it(db, rules, staff):
    [view] = await intake.receive_views(
        db, staff, ViewsCreate(entered_by="Priya", views=[ViewCreate(text="More evening meetings")]), rules,
        meeting_id="m-1",
    )
    assert (view.meeting_id, view.channel, view.source_kind) == ("m-1", "meeting", "meeting")


async def test_views_at_a_known_pop_up_forum_take_its_host_group_and_area(db, rules, staff):
    async with db.transaction() as session:
        await reactions.note_pop_up_forum(session, held("pop-known", "grp-wisbech", area="Fenland"))
    [view] = await intake.receive_views(
        db, staff, ViewsCreate(entered_by="Priya", views=[ViewCreate(text="Hello")]), rules, pop_up_id="pop-known"
    )
    assert (view.community_group_id, view.area, view.cluster_source) == (
        "grp-wisbech", "Fenland", "community_group:grp-wisbech"
    )


async def test_feedback_naming_another_group_than_the_pop_up_forums_host_is_refused(db, rules, staff, recorded):
    async with db.transaction() as session:
        await reactions.note_pop_up_forum(session, held("pop-known", "grp-wisbech"))
    with pytest.raises(Invalid, match="hosted by community group grp-wisbech"):
        await intake.receive_feedback(
            db, staff, FeedbackCreate(text="Hi", pop_up_id="pop-known", community_group_id="other"), rules
        )
    assert await recorded(FeedbackReceived) == []


async def test_the_public_naming_a_pop_up_forum_is_still_the_publics_one_voice(db, rules):
    async with db.transaction() as session:
        await reactions.note_pop_up_forum(session, held("pop-known", "grp-wisbech"))
    item = await intake.receive_feedback(db, "anonymous", FeedbackCreate(text="Hi", pop_up_id="pop-known"), rules)
    assert (item.recorded_by, item.community_group_id, item.cluster_source) == ("public", "grp-wisbech", "public")


async def test_staff_record_a_listed_groups_view_and_it_counts_as_that_group(db, rules, staff, directory):
    await directory("grp-listed")
    item = await intake.receive_feedback(
        db, staff, FeedbackCreate(text="Our view", channel="community_group", community_group_id="grp-listed"), rules
    )
    assert (item.recorded_by, item.source_kind, item.cluster_source) == (
        "staff", "community_group", "community_group:grp-listed"
    )


async def test_a_partners_program_may_also_send_through_the_open_route_and_is_known_as_the_partner(
    db, rules, partner, directory
):
    await directory("grp-listed")
    item = await intake.receive_feedback(
        db, partner, FeedbackCreate(text="A group's view", community_group_id="grp-listed"), rules
    )
    assert (item.recorded_by, item.partner_id, item.source) == ("partner", "token-sun", "SUN Network")


async def test_only_words_from_the_managed_theme_list_go_on_the_bus(db, rules, recorded):
    await intake.receive_feedback(
        db, "anonymous", FeedbackCreate(text="Hi", themes=["carers", "Sam Jones 07700 900123"]), rules
    )
    [event] = await recorded(FeedbackReceived)
    assert event.themes == ["carers"]


async def test_a_theme_added_or_retired_after_feedback_came_in_still_counts_as_the_managed_list_says(
    db, rules, staff, recorded
):
    """The names on the list are remembered once read: a name added since is still looked for,
    and a retired one still counts (it keeps its name)."""
    await intake.receive_feedback(db, "anonymous", FeedbackCreate(text="a", themes=["carers"]), rules)
    await themes.add_theme(db, staff, "parking")
    await themes.retire_theme(db, staff, "carers")
    await intake.receive_feedback(db, "anonymous", FeedbackCreate(text="b", themes=["parking", "carers", "Jo"]), rules)
    assert [e.themes for e in await recorded(FeedbackReceived)] == [["carers"], ["carers", "parking"]]


async def test_a_theme_name_read_in_a_transaction_that_rolled_back_is_not_remembered(db, rules, recorded):
    with pytest.raises(RuntimeError):
        async with db.transaction() as session:
            await theme_queries.add_or_restore(session, "ghost town", datetime.now(UTC))
            assert await theme_queries.on_the_list(session, ["ghost town"]) == {"ghost town"}
            raise RuntimeError("rolled back")
    await intake.receive_feedback(db, "anonymous", FeedbackCreate(text="c", themes=["ghost town", "carers"]), rules)
    [event] = await recorded(FeedbackReceived)
    assert event.themes == ["carers"]


async def test_a_partners_feedback_names_the_partner_as_its_source(db, rules, partner):
    item = await intake.receive_from_partner(
        db, partner, PartnerFeedbackCreate(text="Our members wait months", themes=["waiting times"]), rules
    )
    assert (item.channel, item.source_kind, item.source, item.partner_id, item.cluster_source) == (
        "partner", "partner_organisation", "SUN Network", "token-sun", "partner:token-sun"
    )


async def test_feedback_from_an_erased_member_keeps_the_words_but_not_who_said_them(db, rules):
    async with db.transaction() as session:
        await reactions.forget_member(session, MemberErased(member_id="member-gone", erased_at=datetime.now(UTC)))
    item = await intake.receive_feedback(
        db, "anonymous",
        FeedbackCreate(text="Late words", member_id="member-gone", contact_email="gone@example.org",
                       contact_consent=True, source="A neighbour"),
        rules,
    )
    assert item.text == "Late words"
    assert (item.member_id, item.contact_email, item.source, item.contact_consent) == (None, None, None, False)
    assert item.anonymised_at is not None


async def test_a_safeguarding_concern_reaches_governors_as_it_is_received(db, rules, recorded):
    item = await intake.receive_feedback(
        db, "anonymous", FeedbackCreate(text="Someone is at risk", safeguarding_concern=True, area="March"), rules
    )
    [event] = await recorded(IssueEscalated)
    assert (event.raised_by, event.feedback_ids, event.area) == ("safeguarding", [item.id], "March")
    assert "Someone is at risk" not in event.summary + event.reason
    assert item.escalation_ids == (event.escalation_id,)
