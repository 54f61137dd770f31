"""The feedback pages over HTTP: each renders, forms re-show errors beside fields, posts do what
they say, staff and governor pages refuse the public and the wrong role, and changes are audited."""

import asyncio
import contextlib
import re

import httpx

from feedback.live import QUEUE_SIZE, EscalationFeed
from forum_shared import mail
from forum_shared.audit import count_audit
from forum_shared.testing import TEST_PASSWORD, wait_for

HTML = {"accept": "text/html"}


def csrf_of(page: httpx.Response) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert found, "no CSRF field on the page"
    return found.group(1)


@contextlib.asynccontextmanager
async def signed_in(fb, role: str, email: str | None = None):
    """A browser-like client of a person with `role`, signed in through /sign-in."""
    email = email or f"{role}.person@example.org"
    await fb.add_account(email, role)
    async with httpx.AsyncClient(transport=fb.client._transport, base_url="http://test", headers=HTML) as person:
        token = csrf_of(await person.get("/sign-in"))
        resp = await person.post("/sign-in", data={"email": email, "password": TEST_PASSWORD, "csrf_token": token})
        assert resp.status_code == 303, resp.text
        yield person


async def post_form(person: httpx.AsyncClient, form_page: str, action: str, data: dict) -> httpx.Response:
    """Open `form_page`, then post `data` with its CSRF token to `action`."""
    token = csrf_of(await person.get(form_page))
    return await person.post(action, data={**data, "csrf_token": token})


STAFF_PAGES = [
    "/staff/feedback", "/staff/feedback/{f}", "/staff/feedback/{f}/escalate", "/staff/feedback/{f}/respond",
    "/staff/feedback/{f}/redact", "/staff/escalations", "/staff/escalations/{e}", "/staff/escalations/{e}/respond",
    "/staff/reports", "/staff/themes",
]
GOVERNOR_PAGES = [
    "/governors/escalations", "/governors/escalations/list", "/governors/escalations/{e}", "/governors/emails"
]


async def _feedback_and_escalation(fb) -> tuple[str, str]:
    item = (
        await fb.client.post("/feedback", json={"text": "The crisis line did not answer", "area": "Fenland"})
    ).json()
    esc = (
        await fb.staff.post(
            f"/feedback/{item['id']}/escalations", json={"summary": "Crisis line unanswered", "reason": "Serious gap"}
        )
    ).json()
    return item["id"], esc["id"]


async def _audited(fb, action: str) -> int:
    async with fb.db.read() as session:
        return await count_audit(session, action=action)


