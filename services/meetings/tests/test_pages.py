"""The meetings pages over HTTP: the public see meetings and register; staff run meetings and
pop-up forums through forms checked by the API's own models; roles, CSRF and the audit log."""

import uuid
from datetime import UTC, datetime, timedelta

from forum_shared.events import CommunityGroupRegistered, InvolvementRoleAssigned
from forum_shared.testing import wait_for


def local(days: float, hour: int = 18) -> str:
    """A datetime-local field's value, `days` from now at `hour` UK time."""
    day = (datetime.now(UTC) + timedelta(days=days)).date()
    return f"{day.isoformat()}T{hour:02d}:00"


async def test_the_public_see_upcoming_meetings_and_add_one_to_their_calendar(start_meetings, meeting_at, browser_for):
    async with start_meetings() as mt:
        soon = (await mt.staff.post("/meetings", json=meeting_at(
            days=5, title="Forum in Ely", venue="Ely Library", area="East Cambridgeshire",
            access_services=["hearing_loop"], access_notes="Lunch provided.",
        ))).json()
        private = (await mt.staff.post("/meetings", json=meeting_at(days=6, title="Members only", public=False))).json()
        past = (await mt.staff.post("/meetings", json=meeting_at(days=-5, title="Last month"))).json()
        public = await browser_for(mt)

        home = await public.get("/")
        assert home.status_code == 200
        assert "Forum in Ely" in home.text and "/upcoming-meetings" in home.text
        assert "/staff/meetings/new" not in home.text

        listing = await public.get("/upcoming-meetings")
        assert listing.status_code == 200
        assert "Forum in Ely" in listing.text and "Hearing loop" in listing.text and "Lunch provided." in listing.text
        assert "Members only" not in listing.text and "Last month" not in listing.text
        assert "Forum in Ely" not in (await public.get("/upcoming-meetings", params={"area": "Fenland"})).text

        page = await public.get(f"/upcoming-meetings/{soon['id']}")
        assert page.status_code == 200
        assert "Add to calendar" in page.text and f'href="/meetings/{soon["id"]}.ics"' in page.text
        assert 'href="/calendar.ics"' in page.text and "Register to attend" in page.text
        ics = await public.client.get(f"/meetings/{soon['id']}.ics")
        assert ics.status_code == 200 and "Forum in Ely" in ics.text

        assert (await public.get(f"/upcoming-meetings/{private['id']}")).status_code == 404
        assert "Registration for this meeting has closed" in (await public.get(f"/upcoming-meetings/{past['id']}")).text
        assert (await public.get("/upcoming-meetings/no-such-meeting")).status_code == 404


async def test_a_member_of_the_public_registers_and_then_joins_a_waiting_list(start_meetings, meeting_at, browser_for):
    async with start_meetings() as mt:
        meeting = (await mt.staff.post("/meetings", json=meeting_at(days=5, capacity=1))).json()
        public = await browser_for(mt)
        path = f"/upcoming-meetings/{meeting['id']}/register"
        assert (await public.get(path)).status_code == 200

        missing = await public.submit(path, {"contact_email": "not an email"})
        assert missing.status_code == 422
        assert 'id="name-error"' in missing.text and "Enter your name" in missing.text
        assert 'href="#contact_email"' in missing.text and "correct format" in missing.text

        first = await public.submit(path, {"name": "Ann Example", "access_needs": ["step_free_access"]})
        assert first.status_code == 303
        confirmed = await public.get(first.headers["location"])
        assert "You are registered" in confirmed.text and "Ann Example" not in confirmed.text

        second = await public.submit(path, {"name": "Bo Example"})
        waiting = await public.get(second.headers["location"])
        assert "You are on the waiting list" in waiting.text and "number 1 on the waiting list" in waiting.text
        assert "join the waiting list" in (await public.get(path)).text

        listed = (await mt.staff.get(f"/meetings/{meeting['id']}/registrations")).json()
        assert (listed["registered"], listed["waiting"], listed["access_needs"]) == (1, 1, {"step_free_access": 1})


