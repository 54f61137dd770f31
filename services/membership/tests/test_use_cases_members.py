"""Joining, finding members, changing details, leaving and erasure: the use cases called directly
on SQLite."""

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from forum_shared import mail
from forum_shared.errors import Conflict, NotFound, RuleBroken
from forum_shared.events import InvolvementRoleEnded, MemberErased, MemberJoined, MemberLeft
from forum_shared.identity.principal import Principal
from forum_shared.testing import wait_for
from membership import domain
from membership.domain import ConsentPurpose, InterestStatus, MemberStatus
from membership.schemas import (
    AssignmentCreate,
    ConsentAnswer,
    EntryCreate,
    InterestCreate,
    MemberCreate,
    MemberUpdate,
)
from membership.service import holdings, interest, involvement, joining, members


async def test_a_member_of_the_public_joins_with_only_a_name_and_other_services_hear_only_the_district(
    db, recorded, audited
):
    joined = await joining.join(db, "anonymous", MemberCreate(display_name=" Sam ", area="pe13 1ab"))
    assert (joined.display_name, joined.area, joined.status) == ("Sam", "PE13 1AB", MemberStatus.active)
    assert joined.connections == () and joined.consents == ()
    [event] = await recorded(db, MemberJoined)
    assert (event.member_id, event.area) == (joined.id, "PE13")
    assert await audited(db) == []  # the public joining for themselves is nobody's change to account for


async def test_staff_joining_someone_on_their_behalf_is_audited_by_id(db, staff, audited):
    joined = await joining.join(db, staff, MemberCreate(display_name="Ola"))
    assert await audited(db) == [("account:staff-1", "member.joined", f"member:{joined.id}", {})]


async def test_joining_with_roles_notes_interest_in_each_with_a_chat_offered(db, role):
    facilitator, reader = await role(), await role(title="Easy read reviewer", paid=False, hourly_rate=None)
    joined = await joining.join(
        db,
        "anonymous",
        MemberCreate(display_name="Robin"),
        interested_in=[facilitator.id, reader.id],
        note="  I know the groups in March. ",
    )
    overview = await members.member_overview(db, joined.id)
    assert [(i.role_title, i.note, i.would_like_a_chat, i.status) for i in overview.interests] == [
        ("Facilitator", "I know the groups in March.", True, InterestStatus.interested),
        ("Easy read reviewer", "I know the groups in March.", True, InterestStatus.interested),
    ]


async def test_joining_with_interest_in_a_closed_role_leaves_nobody_half_joined(db, role, recorded, monkeypatch):
    closing_today = await role(closing_date=domain.today())
    tomorrow = domain.today() + timedelta(days=1)
    monkeypatch.setattr(domain, "today", lambda: tomorrow)
    with pytest.raises(Conflict, match="closed on"):
        await joining.join(db, "anonymous", MemberCreate(display_name="Lee"), interested_in=[closing_today.id])
    assert await members.find_members(db) == []
    assert await recorded(db, MemberJoined) == []


async def test_joining_again_with_a_known_email_makes_nothing_and_is_noted_for_staff_without_the_email(
    db, member, role, recorded, audited
):
    jo = await member("Jo", email="jo@example.org")
    facilitator = await role()
    again = MemberCreate(display_name="Joanne", email="JO@example.org", phone="01733 123456")
    assert await joining.join(db, "anonymous", again, interested_in=[facilitator.id], note="Me again") is None
    assert [(m.display_name, m.email, m.phone) for m in await members.find_members(db)] == [
        ("Jo", "jo@example.org", None)
    ]
    assert [e.member_id for e in await recorded(db, MemberJoined)] == [jo.id]
    assert await interest.interests_in_role(db, facilitator.id) == []
    assert (await audited(db))[-1] == (
        "anonymous", "member.joined_again", f"member:{jo.id}", {"interested_in": [facilitator.id]}
    )
    assert "example.org" not in str(await audited(db))


async def test_only_staff_are_told_that_an_email_is_already_a_members(db, member, staff):
    await member("Jo", email="jo@example.org")
    partner = Principal(kind="token", id="tok-1", name="SUN Network import", role="partner")
    assert await joining.join(db, partner, MemberCreate(display_name="Jo", email="jo@example.org")) is None
    with pytest.raises(Conflict, match="already a member"):
        await joining.join(db, staff, MemberCreate(display_name="Jo", email="jo@example.org"))
    assert len(await members.find_members(db)) == 1