async def test_a_member_of_the_public_gives_feedback_anonymously(start_feedback):
    async with start_feedback() as fb:
        home = await fb.client.get("/", headers=HTML)
        assert home.status_code == 200 and "Give feedback" in home.text and "For staff" not in home.text
        form = await fb.client.get("/give-feedback", headers=HTML)
        assert form.status_code == 200 and "Leave these empty to stay anonymous" in form.text
        assert 'value="waiting times"' in form.text  # the managed themes to choose from
        token = csrf_of(form)

        no_token = await fb.client.post("/give-feedback", data={"text": "Hello"}, headers=HTML)
        assert no_token.status_code == 403

        empty = await fb.client.post("/give-feedback", data={"text": "  ", "csrf_token": token}, headers=HTML)
        assert empty.status_code == 422
        assert 'href="#text"' in empty.text and "Enter what you would like to tell us" in empty.text
        no_consent = await fb.client.post(
            "/give-feedback",
            data={"text": "Call me", "contact_email": "sam@example.org", "csrf_token": token},
            headers=HTML,
        )
        assert no_consent.status_code == 422 and 'href="#contact_consent"' in no_consent.text
        assert (
            "Tick the box to agree to be contacted" in no_consent.text and 'value="sam@example.org"' in no_consent.text
        )
        bad_email = await fb.client.post(
            "/give-feedback",
            data={"text": "Hi", "contact_email": "sam", "contact_consent": "true", "csrf_token": token},
            headers=HTML,
        )
        assert bad_email.status_code == 422 and "like name@example.com" in bad_email.text

        sent = await fb.client.post(
            "/give-feedback",
            data={
                "text": "Waited four months for a first appointment",
                "area": "Fenland",
                "themes": ["waiting times", "access to services"],
                "polarity": "negative",
                "csrf_token": token,
            },
            headers=HTML,
        )
        assert sent.status_code == 303, sent.text
        reference = re.search(r"reference=([0-9A-F]{8})", sent.headers["location"]).group(1)
        done = await fb.client.get(sent.headers["location"], headers=HTML)
        assert reference in done.text and "Thank you" in done.text
        [item] = (await fb.staff.get("/feedback")).json()
        assert item["id"].replace("-", "").upper().startswith(reference)
        async with signed_in(fb, "staff") as staff:
            found = await staff.get("/staff/feedback", params={"reference": reference.lower()})
            assert found.status_code == 303 and found.headers["location"] == f"/staff/feedback/{item['id']}"
            unknown = await staff.get("/staff/feedback", params={"reference": "NOPE"})
            assert unknown.status_code == 404 and 'href="#reference"' in unknown.text
        assert (item["themes"], item["area"], item["contact_email"], item["channel"]) == (
            ["access to services", "waiting times"], "Fenland", None, "online"
        )

        with_contact = await fb.client.post(
            "/give-feedback",
            data={"text": "Please call me", "contact_name": "Sam Example", "contact_email": "sam@example.org",
                  "contact_consent": "true", "csrf_token": token},
            headers=HTML,
        )
        assert with_contact.status_code == 303
        assert (await fb.staff.get("/feedback")).json()[0]["contact_email"] == "sam@example.org"

        listing = await fb.client.get("/you-said-we-did", headers=HTML)
        assert listing.status_code == 200 and "Nothing has been published yet" in listing.text


async def test_staff_pages_and_routes_refuse_the_public_and_the_wrong_role(start_feedback):
    async with start_feedback() as fb:
        feedback_id, escalation_id = await _feedback_and_escalation(fb)
        pages = [p.format(f=feedback_id, e=escalation_id) for p in STAFF_PAGES]
        for path in pages:
            resp = await fb.client.get(path, headers=HTML)
            assert resp.status_code in (302, 303, 307) and "/sign-in" in resp.headers["location"], path
            assert (await fb.client.get(path)).status_code == 401, path
        for path in [p.format(e=escalation_id) for p in GOVERNOR_PAGES]:
            resp = await fb.client.get(path, headers=HTML)
            assert resp.status_code in (302, 303, 307) and "/sign-in" in resp.headers["location"], path

        async with signed_in(fb, "governor") as governor:
            for path in pages:
                resp = await governor.get(path)
                assert resp.status_code == 403 and "only for" in resp.text, path
            token = csrf_of(await governor.get(f"/governors/escalations/{escalation_id}"))
            triage = await governor.post(
                f"/staff/feedback/{feedback_id}/triage", data={"themes": "carers", "csrf_token": token}
            )
            assert triage.status_code == 403
        async with signed_in(fb, "staff") as staff:
            for path in [p.format(e=escalation_id) for p in GOVERNOR_PAGES]:
                assert (await staff.get(path)).status_code == 403, path
            no_token = await staff.post(f"/staff/feedback/{feedback_id}/close", data={})
            assert no_token.status_code == 403
            assert (await fb.staff.get(f"/feedback/{feedback_id}")).json()["status"] == "new"

        staff_json = [
            ("get", "/feedback", None),
            ("get", f"/feedback/{feedback_id}", None),
            ("post", f"/feedback/{feedback_id}/triage", {"themes": []}),
            ("post", f"/feedback/{feedback_id}/close", None),
            ("post", f"/feedback/{feedback_id}/redactions", {"words": ["crisis"]}),
            ("get", "/community-groups", None),
            ("post", f"/feedback/{feedback_id}/escalations", {"summary": "abc", "reason": "def"}),
            (
                "post",
                f"/feedback/{feedback_id}/responses",
                {"you_said": "abc", "we_did": "def", "outcome": "no_change"},
            ),
            ("post", "/pop-up-forums/p/feedback", {"entered_by": "x", "views": [{"text": "y"}]}),
            ("post", "/meetings/m/feedback", {"entered_by": "x", "views": [{"text": "y"}]}),
            ("post", "/themes", {"name": "housing"}),
            ("delete", "/themes/carers", None),
            ("post", "/escalations", {"summary": "abc", "reason": "def", "feedback_ids": [feedback_id]}),
            ("post", f"/escalations/{escalation_id}/feedback", {"feedback_ids": [feedback_id]}),
            (
                "post",
                f"/escalations/{escalation_id}/responses",
                {"you_said": "abc", "we_did": "def", "outcome": "no_change"},
            ),
            ("post", f"/escalations/{escalation_id}/resolve", {}),
            ("get", "/reports/summary", None),
            ("get", "/reports/summary.csv", None),
            ("get", "/reports/feedback.csv", None),
        ]
        governor_json = [
            ("post", f"/escalations/{escalation_id}/acknowledge", {"governor": "Ann"}),
            ("post", f"/escalations/{escalation_id}/notes", {"governor": "Ann", "text": "Noted"}),
        ]
        admin_json = [("get", "/api-tokens", None), ("post", "/api-tokens", {"name": "SUN Network", "role": "partner"}),
                      ("post", "/api-tokens/nope/revoke", None)]
        read_json = [("get", "/escalations", None), ("get", f"/escalations/{escalation_id}", None)]

        async def call(client, method, path, body):
            return (
                await client.request(method, path, json=body)
                if body is not None
                else await client.request(method, path)
            )

        for routes, wrong in ((staff_json, fb.governor), (governor_json, fb.staff), (admin_json, fb.staff)):
            for method, path, body in routes:
                assert (await call(fb.client, method, path, body)).status_code == 401, path
                assert (await call(wrong, method, path, body)).status_code == 403, path
        for method, path, body in read_json:
            assert (await call(fb.client, method, path, body)).status_code == 401, path
            assert (await call(fb.governor, method, path, body)).status_code == 200, path
            assert (await call(fb.staff, method, path, body)).status_code == 200, path
        # Still open to anyone: giving feedback, the theme list and "you said, we did".
        assert (await fb.client.get("/themes")).status_code == 200
        assert (await fb.client.get("/public/you-said-we-did")).status_code == 200