async def test_staff_routes_refuse_the_public_and_governors(start_meetings, meeting_at, browser_for):
    async with start_meetings() as mt:
        meeting = (await mt.staff.post("/meetings", json=meeting_at(days=5))).json()
        m = meeting["id"]
        json_routes = [
            ("POST", "/meetings"),
            ("PATCH", f"/meetings/{m}"),
            ("POST", f"/meetings/{m}/reschedule"),
            ("POST", f"/meetings/{m}/cancel"),
            ("POST", f"/meetings/{m}/held"),
            ("PUT", f"/meetings/{m}/minutes"),
            ("POST", f"/meetings/{m}/actions"),
            ("GET", "/actions"),
            ("POST", "/actions/x/complete"),
            ("POST", f"/meetings/{m}/agenda"),
            ("PATCH", f"/meetings/{m}/agenda/x"),
            ("DELETE", f"/meetings/{m}/agenda/x"),
            ("GET", "/agenda/waiting"),
            ("GET", f"/meetings/{m}/registrations"),
            ("POST", f"/meetings/{m}/registrations/x/cancel"),
            ("GET", "/areas/suggestion"),
            ("GET", "/reports/meetings-per-area"),
            ("POST", "/pop-up-forums"),
            ("POST", "/pop-up-forums/x/held"),
            ("POST", "/pop-up-forums/x/cancel"),
            ("GET", "/community-groups"),
            ("GET", "/role-holders"),
        ]
        for method, path in json_routes:
            assert (await mt.client.request(method, path, json={})).status_code == 401, (method, path)
            assert (await mt.governor.request(method, path, json={})).status_code == 403, (method, path)
        for path in ("/meetings", f"/meetings/{m}", "/calendar.ics", f"/meetings/{m}.ics", "/areas", "/pop-up-forums"):
            assert (await mt.client.get(path)).status_code == 200, path

        pages = [
            "/staff/meetings",
            "/staff/meetings/new",
            f"/staff/meetings/{m}",
            f"/staff/meetings/{m}/edit",
            f"/staff/meetings/{m}/reschedule",
            f"/staff/meetings/{m}/cancel",
            f"/staff/meetings/{m}/registrations",
            f"/staff/meetings/{m}/agenda",
            f"/staff/meetings/{m}/agenda/x/edit",
            f"/staff/meetings/{m}/held",
            f"/staff/meetings/{m}/minutes",
            f"/staff/meetings/{m}/actions/new",
            "/staff/actions",
            "/staff/areas",
            "/staff/pop-up-forums",
            "/staff/pop-up-forums/new",
            "/staff/pop-up-forums/x",
            "/staff/pop-up-forums/x/held",
        ]
        public, governor = await browser_for(mt), await browser_for(mt, "governor")
        for path in pages:
            refused = await public.get(path)
            assert refused.status_code == 303 and refused.headers["location"].startswith("/sign-in"), path
            assert (await governor.get(path)).status_code == 403, path
        # A form sent by someone not signed in is refused too (the CSRF token is from a public page).
        sent = await public.submit("/staff/meetings/new", {"title": "x"}, form_page=f"/upcoming-meetings/{m}/register")
        assert sent.status_code == 401
        sent = await governor.submit(f"/staff/meetings/{m}/cancel", {}, form_page=f"/upcoming-meetings/{m}/register")
        assert sent.status_code == 403
        assert (await mt.staff.get(f"/meetings/{m}")).json()["status"] == "scheduled"