async def test_a_refusal_when_joining_is_the_same_whether_or_not_the_email_is_known(db, member, role, monkeypatch):
    await member("Jo", email="jo@example.org")
    closing_today = await role(closing_date=domain.today())
    tomorrow = domain.today() + timedelta(days=1)
    monkeypatch.setattr(domain, "today", lambda: tomorrow)
    for email in ("jo@example.org", "new@example.org"):
        with pytest.raises(Conflict, match="closed on"):
            await joining.join(db, "anonymous", MemberCreate(display_name="Jo", email=email),
                               interested_in=[closing_today.id])
        with pytest.raises(RuleBroken, match="please also give a phone number"):
            await joining.join(db, "anonymous", MemberCreate(display_name="Jo", email=email, preferred_channel="phone"))
    assert len(await members.find_members(db)) == 1


async def test_a_preferred_way_of_contact_needs_its_detail_when_joining(db, member):
    with pytest.raises(RuleBroken, match="please also give an email address"):
        await member("Kim", preferred_channel="email")
    assert await members.find_members(db) == []


async def test_consents_keep_the_time_given_and_the_newest_answer_counts(db, member, staff):
    given_at = datetime(2026, 1, 5, 10, tzinfo=UTC)
    joined = await member("Ali", consents=[ConsentAnswer(purpose=ConsentPurpose.forum_news, given_at=given_at)])
    assert [(c.purpose, c.given, c.given_at, c.wording) for c in joined.consents] == [
        (ConsentPurpose.forum_news, True, given_at, "Hear about forum meetings and news.")
    ]
    withdrawn = await members.update_member(
        db, staff, joined.id, MemberUpdate(consents=[ConsentAnswer(purpose=ConsentPurpose.forum_news, given=False)])
    )
    assert [(c.purpose, c.given) for c in withdrawn.consents] == [(ConsentPurpose.forum_news, False)]


async def test_staff_find_members_by_area_connection_access_need_role_status_and_name(db, member, role, staff):
    await member("Ann Bell", area="PE13 2AA", connections=["Carer"], access_needs=["Hearing loop"])
    ben = await member("Ben", email="ben.x@example.org", area="fenland", connections=["Lived experience"])
    cy = await member("Cy", area="Cambridge", access_needs=["hearing loop"])
    buddy = await role(paid=False, hourly_rate=None)
    await holdings.assign_role(db, staff, buddy.id, AssignmentCreate(member_id=ben.id, starts_on=domain.today()))
    await members.leave(db, staff, cy.id)

    async def names(**filters) -> list[str]:
        return [m.display_name for m in await members.find_members(db, **filters)]

    assert await names() == ["Ann Bell", "Ben", "Cy"]
    assert await names(area="pe13") == ["Ann Bell"]
    assert await names(area="Fenland") == ["Ben"]
    assert await names(connection="lived experience") == ["Ben"]
    assert await names(access_need="Hearing Loop") == ["Ann Bell", "Cy"]
    assert await names(role_id=buddy.id) == ["Ben"]
    assert await names(status=MemberStatus.left) == ["Cy"]
    assert await names(name_or_email="bell") == ["Ann Bell"]
    assert await names(name_or_email="BEN.X@") == ["Ben"]


async def test_staff_change_only_what_is_sent_and_the_change_is_audited(db, member, staff, audited):
    pat = await member("Pat", email="pat@example.org", phone="01733 123456")
    changed = await members.update_member(db, staff, pat.id, MemberUpdate(area="huntingdonshire", phone=None))
    assert (changed.display_name, changed.email, changed.area, changed.phone) == (
        "Pat", "pat@example.org", "Huntingdonshire", None
    )
    assert ("account:staff-1", "member.updated", f"member:{pat.id}", {}) in await audited(db)


async def test_a_change_is_refused_if_it_takes_another_members_email_or_strands_the_preferred_contact(
    db, member, staff, audited
):
    pat = await member("Pat", phone="01733 123456", preferred_channel="phone")
    await member("Lee", email="lee@example.org")
    with pytest.raises(Conflict, match="already uses this email"):
        await members.update_member(db, staff, pat.id, MemberUpdate(email="LEE@example.org"))
    with pytest.raises(RuleBroken, match="please also give a phone number"):
        await members.update_member(db, staff, pat.id, MemberUpdate(phone=None))
    assert (await members.get_member(db, pat.id)).phone == "01733 123456"
    assert await audited(db) == []
    with pytest.raises(NotFound, match="no member with id nobody"):
        await members.update_member(db, staff, "nobody", MemberUpdate(area="Ely"))