async def test_staff_triage_escalate_and_respond_through_the_pages(start_feedback):
    async with start_feedback() as fb:
        item = (
            await fb.client.post(
                "/feedback", json={"text": "Nobody called back after discharge", "area": "Peterborough"}
            )
        ).json()
        async with signed_in(fb, "staff") as staff:
            listing = await staff.get("/staff/feedback")
            assert listing.status_code == 200 and "Nobody called back" in listing.text
            assert "Nobody called back" not in (await staff.get("/staff/feedback?status=closed")).text
            assert "Nobody called back" in (await staff.get("/staff/feedback?area=Peterborough&status=new")).text
            page = f"/staff/feedback/{item['id']}"
            shown = await staff.get(page)
            assert shown.status_code == 200 and "Nobody called back" in shown.text and "Anonymous" in shown.text

            bad = await post_form(staff, page, f"{page}/triage", {"themes": "not a theme", "criticality": "9"})
            assert bad.status_code == 422 and 'href="#criticality"' in bad.text
            triaged = await post_form(
                staff,
                page,
                f"{page}/triage",
                {
                    "themes": ["discharge and follow-up"],
                    "tags": "callback, Discharge",
                    "criticality": "3",
                    "area": "Peterborough",
                },
            )
            assert triaged.status_code == 303
            after = (await fb.staff.get(f"/feedback/{item['id']}")).json()
            assert (after["status"], after["themes"], after["tags"], after["criticality"]) == (
                "triaged",
                ["discharge and follow-up"],
                ["callback", "discharge"],
                3,
            )
            assert "Feedback triaged" in (await staff.get(page)).text

            form = await staff.get(f"{page}/escalate")
            assert "Summary for the public agenda" in form.text and "Notes for governors only" in form.text
            assert (
                "This goes on the public agenda of the next forum meeting: do not include names or details that "
                "identify anyone" in form.text
            )
            assert "Governors see your summary and reason" not in form.text
            empty = await post_form(
                staff, f"{page}/escalate", f"{page}/escalate", {"summary": "", "notes_for_governors": "x"}
            )
            assert empty.status_code == 422
            assert (
                "Enter a summary for the public agenda" in empty.text
                and "Notes for governors must be between 3 and 2000 characters" in empty.text
            )
            escalated = await post_form(
                staff,
                f"{page}/escalate",
                f"{page}/escalate",
                {"summary": "No follow-up after discharge", "notes_for_governors": "Several people, same gap"},
            )
            assert escalated.status_code == 303
            [esc] = (await fb.staff.get("/escalations")).json()
            assert (esc["summary"], esc["raised_by"], esc["feedback_ids"]) == (
                "No follow-up after discharge",
                "staff",
                [item["id"]],
            )
            assert (esc["reason"], esc["notes_for_governors"]) == ("Raised by staff", "Several people, same gap")
            assert "No follow-up after discharge" in (await staff.get("/staff/escalations")).text
            assert "Several people, same gap" in (await staff.get(f"/staff/escalations/{esc['id']}")).text

            missing = await post_form(staff, f"{page}/respond", f"{page}/respond", {"you_said": "ab"})
            assert (
                missing.status_code == 422 and "Select the outcome" in missing.text and 'href="#we_did"' in missing.text
            )
            published = await post_form(
                staff,
                f"/staff/escalations/{esc['id']}/respond",
                f"/staff/escalations/{esc['id']}/respond",
                {
                    "you_said": "People were not called back after leaving hospital",
                    "we_did": "Every discharge now gets a call within 72 hours",
                    "outcome": "change_made",
                },
            )
            assert published.status_code == 303
            resolved = await post_form(
                staff, f"/staff/escalations/{esc['id']}", f"/staff/escalations/{esc['id']}/resolve", {}
            )
            assert resolved.status_code == 303
            assert (await fb.staff.get(f"/escalations/{esc['id']}")).json()["status"] == "resolved"

            closed_item = (await fb.client.post("/feedback", json={"text": "Thanks to the ward"})).json()
            closed = await post_form(
                staff, f"/staff/feedback/{closed_item['id']}", f"/staff/feedback/{closed_item['id']}/close", {}
            )
            assert closed.status_code == 303
            assert (await fb.staff.get(f"/feedback/{closed_item['id']}")).json()["status"] == "closed"

        public = await fb.client.get("/you-said-we-did", headers=HTML)
        assert (
            "Every discharge now gets a call within 72 hours" in public.text and "Raised with governors" in public.text
        )
        for action in (
            "feedback.triaged",
            "escalation.raised",
            "response.published",
            "escalation.resolved",
            "feedback.closed",
        ):
            assert await _audited(fb, action) == 1, action


