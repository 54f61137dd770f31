"""A member asks to be forgotten: with all four services still running, nothing of them is left in
any database file of any service (the files, their write-ahead logs and shared memory), over real
NATS. On PostgreSQL the same rows are deleted; what VACUUM then implies is in the README."""

from datetime import UTC, datetime, timedelta
from pathlib import Path

from forum_shared.testing import wait_for

from .services import NAMES, start

NAME = "Robin Quillfeather"
EMAIL = "robin.quillfeather@example.org"
PHONE = "07700 900456"


def traces(folder: Path) -> dict[str, list[str]]:
    """Which of the person's details each database file still holds, byte for byte."""
    found: dict[str, list[str]] = {}
    for path in sorted(folder.glob("*.db*")):
        content = path.read_bytes()
        held = [
            detail
            for detail in (NAME, NAME.split()[1], EMAIL, PHONE, PHONE.replace(" ", ""))
            if detail.encode() in content
        ]
        if held:
            found[path.name] = held
    return found


async def ok(resp, status: int = 201) -> dict:
    assert resp.status_code == status, resp.text
    return resp.json()


async def test_an_erased_member_leaves_nothing_in_any_service_database_file(own_nats_server, tmp_path, mail_server):
    nats = own_nats_server
    files = {name: f"sqlite+aiosqlite:///{tmp_path / name}.db" for name in NAMES}
    services = [await start(name, nats, None, database_url=files[name], mail_url=mail_server.url) for name in NAMES]
    async with services[0] as ms, services[1] as mt, services[2] as fb, services[3] as sp:
        member = await ok(await ms.staff.post("/members", json={
            "display_name": NAME, "email": EMAIL, "phone": PHONE, "area": "PE13 1AB"}))
        starts = datetime.now(UTC) + timedelta(days=7)
        meeting = await ok(await mt.staff.post("/meetings", json={
            "starts_at": starts.isoformat(), "ends_at": (starts + timedelta(hours=2)).isoformat(),
            "venue": "Wisbech Library", "area": "Fenland"}))
        await ok(await mt.client.post(f"/meetings/{meeting['id']}/registrations", json={
            "member_id": member["id"], "access_needs": ["step_free_access"],
            "access_notes": f"{NAME} ({PHONE}) uses a wheelchair"}))
        given = await ok(await fb.client.post("/feedback", json={
            "text": f"I am {NAME} ({EMAIL}, {PHONE}) and the ward was cold", "member_id": member["id"],
            "contact_name": NAME, "contact_email": EMAIL, "contact_phone": PHONE, "contact_consent": True}))
        await ok(await sp.client.get("/services", params={"text": NAME}), 200)  # a search leaves no trace either
        assert traces(tmp_path), "the details were written to the databases"

        await ok(await ms.staff.delete(f"/members/{member['id']}"), 200)

        async def forgotten_everywhere():
            return not traces(tmp_path)

        try:
            await wait_for(forgotten_everywhere, timeout=30, what="nothing of the member in any database file")
        except AssertionError:
            raise AssertionError(f"still on disk: {traces(tmp_path)}") from None
        # The services are still running, and what was kept of the feedback says nothing of them.
        kept = await ok(await fb.staff.get(f"/feedback/{given['id']}"), 200)
        assert kept["member_id"] is None and kept["contact_email"] is None and "the ward was cold" in kept["text"]
        assert NAME not in kept["text"] and EMAIL not in kept["text"] and PHONE not in kept["text"]
        assert (await ms.staff.get(f"/members/{member['id']}")).status_code == 404
        # The confirmation of the erasure was sent before the address went (and it names no one).
        confirmation = await mail_server.wait_for(to=EMAIL, subject="erased")
        assert NAME not in confirmation.get_body(("plain",)).get_content()
