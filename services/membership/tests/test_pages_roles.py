"""Staff pages about involvement roles, time given, partner organisations and reports."""

from forum_shared.audit import list_audit
from membership import domain

TODAY = domain.today().isoformat()


async def join(svc, name: str, **details) -> dict:
    return (await svc.staff.post("/members", json={"display_name": name, **details})).json()


async def audit_actions(svc) -> list[str]:
    async with svc.db.read() as session:
        entries, _ = await list_audit(session, limit=200)
    return [e["action"] for e in entries]


async def test_staff_advertise_a_role_and_see_problems_beside_the_fields(start_membership, person):
    async with start_membership() as svc:
        staff = await person(svc, "staff")
        assert "Advertise an involvement role" in (await staff.get("/staff/roles/new")).text

        empty = await staff.post("/staff/roles/new", {})
        assert empty.status_code == 422
        for field in ("title", "description", "hours_per_month", "paid"):
            assert f'id="{field}-error"' in empty.text, field
        unpaid_rate = await staff.post(
            "/staff/roles/new",
            {"title": "Co-chair", "description": "Chairs meetings.", "hours_per_month": "8", "paid": "true"},
        )
        assert unpaid_rate.status_code == 422
        assert 'id="hourly_rate-error"' in unpaid_rate.text and "needs an hourly rate" in unpaid_rate.text

        made = await staff.post(
            "/staff/roles/new",
            {"title": "Co-chair", "description": "Chairs meetings.", "hours_per_month": "8", "paid": "true",
             "hourly_rate": "15", "vacancies": "2"},
        )
        assert made.status_code == 303
        page = await staff.get(made.headers["location"])
        assert "Co-chair is now advertised." in page.text
        assert "£15.00 an hour" in page.text and "2 free of 2" in page.text
        assert "Co-chair" in (await staff.get("/staff/roles")).text
        assert "role.advertised" in await audit_actions(svc)


async def test_staff_note_interest_arrange_a_chat_give_the_role_and_end_it(start_membership, person):
    async with start_membership() as svc:
        role = (
            await svc.staff.post(
                "/roles",
                json={"title": "Pop-up forum facilitator", "description": "Visit groups in pairs.",
                      "hours_per_month": 6, "paid": True, "hourly_rate": "12.50"},
            )
        ).json()
        jan = await join(svc, "Jan Kowalski", area="Peterborough")
        staff = await person(svc, "staff")
        base = f"/staff/roles/{role['id']}"

        form = await staff.get(f"{base}/interests/new")
        assert "Jan Kowalski (Peterborough)" in form.text
        nobody = await staff.post(f"{base}/interests/new", {"note": "Keen"})
        assert nobody.status_code == 422
        assert 'id="member_id-error"' in nobody.text and "Select a member" in nobody.text
        interest = {"member_id": jan["id"], "note": "Knows the groups", "would_like_a_chat": "true"}
        noted = await staff.post(f"{base}/interests/new", interest)
        assert noted.status_code == 303
        twice = await staff.post(f"{base}/interests/new", {"member_id": jan["id"]})
        assert twice.status_code == 422 and "already noted" in twice.text

        (interest,) = (await svc.staff.get(f"/roles/{role['id']}/interests")).json()
        assert interest["note"] == "Knows the groups" and interest["would_like_a_chat"] is True
        listing = await staff.get("/staff/interests")
        assert "Jan Kowalski" in listing.text and "1 member is waiting" in listing.text

        chat_path = f"{base}/interests/{interest['id']}/chat"
        assert "not an interview" in (await staff.get(chat_path)).text
        bad_day = await staff.post(chat_path, {"chat_on": "someday"})
        assert bad_day.status_code == 422 and 'id="chat_on-error"' in bad_day.text
        arranged = await staff.post(chat_path, {"chat_on": TODAY, "note": "Café at Queensgate"})
        assert arranged.status_code == 303
        page = await staff.get(base)
        assert "Chat arranged" in page.text and "Café at Queensgate" in page.text

        assign_form = await staff.get(f"{base}/assign", params={"member_id": jan["id"]})
        assert f'value="{jan["id"]}" selected' in assign_form.text
        assigned = await staff.post(f"{base}/assign", {"member_id": jan["id"], "starts_on": TODAY})
        assert assigned.status_code == 303
        again = await staff.post(f"{base}/assign", {"member_id": jan["id"], "starts_on": TODAY})
        assert again.status_code == 422 and "already holds" in again.text
        (holding,) = (await svc.staff.get(f"/roles/{role['id']}/assignments")).json()
        assert holding["current"] is True

        end_path = f"{base}/holdings/{holding['id']}/end"
        assert "End Jan Kowalski's role" in (await staff.get(end_path)).text
        too_early = await staff.post(end_path, {"ends_on": "2000-01-01"})
        assert too_early.status_code == 422 and "cannot be before the start date" in too_early.text
        ended = await staff.post(end_path, {"ends_on": TODAY})
        assert ended.status_code == 303
        assert (await svc.staff.get(f"/roles/{role['id']}/assignments")).json()[0]["ends_on"] == TODAY

        actions = await audit_actions(svc)
        for action in ("interest.noted", "interest.chat_arranged", "role.assigned", "role.ended"):
            assert action in actions, action


