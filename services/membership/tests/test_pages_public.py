"""The public pages: the start page and joining the forum, with no sign-in."""

from datetime import timedelta

from membership import domain

FACILITATOR = {
    "title": "Pop-up forum facilitator",
    "description": "Visit community groups in pairs and hear their views.",
    "hours_per_month": 6,
    "paid": True,
    "hourly_rate": "12.50",
}


async def test_the_start_page_explains_the_forum_links_to_join_and_lists_open_roles(start_membership, person):
    async with start_membership() as svc:
        await svc.staff.post("/roles", json=FACILITATOR)
        public = await person(svc)
        page = await public.get("/")
        assert page.status_code == 200
        assert "<h1" in page.text and "The Partnership Forum" in page.text
        assert 'href="/join"' in page.text
        assert "Pop-up forum facilitator" in page.text and "£12.50" in page.text
        assert "/staff/members" not in page.text  # staff links only for staff

        staff = await person(svc, "staff")
        assert 'href="/staff/members"' in (await staff.get("/")).text


async def test_a_member_of_the_public_joins_and_is_told_what_happens_next(start_membership, person):
    async with start_membership() as svc:
        role = (await svc.staff.post("/roles", json=FACILITATOR)).json()
        public = await person(svc)
        form = await public.get("/join")
        assert form.status_code == 200 and "Only your name is needed" in form.text
        assert "Pop-up forum facilitator" in form.text and "about 6 hours a month" in form.text

        joined = await public.post(
            "/join",
            {
                "display_name": "  Robin Fenwick ",
                "email": "Robin@Example.org",
                "preferred_channel": "email",
                "area": "pe13 1ab",
                "connections": ["Carer"],
                "connections_own": "volunteer at a Wisbech group; ",
                "access_needs": ["Large print"],
                "consents": ["forum_news"],
                "roles": [role["id"]],
                "role_note": "I have been to a few groups already.",
            },
        )
        assert joined.status_code == 303 and joined.headers["location"] == "/join/done"
        done = await public.get("/join/done")
        assert "You have joined the forum" in done.text and "What happens next" in done.text

        (member,) = (await svc.staff.get("/members")).json()
        assert member["display_name"] == "Robin Fenwick" and member["email"] == "robin@example.org"
        assert member["area"] == "PE13 1AB" and member["preferred_channel"] == "email"
        assert member["connections"] == ["Carer", "volunteer at a Wisbech group"]
        assert member["access_needs"] == ["Large print"]
        answers = {c["purpose"]: c["given"] for c in member["consents"]}
        assert answers == {
            "forum_news": True,
            "involvement_opportunities": False,
            "share_with_partners": False,
            "photographs": False,
        }
        (interest,) = (await svc.staff.get(f"/roles/{role['id']}/interests")).json()
        assert interest["member_id"] == member["id"] and interest["would_like_a_chat"] is True
        assert interest["note"] == "I have been to a few groups already."


async def test_only_a_name_is_needed_to_join(start_membership, person):
    async with start_membership() as svc:
        public = await person(svc)
        joined = await public.post("/join", {"display_name": "Sam"})
        assert joined.status_code == 303
        assert [m["display_name"] for m in (await svc.staff.get("/members")).json()] == ["Sam"]


async def test_the_join_form_shows_each_problem_beside_its_field(start_membership, person):
    async with start_membership() as svc:
        public = await person(svc)
        nameless = await public.post("/join", {"display_name": "  ", "email": "not-an-email"})
        assert nameless.status_code == 422
        assert "There is a problem" in nameless.text
        assert 'href="#display_name"' in nameless.text and 'id="display_name-error"' in nameless.text
        assert "Enter a name" in nameless.text
        assert 'id="email-error"' in nameless.text and "correct format" in nameless.text
        assert "<title>Error:" in nameless.text

        no_email = await public.post("/join", {"display_name": "Kit", "preferred_channel": "email"})
        assert no_email.status_code == 422
        assert 'id="preferred_channel-error"' in no_email.text
        assert "please also give an email" in no_email.text
        assert 'value="Kit"' in no_email.text  # what was typed is kept