async def test_staff_keep_the_theme_list_and_read_reports(start_feedback):
    async with start_feedback() as fb:
        await fb.client.post(
            "/feedback", json={"text": "Carers left out", "themes": ["carers"], "area": "Huntingdonshire"}
        )
        async with signed_in(fb, "staff") as staff:
            short = await post_form(staff, "/staff/themes", "/staff/themes", {"name": "x"})
            assert short.status_code == 422 and 'href="#name"' in short.text
            assert (await post_form(staff, "/staff/themes", "/staff/themes", {"name": "Housing"})).status_code == 303
            assert (
                await post_form(staff, "/staff/themes", "/staff/themes/retire", {"name": "environment"})
            ).status_code == 303
            active = {t["name"] for t in (await fb.client.get("/themes")).json()}
            assert "housing" in active and "environment" not in active
            assert "Retired" in (await staff.get("/staff/themes")).text

            report = await staff.get("/staff/reports")
            assert (
                report.status_code == 200 and "1 piece of feedback" in report.text and "Huntingdonshire" in report.text
            )
            assert "0 pieces of feedback" in (await staff.get("/staff/reports?since=2099-01-01")).text
            bad = await staff.get("/staff/reports?since=last+tuesday")
            assert bad.status_code == 422 and 'href="#since"' in bad.text
            csv = await staff.get("/reports/feedback.csv")
            assert csv.status_code == 200 and "Carers left out" in csv.text
        assert await _audited(fb, "theme.added") == 1 and await _audited(fb, "theme.retired") == 1