async def test_staff_schedule_change_and_cancel_a_meeting_through_forms(start_meetings, browser_for, audit_actions):
    async with start_meetings() as mt:
        staff = await browser_for(mt, "staff")
        new = await staff.get("/staff/meetings/new")
        assert new.status_code == 200 and "has waited longest" in new.text

        bad = await staff.submit("/staff/meetings/new", {"title": "", "venue": "Ely Library", "public": "yes"})
        assert bad.status_code == 422
        assert "Enter a title" in bad.text and "Enter the start date and time" in bad.text
        wrong_place = await staff.submit("/staff/meetings/new", {
            "title": "Forum", "starts_at": local(9), "ends_at": local(9, 20), "venue": "Ely Library", "public": "yes",
        })
        assert wrong_place.status_code == 422
        assert 'id="area-error"' in wrong_place.text and "Say which area" in wrong_place.text

        made = await staff.submit("/staff/meetings/new", {
            "title": "Forum in Ely", "starts_at": local(9), "ends_at": local(9, 20), "venue": "Ely Library",
            "area": "East Cambridgeshire", "public": "yes", "capacity": "20",
            "access_services": ["hearing_loop", "bsl_interpreter"],
        })
        assert made.status_code == 303
        meeting_id = made.headers["location"].rsplit("/", 1)[-1]
        page = await staff.get(made.headers["location"])
        assert "Meeting scheduled." in page.text and "Forum in Ely" in page.text and "BSL interpreter" in page.text
        meeting = (await mt.staff.get(f"/meetings/{meeting_id}")).json()
        assert (meeting["capacity"], meeting["public"], meeting["starts_at"][11:16]) == (20, True, "18:00")

        edit = f"/staff/meetings/{meeting_id}/edit"
        assert 'value="Forum in Ely"' in (await staff.get(edit)).text
        too_big = await staff.submit(edit, {"title": "Forum in Ely", "capacity": "0"})
        assert too_big.status_code == 422 and 'id="capacity-error"' in too_big.text
        saved = await staff.submit(
            edit, {"title": "Winter forum", "capacity": "", "access_services": ["step_free_access"]}
        )
        assert saved.status_code == 303
        meeting = (await mt.staff.get(f"/meetings/{meeting_id}")).json()
        assert (meeting["title"], meeting["capacity"], meeting["access_services"]) == (
            "Winter forum",
            None,
            ["step_free_access"],
        )

        move = f"/staff/meetings/{meeting_id}/reschedule"
        assert local(9) in (await staff.get(move)).text
        backwards = await staff.submit(
            move, {"starts_at": local(10), "ends_at": local(10, 9), "venue": "Hall", "area": "Fenland"}
        )
        assert backwards.status_code == 422 and "end must be after the start" in backwards.text
        moved = await staff.submit(move, {"starts_at": local(10), "ends_at": local(10, 20), "online_url": "https://meet.example.org/f"})
        assert moved.status_code == 303
        meeting = (await mt.staff.get(f"/meetings/{meeting_id}")).json()
        assert (meeting["attendance_mode"], meeting["venue"], meeting["area"]) == ("online", None, None)

        cancelled = await staff.submit(f"/staff/meetings/{meeting_id}/cancel", {"reason": "Snow"})
        assert cancelled.status_code == 303
        assert (await mt.staff.get(f"/meetings/{meeting_id}")).json()["status"] == "cancelled"
        public_page = await (await browser_for(mt)).get(f"/upcoming-meetings/{meeting_id}")
        assert "This meeting has been cancelled" in public_page.text and "Snow" in public_page.text
        again = await staff.submit(f"/staff/meetings/{meeting_id}/cancel", {})
        assert again.status_code == 422 and "has been cancelled" in again.text

        logged = await audit_actions(mt)
        for action in ("meeting.scheduled", "meeting.updated", "meeting.rescheduled", "meeting.cancelled"):
            assert (action, f"meeting:{meeting_id}") in logged, action


