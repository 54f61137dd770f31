"""Staff pages about members: finding them, their page, changing details, leaving and erasure."""

from forum_shared.audit import list_audit


async def join(svc, **details) -> dict:
    resp = await svc.staff.post("/members", json=details)
    assert resp.status_code == 201, resp.text
    return resp.json()


async def audit_actions(svc) -> list[tuple[str, str | None]]:
    async with svc.db.read() as session:
        entries, _ = await list_audit(session, limit=200)
    return [(e["action"], e["target"]) for e in entries]


async def test_staff_find_members_by_name_area_connection_and_status_a_page_at_a_time(
    start_membership, person
):
    async with start_membership() as svc:
        for n in range(30):
            await join(svc, display_name=f"Member {n:02d}", area="Fenland" if n % 2 else "PE1 1AA")
        carer = await join(svc, display_name="Cara Bell", email="cara@example.org", connections=["Carer"])
        await svc.staff.post(f"/members/{carer['id']}/leave")
        staff = await person(svc, "staff")

        first = await staff.get("/staff/members")
        assert first.status_code == 200 and "31 members found" in first.text
        assert "Member 00" in first.text and "Member 25" not in first.text  # 25 to a page, by name
        second = await staff.get("/staff/members", params={"page": 2})
        assert "Member 25" in second.text and "Cara Bell" not in second.text  # C sorts before M
        assert "Page 1 of 2" in second.text

        by_name = await staff.get("/staff/members", params={"q": "cara"})
        assert "1 member found" in by_name.text and f'/staff/members/{carer["id"]}' in by_name.text
        by_email = await staff.get("/staff/members", params={"q": "CARA@example"})
        assert "Cara Bell" in by_email.text
        by_area = await staff.get("/staff/members", params={"area": "pe1"})
        assert "15 members found" in by_area.text
        left = await staff.get("/staff/members", params={"status": "left"})
        assert "1 member found" in left.text and "Left" in left.text
        carers = await staff.get("/staff/members", params={"connection": "Carer", "status": "active"})
        assert "No members match" in carers.text


async def test_a_members_page_shows_details_consents_roles_and_time_given(start_membership, person):
    async with start_membership() as svc:
        member = await join(
            svc,
            display_name="Dev Patel",
            phone="01480 123456",
            preferred_channel="phone",
            area="Huntingdonshire",
            access_needs=["Hearing loop"],
            consents=[{"purpose": "forum_news", "given": True}],
        )
        co_chair = {"title": "Co-chair", "description": "Chairs.", "hours_per_month": 8, "paid": True}
        co_chair["hourly_rate"] = 15
        role = (await svc.staff.post("/roles", json=co_chair)).json()
        holding = {"member_id": member["id"], "starts_on": "2026-01-01"}
        await svc.staff.post(f"/roles/{role['id']}/assignments", json=holding)
        travel = {"kind": "travel", "worked_on": "2026-11-02", "hours": 1.5}
        await svc.staff.post(f"/members/{member['id']}/involvement", json=travel)
        staff = await person(svc, "staff")
        page = await staff.get(f"/staff/members/{member['id']}")
        assert page.status_code == 200
        for shown in ("Dev Patel", "01480 123456", "Huntingdonshire", "Hearing loop",
                      "Hear about forum meetings and news.", "Co-chair", "Holds it", "£22.50", "2026-11"):
            assert shown in page.text, shown

        statement = await staff.get(f"/staff/members/{member['id']}/statements/2026-11")
        assert statement.status_code == 200
        assert "November 2026" in statement.text and "£22.50" in statement.text
        missing = await staff.get("/staff/members/nobody")
        assert missing.status_code == 404 and "There is no member" in missing.text