async def test_governors_see_open_escalations_acknowledge_them_and_add_notes(start_feedback):
    async with start_feedback() as fb:
        _, escalation_id = await _feedback_and_escalation(fb)
        async with signed_in(fb, "governor", "gita.governor@example.org") as governor:
            listing = await governor.get("/governors/escalations")
            assert listing.status_code == 200 and "Crisis line unanswered" in listing.text
            assert 'aria-live="polite"' in listing.text and "Refresh the list" in listing.text
            fragment = await governor.get("/governors/escalations/list")
            assert "Crisis line unanswered" in fragment.text and "<html" not in fragment.text
            page = f"/governors/escalations/{escalation_id}"
            assert "Awaiting acknowledgement" in (await governor.get(page)).text

            acknowledged = await post_form(governor, page, f"{page}/acknowledge", {})
            assert acknowledged.status_code == 303
            esc = (await fb.governor.get(f"/escalations/{escalation_id}")).json()
            assert (esc["status"], esc["acknowledged_by"]) == ("acknowledged", "Gita Governor")
            again = await post_form(governor, page, f"{page}/acknowledge", {})
            assert again.status_code == 303  # told why on the page, nothing changed

            empty = await post_form(governor, page, f"{page}/notes", {"text": " "})
            assert empty.status_code == 422 and "Enter your note" in empty.text
            noted = await post_form(governor, page, f"{page}/notes", {"text": "Raise at the March open meeting"})
            assert noted.status_code == 303
            shown = await governor.get(page)
            assert "Raise at the March open meeting" in shown.text and "Gita Governor" in shown.text
            assert "Serious gap" in shown.text and "Notes for governors" in shown.text  # the staff's notes

            choices = await governor.get("/governors/emails")
            assert choices.status_code == 200 and 'href="/governors/emails"' in listing.text  # in their nav
            assert "gita.governor@example.org" in choices.text and " checked" not in choices.text
            chosen = await post_form(governor, "/governors/emails", "/governors/emails", {"emails": "new_escalations"})
            assert chosen.status_code == 303
            shown = await governor.get("/governors/emails")
            assert "We will email you about each new escalation" in shown.text
            assert re.search(r'value="new_escalations" checked', shown.text)
            assert not re.search(r'value="overdue_escalations" checked', shown.text)
        assert await _audited(fb, "escalation.acknowledged") == 1 and await _audited(fb, "escalation.note_added") == 1
        assert await _audited(fb, "governor.emails_chosen") == 1
        _, second = await _feedback_and_escalation(fb)
        async with fb.db.read() as session:
            [email] = await mail.unsent(session, f"escalation:{second}")
        assert (email["to_address"], email["topic"]) == ("gita.governor@example.org", "feedback.escalations")


async def test_new_escalations_are_pushed_to_governors_as_server_sent_events(start_feedback):
    async with start_feedback(live_stream_seconds=3, live_heartbeat_seconds=0.5) as fb:
        feed = fb.app.state.escalation_feed
        await wait_for(lambda: feed._subscription is not None, what="subscribed to new escalations")
        assert (await fb.client.get("/governors/escalations/events")).status_code == 401
        stream = asyncio.create_task(fb.governor.get("/governors/escalations/events"))
        await wait_for(lambda: feed.listeners, what="a browser listening")
        _, escalation_id = await _feedback_and_escalation(fb)
        resp = await asyncio.wait_for(stream, 10)  # the stream ends by itself after live_stream_seconds
        assert resp.status_code == 200 and resp.headers["content-type"].startswith("text/event-stream")
        assert "event: escalation" in resp.text and escalation_id in resp.text and "Crisis line unanswered" in resp.text
        assert ": still here" in resp.text
        assert not feed.listeners