async def test_staff_manage_registrations_and_the_agenda(start_meetings, meeting_at, browser_for, audit_actions):
    async with start_meetings() as mt:
        meeting = (await mt.staff.post("/meetings", json=meeting_at(days=5, capacity=1))).json()
        m = meeting["id"]
        staff = await browser_for(mt, "staff")
        registrations = f"/staff/meetings/{m}/registrations"

        both = await staff.submit(registrations, {"member_id": "mem-1", "name": "Ann"})
        assert both.status_code == 422 and 'id="member_id-error"' in both.text and "member id only" in both.text
        assert (
            await staff.submit(registrations, {"member_id": "mem-1", "access_needs": ["large_print"]})
        ).status_code == 303
        assert (
            await staff.submit(registrations, {"name": "Bo Example", "contact_phone": "01234 567890"})
        ).status_code == 303
        page = await staff.get(registrations)
        assert "Member mem-1" in page.text and "Bo Example" in page.text and "01234 567890" in page.text
        assert "Waiting: number 1" in page.text and "Large print papers: 1" in page.text

        first = (await mt.staff.get(registrations.removeprefix("/staff"))).json()["registrations"][0]
        cancelled = await staff.submit(f"{registrations}/{first['id']}/cancel", form_page=registrations)
        assert cancelled.status_code == 303
        listed = (await mt.staff.get(f"/meetings/{m}/registrations")).json()
        assert [(r["name"], r["status"]) for r in listed["registrations"]] == [
            ("Bo Example", "registered"),
            (None, "cancelled"),
        ]
        page = await staff.get(registrations)
        assert "From the waiting list" in page.text and "let them know" in page.text, "staff see whom to tell"

        agenda = f"/staff/meetings/{m}/agenda"
        bad = await staff.submit(agenda, {"title": "", "duration_minutes": "lots"})
        assert (
            bad.status_code == 422
            and "Enter what the item is about" in bad.text
            and 'id="duration_minutes-error"' in bad.text
        )
        for title in ("Welcome", "GP access", "Any other business"):
            assert (
                await staff.submit(agenda, {"title": title, "presenter": "Chair", "duration_minutes": "10"})
            ).status_code == 303
        items = (await mt.staff.get(f"/meetings/{m}")).json()["agenda"]
        moved = await staff.submit(f"{agenda}/{items[2]['id']}/move", {"position": "0"}, form_page=agenda)
        assert moved.status_code == 303
        removed = await staff.submit(f"{agenda}/{items[0]['id']}/remove", form_page=agenda)
        assert removed.status_code == 303
        titles = [i["title"] for i in (await mt.staff.get(f"/meetings/{m}")).json()["agenda"]]
        assert titles == ["Any other business", "GP access"]
        assert "Move down" in (await staff.get(agenda)).text

        gp = (await mt.staff.get(f"/meetings/{m}")).json()["agenda"][1]
        edit = f"{agenda}/{gp['id']}/edit"
        assert 'value="GP access"' in (await staff.get(edit)).text
        blank = await staff.submit(edit, {"title": "", "presenter": "Chair"})
        assert blank.status_code == 422 and "Enter what the item is about" in blank.text
        assert (await staff.submit(edit, {"title": "Getting a GP appointment", "presenter": ""})).status_code == 303
        gp = (await mt.staff.get(f"/meetings/{m}")).json()["agenda"][1]
        assert (gp["title"], gp["presenter"], gp["duration_minutes"]) == ("Getting a GP appointment", None, None)
        assert (await staff.get(f"{agenda}/no-such-item/edit")).status_code == 404

        logged = await audit_actions(mt)
        for action in ("registration.added", "registration.cancelled", "agenda.item_added", "agenda.item_changed",
                       "agenda.item_removed"):
            assert action in [a for a, _ in logged], action


async def test_staff_record_attendance_minutes_and_actions(start_meetings, meeting_at, browser_for, audit_actions):
    async with start_meetings() as mt:
        meeting = (await mt.staff.post("/meetings", json=meeting_at(days=-1))).json()
        m = meeting["id"]
        staff = await browser_for(mt, "staff")
        assert "Record attendance" in (await staff.get(f"/staff/meetings/{m}")).text

        held = f"/staff/meetings/{m}/held"
        bad = await staff.submit(held, {"public_attendees": "-2"})
        assert bad.status_code == 422 and 'id="public_attendees-error"' in bad.text
        done = await staff.submit(
            held, {"public_attendees": "7", "other_member_ids": "mem-a\nmem-b", "minutes": "We met."}
        )
        assert done.status_code == 303
        meeting = (await mt.staff.get(f"/meetings/{m}")).json()
        assert (meeting["status"], meeting["public_attendees"], sorted(meeting["attendee_member_ids"])) == (
            "held",
            7,
            ["mem-a", "mem-b"],
        )

        minutes = f"/staff/meetings/{m}/minutes"
        assert "We met." in (await staff.get(minutes)).text
        assert (await staff.submit(minutes, {"minutes": ""})).status_code == 422
        assert (await staff.submit(minutes, {"minutes": "We met and agreed things."})).status_code == 303

        new_action = f"/staff/meetings/{m}/actions/new"
        bad = await staff.submit(new_action, {"description": "x", "due_on": "soon"})
        assert bad.status_code == 422 and 'id="due_on-error"' in bad.text
        assert "Enter the role or organisation that will do it" in bad.text
        yesterday = (datetime.now(UTC) - timedelta(days=1)).date().isoformat()
        assert (
            await staff.submit(
                new_action, {"description": "Write to the ICB", "owner_name": "Chair", "due_on": yesterday}
            )
        ).status_code == 303

        actions = await staff.get("/staff/actions")
        assert "Write to the ICB" in actions.text and "Overdue" in actions.text
        action = (await mt.staff.get("/actions")).json()[0]
        completed = await staff.submit(f"/staff/actions/{action['id']}/complete", form_page="/staff/actions")
        assert completed.status_code == 303
        assert (await mt.staff.get("/actions", params={"status": "completed"})).json()[0]["id"] == action["id"]
        again = await staff.submit(f"/staff/actions/{action['id']}/complete", form_page="/staff/actions?status=all")
        assert "already completed" in (await staff.get(again.headers["location"])).text

        assert "We met and agreed things." in (await staff.get(f"/staff/meetings/{m}")).text
        assert "East Cambridgeshire" in (await staff.get("/staff/areas")).text
        logged = [a for a, _ in await audit_actions(mt)]
        for action_name in ("meeting.held", "meeting.minutes_updated", "action.agreed", "action.completed"):
            assert action_name in logged, action_name


