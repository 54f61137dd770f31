"""Reactions to other services' events, each in the transaction the inbox gives it: escalated
issues on the agenda, community groups and role holders kept, erased members forgotten."""

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from sqlalchemy.engine import make_url

from forum_shared.events.feedback import EscalationOverdue, EscalationResolved, IssueEscalated
from forum_shared.events.membership import InvolvementRoleAssigned, InvolvementRoleEnded, MemberErased
from forum_shared.events.signposting import CommunityGroupRegistered, CommunityGroupUpdated, CommunityGroupWithdrawn
from forum_shared.testing import wait_for
from meetings.domain import AgendaKind
from meetings.schemas.meetings import CancellationCreate, MeetingHeldCreate
from meetings.schemas.registrations import RegistrationCreate
from meetings.service import agenda, directory, escalations, holding, meetings, registration, schedule

TODAY = datetime.now(UTC).date()


def escalated(escalation_id: str, summary: str = "Long waits") -> IssueEscalated:
    return IssueEscalated(escalation_id=escalation_id, summary=summary, reason="Several people, same gap",
                          raised_by="staff", respond_by=date(2030, 1, 31), raised_at=datetime.now(UTC))


def overdue(escalation_id: str, summary: str = "Long waits") -> EscalationOverdue:
    return EscalationOverdue(escalation_id=escalation_id, summary=summary, respond_by=date(2030, 1, 31))


async def react(db, reaction, event) -> None:
    async with db.transaction() as session:
        await reaction(session, event)


async def escalation_items(db, meeting_id: str) -> list[tuple[str | None, AgendaKind, bool]]:
    return [(i.escalation_id, i.kind, i.overdue) for i in (await meetings.get_meeting(db, meeting_id)).agenda]


async def test_an_escalation_waits_for_the_next_public_meeting_and_joins_it_when_scheduled(db, schedule_in):
    await react(db, escalations.add_escalation_to_agenda, escalated("esc-1", "No follow-up after discharge"))
    [waiting] = await agenda.waiting_items(db)
    assert (waiting.escalation_id, waiting.meeting_id, waiting.respond_by) == ("esc-1", None, date(2030, 1, 31))
    past = await schedule_in(db, days=-2)
    closed = await schedule_in(db, days=3, public=False, area="Fenland")
    assert past.agenda == () and closed.agenda == ()
    meeting = await schedule_in(db, days=30, area="Huntingdonshire")
    assert [(i.escalation_id, i.title) for i in meeting.agenda] == [
        ("esc-1", "Escalated issue: No follow-up after discharge")
    ]
    assert await agenda.waiting_items(db) == []


async def test_an_escalation_goes_on_the_next_meeting_once_however_often_it_arrives(db, schedule_in):
    later = await schedule_in(db, days=40)
    sooner = await schedule_in(db, days=10, area="Fenland")
    for _ in range(2):
        await react(db, escalations.add_escalation_to_agenda, escalated("esc-1"))
    assert await escalation_items(db, sooner.id) == [("esc-1", AgendaKind.escalation, False)]
    assert await escalation_items(db, later.id) == []


async def test_a_cancelled_meetings_escalations_move_to_the_next_meeting_or_wait(db, staff, schedule_in):
    first = await schedule_in(db, days=10)
    await react(db, escalations.add_escalation_to_agenda, escalated("esc-1"))
    second = await schedule_in(db, days=40, area="Peterborough")
    await schedule.cancel_meeting(db, staff, first.id, CancellationCreate(reason="Snow"))
    assert [e for e, _, _ in await escalation_items(db, second.id)] == ["esc-1"]
    await schedule.cancel_meeting(db, staff, second.id, CancellationCreate())
    assert [i.escalation_id for i in await agenda.waiting_items(db)] == ["esc-1"]