async def test_staff_change_a_members_details_and_an_emptied_box_clears_it(start_membership, person):
    async with start_membership() as svc:
        member = await join(
            svc, display_name="Ellis", phone="01223 000111", connections=["Carer", "peer supporter"],
            consents=[{"purpose": "photographs", "given": True}],
        )
        staff = await person(svc, "staff")
        path = f"/staff/members/{member['id']}/change"
        form = await staff.get(path)
        assert 'value="Ellis"' in form.text and 'value="peer supporter"' in form.text

        changed = await staff.post(
            path,
            {"display_name": "Ellis Moore", "email": "ellis@example.org", "preferred_channel": "email",
             "connections": ["Carer"], "connections_own": "", "consents": ["forum_news"]},
        )
        assert changed.status_code == 303 and changed.headers["location"] == f"/staff/members/{member['id']}"
        after = (await svc.staff.get(f"/members/{member['id']}")).json()
        assert after["display_name"] == "Ellis Moore" and after["email"] == "ellis@example.org"
        assert after["phone"] is None and after["connections"] == ["Carer"]
        answers = {c["purpose"]: c["given"] for c in after["consents"]}
        assert answers == {"forum_news": True, "photographs": False}
        assert ("member.updated", f"member:{member['id']}") in await audit_actions(svc)

        bad = await staff.post(path, {"display_name": "", "preferred_channel": "post"})
        assert bad.status_code == 422
        assert 'id="display_name-error"' in bad.text and 'href="#display_name"' in bad.text
        no_post = await staff.post(path, {"display_name": "Ellis", "preferred_channel": "post"})
        assert no_post.status_code == 422 and "please also give a postal address" in no_post.text
        other = await join(svc, display_name="Fran", email="fran@example.org")
        taken = await staff.post(path, {"display_name": "Ellis", "email": "FRAN@example.org"})
        assert taken.status_code == 409 and "Another member already uses this email" in taken.text
        assert (await svc.staff.get(f"/members/{other['id']}")).json()["email"] == "fran@example.org"


async def test_staff_record_that_a_member_left_and_erase_another_on_request(start_membership, person):
    async with start_membership() as svc:
        leaving = await join(svc, display_name="Gale")
        erasing = await join(svc, display_name="Hari Singh", email="hari@example.org")
        staff = await person(svc, "staff")

        confirm = await staff.get(f"/staff/members/{leaving['id']}/leave")
        assert "Gale is leaving the forum" in confirm.text
        left = await staff.post(f"/staff/members/{leaving['id']}/leave")
        assert left.status_code == 303
        shown = await staff.get(left.headers["location"])
        assert "Gale has left the forum" in shown.text  # the banner
        assert (await svc.staff.get(f"/members/{leaving['id']}")).json()["status"] == "left"

        assert "has already left" in (await staff.get(f"/staff/members/{leaving['id']}/leave")).text
        confirm = await staff.get(f"/staff/members/{erasing['id']}/erase")
        assert "This cannot be undone" in confirm.text
        erased = await staff.post(f"/staff/members/{erasing['id']}/erase")
        assert erased.status_code == 303 and erased.headers["location"] == "/staff/members"
        assert "Member erased" in (await staff.get("/staff/members")).text
        assert (await svc.staff.get(f"/members/{erasing['id']}")).status_code == 404
        gone = await staff.get(f"/staff/members/{erasing['id']}")
        assert gone.status_code == 404 and "asked for their details to be erased" in gone.text

        actions = await audit_actions(svc)
        assert ("member.left", f"member:{leaving['id']}") in actions
        assert ("member.erased", f"member:{erasing['id']}") in actions
        audit_page = await staff.get("/audit")
        assert "member.erased" in audit_page.text and "Hari" not in audit_page.text


async def test_staff_can_add_a_member_through_the_join_form_and_it_is_audited(start_membership, person):
    async with start_membership() as svc:
        staff = await person(svc, "staff")
        added = await staff.post("/join", {"display_name": "Ivy", "preferred_channel": "post",
                                           "postal_address": "2 Fore Hill, Ely"})
        assert added.status_code == 303 and added.headers["location"].startswith("/staff/members/")
        member_id = added.headers["location"].rsplit("/", 1)[-1]
        assert ("member.joined", f"member:{member_id}") in await audit_actions(svc)
        assert "Ivy has joined the forum" in (await staff.get(added.headers["location"])).text