async def test_the_action_form_asks_for_a_role_or_organisation_as_the_minutes_are_public(
    start_meetings, meeting_at, browser_for
):
    async with start_meetings() as mt:
        m = (await mt.staff.post("/meetings", json=meeting_at(days=-1))).json()["id"]
        staff = await browser_for(mt, "staff")
        form = (await staff.get(f"/staff/meetings/{m}/actions/new")).text
        assert "Which role or organisation will do it?" in form
        assert "For example, Trust involvement lead or SUN Network." in form
        assert "published in the public minutes, so do not use a person&#39;s name" in form
        documented = (await mt.client.get("/openapi.json")).json()["components"]["schemas"]["ActionCreate"]
        owner = documented["properties"]["owner_name"]["description"]
        assert "public minutes" in owner and "never be a person's name" in owner


async def test_staff_plan_record_and_cancel_pop_up_forums(start_meetings, deliver, browser_for, audit_actions):
    async with start_meetings() as mt:
        await mt.wait_subscribed()
        group = f"grp-{uuid.uuid4().hex[:8]}"
        tag = uuid.uuid4().hex[:6]
        a, b = f"amara-{tag}", f"ben-{tag}"
        await deliver(CommunityGroupRegistered(community_group_id=group, name="March Carers Café", areas=["Fenland"]))
        for member in (a, b):
            await deliver(InvolvementRoleAssigned(
                assignment_id=f"as-{member}", member_id=member, role_id="r1", role_title="Pop-up facilitator",
                starts_on=datetime.now(UTC).date() - timedelta(days=60),
            ))

        async def known():
            groups = (await mt.staff.get("/community-groups")).json()
            holders = {h["member_id"] for h in (await mt.staff.get("/role-holders")).json()}
            return groups and {a, b} <= holders

        await wait_for(known, what="group and role holders known")
        staff = await browser_for(mt, "staff")
        plan = "/staff/pop-up-forums/new"
        form = await staff.get(plan)
        assert "March Carers Café" in form.text and f"Member {a}" in form.text

        one = await staff.submit(plan, {"community_group_id": group, "facilitator_member_ids": [a],
                                        "starts_at": local(3, 10), "ends_at": local(3, 11)})
        assert one.status_code == 422 and 'id="facilitator_member_ids-error"' in one.text and "exactly two" in one.text
        missing = await staff.submit(plan, {"facilitator_member_ids": [a, b]})
        assert missing.status_code == 422 and "Select the community group" in missing.text

        planned = await staff.submit(plan, {
            "community_group_id": group, "facilitator_member_ids": [a, b], "starts_at": local(3, 10),
            "ends_at": local(3, 11), "topics": "Carers' breaks\nDischarge from hospital",
        })
        assert planned.status_code == 303
        pop_up_id = planned.headers["location"].rsplit("/", 1)[-1]
        pop_up = (await mt.client.get(f"/pop-up-forums/{pop_up_id}")).json()
        assert (pop_up["area"], pop_up["topics"]) == ("Fenland", ["Carers' breaks", "Discharge from hospital"])
        assert "Pop-up forum at March Carers Café" in (await (await browser_for(mt)).get("/upcoming-meetings")).text

        cancelled = await staff.submit(f"/staff/pop-up-forums/{pop_up_id}/cancel", {"reason": "Room closed"})
        assert cancelled.status_code == 303
        assert "Room closed" in (await staff.get(f"/staff/pop-up-forums/{pop_up_id}")).text

        past = (await mt.staff.post("/pop-up-forums", json={
            "community_group_id": group, "facilitator_member_ids": [a, b],
            "starts_at": (datetime.now(UTC) - timedelta(days=2)).isoformat(),
            "ends_at": (datetime.now(UTC) - timedelta(days=2) + timedelta(hours=1)).isoformat(),
        })).json()
        held = f"/staff/pop-up-forums/{past['id']}/held"
        assert "Record what happened" in (await staff.get(f"/staff/pop-up-forums/{past['id']}")).text
        bad = await staff.submit(held, {"participants": "many"})
        assert bad.status_code == 422 and "Enter what was shared" in bad.text
        assert f'value="{a}" checked' in (await staff.get(held)).text
        one = await staff.submit(held, {"participants": "12", "shared": "GP access.", "facilitator_member_ids": [a]})
        assert one.status_code == 422 and 'id="facilitator_member_ids-error"' in one.text and "exactly two" in one.text
        done = await staff.submit(held, {"participants": "12", "shared": "Our work on GP access.",
                                         "facilitator_member_ids": [b, a]})
        assert done.status_code == 303
        assert (await mt.client.get(f"/pop-up-forums/{past['id']}")).json()["participants"] == 12
        page = await staff.get("/staff/pop-up-forums")
        assert page.text.count("March Carers Café") == 2 and "Held" in page.text

        logged = await audit_actions(mt)
        for action in ("pop_up.planned", "pop_up.cancelled", "pop_up.held"):
            assert action in [x for x, _ in logged], action