async def test_an_overdue_escalation_is_flagged_where_it_waits_or_raised_again_once(db, staff, schedule_in):
    upcoming = await schedule_in(db, days=10)
    await react(db, escalations.add_escalation_to_agenda, escalated("on-agenda"))
    await react(db, escalations.add_overdue_escalation_to_agenda, overdue("on-agenda"))
    assert await escalation_items(db, upcoming.id) == [("on-agenda", AgendaKind.escalation, True)]
    for _ in range(2):
        await react(db, escalations.add_overdue_escalation_to_agenda, overdue("unknown", "Raised before we listened"))
    items = [i for i in (await meetings.get_meeting(db, upcoming.id)).agenda if i.escalation_id == "unknown"]
    assert [(i.kind, i.title) for i in items] == [(
        AgendaKind.overdue_escalation,
        "Overdue escalation: Raised before we listened (a response was due by 31 January 2030)",
    )]


async def test_an_escalation_discussed_at_a_held_meeting_comes_back_when_overdue(db, staff, schedule_in):
    held = await schedule_in(db, start=datetime.now(UTC) + timedelta(minutes=10))
    await react(db, escalations.add_escalation_to_agenda, escalated("esc-1"))
    await holding.record_meeting_held(
        db, staff, held.id, MeetingHeldCreate(), now=datetime.now(UTC) + timedelta(hours=1)
    )
    upcoming = await schedule_in(db, days=30, area="Fenland")
    await react(db, escalations.add_overdue_escalation_to_agenda, overdue("esc-1"))
    assert await escalation_items(db, upcoming.id) == [("esc-1", AgendaKind.overdue_escalation, True)]
    assert await escalation_items(db, held.id) == [("esc-1", AgendaKind.escalation, False)]


async def test_a_resolved_escalation_leaves_meetings_to_come_but_stays_with_a_held_one(db, staff, schedule_in):
    held = await schedule_in(db, start=datetime.now(UTC) + timedelta(minutes=10))
    await react(db, escalations.add_escalation_to_agenda, escalated("discussed"))
    await holding.record_meeting_held(
        db, staff, held.id, MeetingHeldCreate(), now=datetime.now(UTC) + timedelta(hours=1)
    )
    upcoming = await schedule_in(db, days=20, area="Fenland")
    await react(db, escalations.add_escalation_to_agenda, escalated("pending"))
    for escalation_id in ("discussed", "pending"):
        resolved = EscalationResolved(escalation_id=escalation_id, resolved_at=datetime.now(UTC))
        await react(db, escalations.take_resolved_escalation_off_the_agenda, resolved)
    assert await escalation_items(db, upcoming.id) == []
    assert [e for e, _, _ in await escalation_items(db, held.id)] == ["discussed"]


async def test_a_resolution_that_arrives_before_its_escalation_or_overdue_notice_keeps_it_off_the_agenda(
    db, schedule_in
):
    """Each event type has a consumer of its own, so only one aggregate's events of one type are
    sure to arrive in order: the resolution may come first."""
    upcoming = await schedule_in(db, days=20)
    resolved = EscalationResolved(escalation_id="early", resolved_at=datetime.now(UTC))
    await react(db, escalations.take_resolved_escalation_off_the_agenda, resolved)
    await react(db, escalations.add_escalation_to_agenda, escalated("early"))
    await react(db, escalations.add_overdue_escalation_to_agenda, overdue("early"))
    await react(db, escalations.take_resolved_escalation_off_the_agenda, resolved)  # delivered again
    assert await escalation_items(db, upcoming.id) == []
    await react(db, escalations.add_escalation_to_agenda, escalated("other"))  # others are not held back
    assert [e for e, _, _ in await escalation_items(db, upcoming.id)] == ["other"]


async def test_a_community_group_is_kept_whatever_order_its_events_arrive_in(db):
    now = datetime.now(UTC)
    async with db.transaction() as session:
        await directory.record_community_group(
            session, CommunityGroupUpdated(community_group_id="g", name="Lifecraft Cambridge", areas=["Cambridge"]), now
        )
        await directory.record_community_group(
            session, CommunityGroupRegistered(community_group_id="g", name="Lifecraft", areas=["Fenland"]),
            now - timedelta(minutes=1),
        )
    [group] = await directory.list_community_groups(db)
    assert (group.name, group.areas, group.can_host) == ("Lifecraft Cambridge", ("Cambridge",), True)
    async with db.transaction() as session:
        await directory.record_community_group_withdrawn(session, CommunityGroupWithdrawn(community_group_id="g"),
                                                        now + timedelta(minutes=1))
    assert await directory.list_community_groups(db, can_host=True) == []
    assert [g.id for g in await directory.list_community_groups(db, can_host=False)] == ["g"]