async def test_a_member_who_leaves_keeps_their_record_and_every_role_they_hold_ends(db, member, role, staff, recorded):
    ola = await member("Ola")
    reader = await role(paid=False, hourly_rate=None)
    later = domain.today() + timedelta(days=30)
    started = await holdings.assign_role(
        db, staff, reader.id, AssignmentCreate(member_id=ola.id, starts_on=domain.today() - timedelta(days=9))
    )
    not_yet = await holdings.assign_role(
        db, staff, (await role(title="Co-chair")).id, AssignmentCreate(member_id=ola.id, starts_on=later)
    )
    left = await members.leave(db, staff, ola.id)
    assert (left.status, left.display_name) == (MemberStatus.left, "Ola") and left.left_at is not None
    ended = {e.assignment_id: e.ends_on for e in await recorded(db, InvolvementRoleEnded)}
    assert ended == {started.id: domain.today(), not_yet.id: later}  # one that had not begun ends on its first day
    assert [e.member_id for e in await recorded(db, MemberLeft)] == [ola.id]
    with pytest.raises(Conflict, match="already left"):
        await members.leave(db, staff, ola.id)


async def test_erasure_forgets_the_member_and_every_event_about_them_except_the_erasure(
    db, member, role, staff, recorded, audited
):
    robin = await member("Robin Quill", email="robin@example.org", connections=["beekeeper"])
    facilitator = await role()
    noted = InterestCreate(member_id=robin.id, note="I care for my dad")
    await interest.note_interest(db, staff, facilitator.id, noted)
    held = AssignmentCreate(member_id=robin.id, starts_on=domain.today())
    await holdings.assign_role(db, staff, facilitator.id, held)
    await involvement.record_time(
        db, staff, robin.id, EntryCreate(kind="travel", worked_on=domain.today(), hours=1, note="to Ely")
    )

    erasure = await members.erase(db, staff, robin.id)
    assert erasure.member_id == robin.id and "every service has been asked" in erasure.message
    with pytest.raises(NotFound, match="asked for their details to be erased"):
        await members.get_member(db, robin.id)
    assert await holdings.role_history(db, facilitator.id) == []
    assert await recorded(db, MemberJoined) == []  # the outbox no longer mentions them …
    assert [e.member_id for e in await recorded(db, MemberErased)] == [robin.id]  # … except to say so
    again = await members.erase(db, staff, robin.id)
    assert (again.erased_at, again.message) == (erasure.erased_at, "This member's details were already erased.")
    assert [a for a in await audited(db) if a[1] == "member.erased"] == [
        ("account:staff-1", "member.erased", f"member:{robin.id}", {})
    ] * 2
    rejoined = await member("R", email="robin@example.org")
    assert rejoined.id != robin.id


def on_disk(db, text: str) -> bool:
    """Whether `text` is anywhere in the database's files: the database, its write-ahead log, its index."""
    path = Path(make_url(db.url).database)
    return any(text.encode() in f.read_bytes() for f in path.parent.glob(f"{path.name}*"))


async def test_an_erased_members_name_and_contact_details_leave_the_database_files_too(db, member, staff):
    details = {"email": "robin.quill@example.org", "phone": "07700 900777", "postal_address": "7 Orchard Row"}
    robin = await member("Robin Quill", **details)
    personal = ["Robin Quill", *details.values()]
    assert all(on_disk(db, text) for text in personal)  # in the write-ahead log, at least
    await members.erase(db, staff, robin.id)
    # The address stays only in the one message confirming the erasure, until the kit sends it.
    async with db.read() as session:
        assert [(m["to_address"], m["template"]) for m in await mail.unsent(session)] == [
            ("robin.quill@example.org", "erased")
        ]

    def forgotten() -> bool:
        return not any(on_disk(db, text) for text in personal if text != details["email"])

    await wait_for(forgotten, timeout=5, what="the name and contact details gone from the database's files")


async def test_erasing_someone_who_never_joined_is_refused(db, staff):
    with pytest.raises(NotFound, match="no member with id nobody"):
        await members.erase(db, staff, "nobody")