async def test_a_staff_form_without_its_csrf_token_is_refused(start_meetings, meeting_at, browser_for):
    async with start_meetings() as mt:
        meeting = (await mt.staff.post("/meetings", json=meeting_at(days=5))).json()
        staff = await browser_for(mt, "staff")
        refused = await staff.submit(f"/staff/meetings/{meeting['id']}/cancel", {"reason": "x"}, csrf=False)
        assert refused.status_code == 403
        public = await browser_for(mt)
        await public.get(f"/upcoming-meetings/{meeting['id']}/register")
        refused = await public.submit(f"/upcoming-meetings/{meeting['id']}/register", {"name": "Ann"}, csrf=False)
        assert refused.status_code == 403
        assert (await mt.staff.get(f"/meetings/{meeting['id']}")).json()["status"] == "scheduled"
        assert (await mt.staff.get(f"/meetings/{meeting['id']}/registrations")).json()["registrations"] == []


async def test_json_changes_by_staff_programs_are_audited(start_meetings, meeting_at, audit_actions):
    async with start_meetings() as mt:
        meeting = (await mt.staff.post("/meetings", json=meeting_at(days=5))).json()
        item = (await mt.staff.post(f"/meetings/{meeting['id']}/agenda", json={"title": "Welcome"})).json()
        await mt.staff.post(f"/meetings/{meeting['id']}/cancel", json={})
        logged = await audit_actions(mt)
        assert ("meeting.scheduled", f"meeting:{meeting['id']}") in logged
        assert ("agenda.item_added", f"meeting:{meeting['id']}") in logged
        assert ("meeting.cancelled", f"meeting:{meeting['id']}") in logged
        assert item["id"]


async def test_public_registration_is_rate_limited(start_meetings, meeting_at, browser_for):
    async with start_meetings(public_form_rate_limit=2) as mt:
        meeting = (await mt.staff.post("/meetings", json=meeting_at(days=5))).json()
        public = await browser_for(mt)
        path = f"/upcoming-meetings/{meeting['id']}/register"
        statuses = [(await public.submit(path, {"name": f"Person {n}"})).status_code for n in range(3)]
        assert statuses == [303, 303, 429]


async def test_escalated_issues_show_while_waiting_and_on_the_agenda_and_cannot_be_removed(
    start_meetings, meeting_at, deliver, browser_for
):
    from datetime import date

    from forum_shared.events import IssueEscalated

    async with start_meetings() as mt:
        await mt.wait_subscribed()
        summary = f"No follow-up after discharge {uuid.uuid4().hex[:6]}"
        event = IssueEscalated(
            escalation_id=str(uuid.uuid4()), summary=summary, reason="Several people, same gap",
            raised_by="staff", respond_by=date(2030, 1, 31), raised_at=datetime.now(UTC),
        )
        await deliver(event)
        staff = await browser_for(mt, "staff")

        async def waiting_shown():
            page = await staff.get("/staff/meetings")
            return summary in page.text and "Escalated issues waiting for a meeting" in page.text

        await wait_for(waiting_shown, what="the escalation shown as waiting")
        meeting = (await mt.staff.post("/meetings", json=meeting_at(days=20))).json()
        agenda = await staff.get(f"/staff/meetings/{meeting['id']}/agenda")
        assert summary in agenda.text and "Escalated issue" in agenda.text
        assert "Response due by 31 January 2030" in agenda.text
        item = next(i for i in meeting["agenda"] if i["escalation_id"] == event.escalation_id)
        assert f"/agenda/{item['id']}/remove" not in agenda.text
        refused = await staff.submit(f"/staff/meetings/{meeting['id']}/agenda/{item['id']}/remove",
                                     form_page=f"/staff/meetings/{meeting['id']}/agenda")
        assert refused.status_code == 409 and "Escalated issues stay on the agenda" in refused.text