def assigned(member_id: str, assignment_id: str | None = None, days_ago: int = 30) -> InvolvementRoleAssigned:
    return InvolvementRoleAssigned(assignment_id=assignment_id or f"as-{member_id}", member_id=member_id,
                                   role_id="r1", role_title="Pop-up forum facilitator",
                                   starts_on=TODAY - timedelta(days=days_ago))


def ended(member_id: str, days_ago: int = 1) -> InvolvementRoleEnded:
    return InvolvementRoleEnded(assignment_id=f"as-{member_id}", member_id=member_id, role_id="r1",
                                ends_on=TODAY - timedelta(days=days_ago))


async def holders(db, on: date = TODAY) -> dict[str, int]:
    return {h.member_id: len(h.roles) for h in await directory.list_role_holders(db, on)}


async def test_a_role_ends_even_if_its_end_arrives_before_its_start(db):
    await react(db, directory.record_role_ended, ended("ivy"))
    await react(db, directory.record_role_assigned, assigned("ivy"))
    await react(db, directory.record_role_assigned, assigned("jo"))
    assert await holders(db) == {"jo": 1}
    assert await holders(db, TODAY - timedelta(days=5)) == {"ivy": 1, "jo": 1}


async def test_an_erased_member_is_forgotten_and_a_late_event_about_them_changes_nothing(db, staff, schedule_in):
    meeting = await schedule_in(db, days=14)
    mine = await registration.register(db, staff, meeting.id, RegistrationCreate(
        member_id="gus", access_needs=["quiet_space"], access_notes="anxiety"))
    other = await registration.register(db, staff, meeting.id, RegistrationCreate(
        member_id="hal", access_needs=["quiet_space"]))
    await react(db, directory.record_role_assigned, assigned("gus"))
    await react(db, directory.forget_member, MemberErased(member_id="gus", erased_at=datetime.now(UTC)))
    await react(db, directory.record_role_assigned, assigned("gus", "as-gus-late"))
    await react(db, directory.forget_member, MemberErased(member_id="gus", erased_at=datetime.now(UTC)))
    assert await holders(db) == {}
    scrubbed = await registration.get_registration(db, meeting.id, mine.id)
    assert (scrubbed.member_id, scrubbed.access_needs, scrubbed.access_notes) == ("gus", (), None)
    assert (await registration.get_registration(db, meeting.id, other.id)).access_needs == ("quiet_space",)


def on_disk(db, text: str) -> bool:
    """Whether `text` is anywhere in the database's files: the database, its write-ahead log, its index."""
    path = Path(make_url(db.url).database)
    return any(text.encode() in f.read_bytes() for f in path.parent.glob(f"{path.name}*"))


async def test_an_erased_members_registration_details_leave_the_database_files_too(db, staff, schedule_in):
    notes = "Robin needs a quiet room after a panic attack last month"
    meeting = await schedule_in(db, days=14)
    mine = await registration.register(db, staff, meeting.id, RegistrationCreate(
        member_id="robin", access_needs=["quiet_space"], access_notes=notes))
    assert on_disk(db, notes)  # in the write-ahead log, at least
    await react(db, directory.forget_member, MemberErased(member_id="robin", erased_at=datetime.now(UTC)))
    await wait_for(lambda: not on_disk(db, notes), timeout=5, what="the notes gone from the database's files")
    scrubbed = await registration.get_registration(db, meeting.id, mine.id)
    assert (scrubbed.member_id, scrubbed.access_needs, scrubbed.access_notes) == ("robin", (), None)