async def test_joining_with_an_email_already_known_looks_exactly_like_joining_to_the_public(
    start_membership, person
):
    async with start_membership() as svc:
        role = (await svc.staff.post("/roles", json=FACILITATOR)).json()
        public = await person(svc)
        first = await public.post("/join", {"display_name": "Jo", "email": "jo@example.org"})
        again = await public.post(
            "/join", {"display_name": "Joanne", "email": "JO@example.org", "roles": [role["id"]], "role_note": "Hi"}
        )
        new = await public.post("/join", {"display_name": "Kay", "email": "kay@example.org"})
        for answer in (first, again, new):
            assert (answer.status_code, answer.headers["location"]) == (303, "/join/done")
        assert (await public.get(again.headers["location"])).text == (await public.get(new.headers["location"])).text
        listed = (await svc.staff.get("/members")).json()
        assert sorted(m["display_name"] for m in listed) == ["Jo", "Kay"]
        assert (await svc.staff.get(f"/roles/{role['id']}/interests")).json() == []
        jo = next(m for m in listed if m["display_name"] == "Jo")
        entries = (await svc.staff.get("/audit-log")).json()["items"]
        assert [(e["action"], e["target"]) for e in entries if e["action"] == "member.joined_again"] == [
            ("member.joined_again", f"member:{jo['id']}")
        ]
        assert "example.org" not in str(entries)

        # Staff joining someone on their behalf are trusted, and told.
        staff = await person(svc, "staff")
        told = await staff.post("/join", {"display_name": "Jo", "email": "jo@example.org"}, form_page="/join")
        assert told.status_code == 409 and "already a member" in told.text and 'id="email-error"' in told.text
        assert len((await svc.staff.get("/members")).json()) == 2


async def test_the_public_cannot_reach_the_ways_staff_find_members_by_email(start_membership, person):
    async with start_membership() as svc:
        await svc.staff.post("/members", json={"display_name": "Jo", "email": "jo@example.org"})
        public = await person(svc)
        page = await public.get("/staff/members", params={"q": "jo@example.org"})
        assert page.status_code == 303 and page.headers["location"].startswith("/sign-in")
        assert (await svc.client.get("/members", params={"area": "Fenland"})).status_code == 401
        partner = await svc.as_role("partner")
        assert (await partner.get("/members")).status_code == 403
        # A partner's program joining someone is answered as the public is.
        joined = await partner.post("/members", json={"display_name": "Jo", "email": "jo@example.org"})
        assert joined.status_code == 202 and "id" not in joined.json()


async def test_interest_in_a_role_that_has_closed_is_shown_beside_the_roles(
    start_membership, person, monkeypatch
):
    async with start_membership() as svc:
        closing = domain.today().isoformat()
        role = (await svc.staff.post("/roles", json={**FACILITATOR, "closing_date": closing})).json()
        public = await person(svc)
        assert role["id"] in (await public.get("/join")).text
        tomorrow = domain.today() + timedelta(days=1)
        monkeypatch.setattr(domain, "today", lambda: tomorrow)
        late = await public.post("/join", {"display_name": "Lee", "roles": [role["id"]]})
        assert late.status_code == 409 and "closed on" in late.text
        assert (await svc.staff.get("/members")).json() == []  # nothing half done


async def test_a_join_form_without_its_csrf_token_is_refused(start_membership, person):
    async with start_membership() as svc:
        public = await person(svc)
        await public.get("/join")
        forged = await public.client.post(
            "/join", data={"display_name": "Mallory"}, headers={"accept": "text/html"}
        )
        assert forged.status_code == 403
        assert (await svc.staff.get("/members")).json() == []


async def test_the_public_join_form_is_rate_limited(start_membership, person):
    async with start_membership() as svc:
        svc.kit.settings.public_form_rate_limit = 2
        public = await person(svc)
        assert (await public.post("/join", {"display_name": "A"})).status_code == 303
        assert (await public.post("/join", {"display_name": "B"})).status_code == 303
        third = await public.post("/join", {"display_name": "C"})
        assert third.status_code == 429 and "Too many attempts" in third.text
        # The JSON route that does the same is limited too; a partner's program with a token is not.
        assert (await svc.client.post("/members", json={"display_name": "D"})).status_code == 429
        assert (await svc.staff.post("/members", json={"display_name": "E"})).status_code == 201