async def test_public_registration_through_the_api_shares_the_rate_limit(start_meetings, meeting_at):
    async with start_meetings(public_form_rate_limit=2) as mt:
        meeting = (await mt.staff.post("/meetings", json=meeting_at(days=5))).json()
        path = f"/meetings/{meeting['id']}/registrations"
        statuses = [(await mt.client.post(path, json={"name": f"Person {n}"})).status_code for n in range(3)]
        assert statuses == [201, 201, 429]
        assert (await mt.staff.post(path, json={"name": "Entered by staff"})).status_code == 201


async def test_a_pop_up_forum_without_a_venue_shows_its_groups_area_and_where_it_meets(
    start_meetings, deliver, browser_for
):
    async with start_meetings() as mt:
        await mt.wait_subscribed()
        group, tag = f"grp-{uuid.uuid4().hex[:8]}", uuid.uuid4().hex[:6]
        a, b = f"amara-{tag}", f"ben-{tag}"
        await deliver(CommunityGroupRegistered(
            community_group_id=group, name="Huntingdon Walking Group", areas=["Huntingdonshire", "PE29"]))
        for member in (a, b):
            await deliver(InvolvementRoleAssigned(
                assignment_id=f"as-{member}", member_id=member, role_id="r1", role_title="Pop-up facilitator",
                starts_on=datetime.now(UTC).date() - timedelta(days=60),
            ))

        async def known():
            holders = {h["member_id"] for h in (await mt.staff.get("/role-holders")).json()}
            return (await mt.staff.get("/community-groups")).json() and {a, b} <= holders

        await wait_for(known, what="group and role holders known")
        start = datetime.now(UTC) + timedelta(days=4)
        planned = await mt.staff.post("/pop-up-forums", json={
            "community_group_id": group, "facilitator_member_ids": [a, b],
            "starts_at": start.isoformat(), "ends_at": (start + timedelta(hours=1)).isoformat(),
            "topics": ["Carers' breaks"],
        })
        assert planned.status_code == 201, planned.text
        public = await browser_for(mt)
        for path in ("/upcoming-meetings", f"/upcoming-meetings/pop-up-forums/{planned.json()['id']}"):
            page = (await public.get(path)).text
            assert "Huntingdon Walking Group" in page, path
            assert "Where the group usually meets" in page and "To be confirmed" not in page, path
            assert "Huntingdonshire" in page and "Not given" not in page, path
        staff = await browser_for(mt, "staff")
        assert "Huntingdonshire" in (await staff.get(f"/staff/pop-up-forums/{planned.json()['id']}")).text


async def test_an_agenda_shows_as_overdue_only_actions_due_before_today(start_meetings, meeting_at, browser_for):
    async with start_meetings() as mt:
        earlier = (await mt.staff.post("/meetings", json=meeting_at(days=-40))).json()
        today = datetime.now(UTC).date()
        held = await mt.staff.post(
            f"/meetings/{earlier['id']}/held",
            json={
                "actions": [
                    {
                        "description": "Print the leaflet",
                        "owner_name": "Communications team",
                        "due_on": str(today + timedelta(days=3)),
                    },
                ]
            },
        )
        assert held.status_code == 200, held.text
        next_week = (await mt.staff.post("/meetings", json=meeting_at(days=7, area="Fenland"))).json()
        staff = await browser_for(mt, "staff")
        for path in (f"/staff/meetings/{next_week['id']}", f"/staff/meetings/{next_week['id']}/agenda"):
            page = (await staff.get(path)).text
            assert "Overdue action" not in page and "Print the leaflet" not in page, path
        assert "Overdue" not in (await staff.get("/staff/actions")).text.split("<table", 1)[-1]