async def test_staff_record_time_given_and_find_the_finance_export(start_membership, person):
    async with start_membership() as svc:
        facilitator = {"title": "Facilitator", "description": "Facilitates.", "hours_per_month": 6}
        facilitator.update(paid=True, hourly_rate="12.00")
        role = (await svc.staff.post("/roles", json=facilitator)).json()
        kay = await join(svc, "Kay")
        holding = {"member_id": kay["id"], "starts_on": "2026-01-01"}
        await svc.staff.post(f"/roles/{role['id']}/assignments", json=holding)
        staff = await person(svc, "staff")
        path = f"/staff/members/{kay['id']}/involvement/new"

        form = await staff.get(path)
        assert "Record time given by Kay" in form.text and "Facilitator (from 1 January 2026)" in form.text
        bad = await staff.post(path, {"kind": "travel", "worked_on": TODAY, "hours": "30"})
        assert bad.status_code == 422 and 'id="hours-error"' in bad.text and "such as 1.5" in bad.text
        missing = await staff.post(path, {})
        assert 'id="kind-error"' in missing.text and 'id="worked_on-error"' in missing.text
        travel = {"kind": "travel", "worked_on": TODAY, "hours": "1.5", "note": "Bus to March"}
        recorded = await staff.post(path, travel)
        assert recorded.status_code == 303
        (entry,) = (await svc.staff.get(f"/members/{kay['id']}/involvement")).json()
        assert entry["hours"] == "1.50" and entry["amount"] == "18.00" and entry["note"] == "Bus to March"
        assert "involvement.recorded" in await audit_actions(svc)

        month = TODAY[:7]
        hub = await staff.get("/staff/involvement", params={"month": month})
        assert f"/involvement/finance.csv?month={month}" in hub.text
        assert f"/staff/members/{kay['id']}/statements/{month}" in hub.text
        csv = await staff.client.get("/involvement/finance.csv", params={"month": month})
        assert csv.status_code == 200 and "Kay" in csv.text and "18.00" in csv.text
        assert "£18.00" in (await staff.get(f"/staff/members/{kay['id']}/statements/{month}")).text


async def test_staff_register_a_partner_organisation_and_its_representatives(start_membership, person):
    async with start_membership() as svc:
        lou = await join(svc, "Lou")
        staff = await person(svc, "staff")
        bad = await staff.post("/staff/organisations/new", {"name": "", "kind": "Charity", "website": "nope"})
        assert bad.status_code == 422 and 'id="name-error"' in bad.text and 'id="website-error"' in bad.text
        made = await staff.post(
            "/staff/organisations/new", {"name": "Fenland Carers", "kind": "Charity", "area": "Fenland"}
        )
        assert made.status_code == 303
        org_path = made.headers["location"]
        twice = await staff.post("/staff/organisations/new", {"name": "FENLAND carers", "kind": "Charity"})
        assert twice.status_code == 422 and "already a partner organisation" in twice.text

        added = await staff.post(f"{org_path}/representatives", {"member_id": lou["id"], "position": "Chair"},
                                 form_page=org_path)
        assert added.status_code == 303
        page = await staff.get(org_path)
        assert "Lou" in page.text and "Chair" in page.text
        assert "Lou" in (await staff.get("/staff/organisations")).text
        removed = await staff.post(f"{org_path}/representatives/{lou['id']}/remove", form_page=org_path)
        assert removed.status_code == 303
        assert "Nobody represents Fenland Carers yet" in (await staff.get(org_path)).text
        actions = await audit_actions(svc)
        for action in ("organisation.registered", "organisation.representative_added",
                       "organisation.representative_removed"):
            assert action in actions


async def test_the_reports_page_hides_small_counts(start_membership, person):
    async with start_membership() as svc:
        for n in range(6):
            await join(svc, f"P{n}", area="Fenland")
        await join(svc, "Q", area="Cambridge")
        staff = await person(svc, "staff")
        page = await staff.get("/staff/reports")
        assert page.status_code == 200 and "Current members: 7." in page.text
        assert "Fenland" in page.text and "fewer than 5" in page.text