async def test_a_slow_browser_does_not_hold_up_the_others():
    feed = EscalationFeed(stream_seconds=30, heartbeat_seconds=30)
    fast, slow = feed.stream(), feed.stream()
    assert (await anext(fast)).startswith("retry:") and (await anext(slow)).startswith("retry:")
    received = []

    async def read_fast():
        async for chunk in fast:
            received.append(chunk)
            if len(received) == QUEUE_SIZE + 5:
                return

    reader = asyncio.create_task(read_fast())
    for n in range(QUEUE_SIZE + 5):
        feed.publish({"id": f"e{n}", "summary": "s", "respond_by": "2027-01-01"})
        await asyncio.sleep(0)
    await asyncio.wait_for(reader, 5)
    assert len(feed.listeners) == 1  # the slow one was let go; the fast one got everything
    leftovers = [chunk async for chunk in slow]
    assert len(leftovers) <= QUEUE_SIZE
    await fast.aclose()
    assert not feed.listeners


async def test_a_browser_that_reconnects_gets_what_it_missed_or_is_told_to_refresh():
    feed = EscalationFeed(stream_seconds=0.2, heartbeat_seconds=1)
    start = feed.last_id
    feed.publish({"id": "e1", "summary": "First", "respond_by": "2027-01-01"})
    feed.publish({"id": "e2", "summary": "Second", "respond_by": "2027-01-02"})
    caught_up = "".join([chunk async for chunk in feed.stream(start)])
    assert caught_up.count("event: escalation") == 2 and f"id: {feed.last_id}" in caught_up
    assert "event: escalation" not in "".join([chunk async for chunk in feed.stream(feed.last_id)])
    for unknown in ("another-run-3", f"{feed.run}-99", "nonsense"):
        assert "event: refresh" in "".join([chunk async for chunk in feed.stream(unknown)])
    for n in range(60):  # more than are remembered
        feed.publish({"id": f"x{n}", "summary": "More", "respond_by": "2027-01-03"})
    assert "event: refresh" in "".join([chunk async for chunk in feed.stream(start)])


async def test_streams_end_when_the_service_stops():
    feed = EscalationFeed(stream_seconds=300, heartbeat_seconds=300)
    stream = feed.stream()
    await anext(stream)
    pending = asyncio.create_task(anext(stream))
    await asyncio.sleep(0)
    await feed.stop()
    try:
        await asyncio.wait_for(pending, 2)
        raise AssertionError("the stream should have ended")
    except StopAsyncIteration:
        pass


async def test_staff_remove_words_that_identify_someone_through_a_page(start_feedback):
    async with start_feedback() as fb:
        item = (
            await fb.client.post("/feedback", json={"text": "Nurse Jordan Ashby was rude to me on Tuesday"})
        ).json()
        page = f"/staff/feedback/{item['id']}"
        async with signed_in(fb, "staff") as staff:
            assert "remove words that identify someone" in (await staff.get(page)).text
            form = await staff.get(f"{page}/redact")
            assert form.status_code == 200 and 'value="Jordan"' in form.text and 'value="Ashby"' in form.text
            nothing = await post_form(staff, f"{page}/redact", f"{page}/redact", {})
            assert nothing.status_code == 422 and "Choose the words to remove" in nothing.text
            removed = await post_form(staff, f"{page}/redact", f"{page}/redact", {"words": ["Jordan", "Ashby"]})
            assert removed.status_code == 303
            assert "Words removed" in (await staff.get(page)).text
        redacted = (await fb.staff.get(f"/feedback/{item['id']}")).json()
        assert redacted["text"] == "Nurse [removed] [removed] was rude to me on Tuesday"
        assert "Jordan" not in (await fb.staff.get("/reports/feedback.csv")).text
        by_api = await fb.staff.post(f"/feedback/{item['id']}/redactions", json={"words": ["Tuesday"]})
        assert by_api.status_code == 200 and by_api.json()["text"].endswith("on [removed]")
        again = await fb.staff.post(f"/feedback/{item['id']}/redactions", json={"words": ["Jordan"]})
        assert again.status_code == 422 and "None of those words" in again.json()["detail"]
        assert (await fb.client.post(f"/feedback/{item['id']}/redactions", json={"words": ["x"]})).status_code == 401
        assert (await fb.governor.post(f"/feedback/{item['id']}/redactions", json={"words": ["x"]})).status_code == 403
        assert await _audited(fb, "feedback.redacted") == 2
