"""A fictional slice of the forum for a first look: members across Cambridgeshire and
Peterborough, partner organisations, involvement roles with holders and interest, and some time
given. Everything goes through the service's own JSON API, so the usual rules and events apply.

Every person and organisation here is made up; emails use example.org and phone numbers the
range Ofcom keeps for drama (07700 900xxx).
"""

from __future__ import annotations

import datetime
from typing import Any

import httpx

# name, area, connections, access needs, preferred channel
MEMBERS = [
    ("Aisha Rahman", "Peterborough", ["Lived experience"], ["Spoken-language interpreter"], "phone"),
    ("Ben Okafor", "Cambridge", ["Carer"], [], "email"),
    ("Carys Llewellyn", "Fenland", ["Lived experience", "Carer"], ["Large print"], "post"),
    ("Dan Whitmore", "Huntingdonshire", ["Staff"], [], "email"),
    ("Elif Demir", "PE1 2AB", ["Member of the public"], [], "email"),
    ("Frank Osei", "East Cambridgeshire", ["Lived experience"], ["Step-free access"], "phone"),
    ("Grace Tan", "South Cambridgeshire", ["Partner organisation"], [], "email"),
    ("Harry Blake", "Fenland", ["peer supporter at a Wisbech group"], ["Quiet space"], "phone"),
    ("Ines Carvalho", "Cambridge", ["Lived experience"], ["Easy read"], "email"),
    ("Jack Doyle", "Peterborough", ["Carer"], ["Hearing loop"], "phone"),
    ("Kiran Shah", "Huntingdonshire", ["Governor"], [], "email"),
    ("Lena Novak", "PE13 1AB", ["Lived experience"], ["Information by post"], "post"),
    ("Marcus Reid", "South Cambridgeshire", ["Member of the public"], [], None),
    ("Nadia Haddad", "East Cambridgeshire", ["Carer", "Staff"], [], "email"),
    ("Owen Price", "Peterborough", [], [], None),
    ("Priya Nair", "Cambridge", ["Lived experience"], ["British Sign Language (BSL)"], "email"),
    ("Rosa Martin", "Fenland", ["Carer"], ["Large print"], "phone"),
    ("Sam Eke", "CB7 4AA", ["Lived experience"], [], "email"),
    ("Tomasz Wojcik", "Huntingdonshire", ["Member of the public"], ["Spoken-language interpreter"], "phone"),
    ("Uma Patel", "South Cambridgeshire", ["Partner organisation"], [], "email"),
]

ROLES = {
    "co_chair": {
        "title": "Forum co-chair",
        "description": "Chairs the monthly forum meeting with the other co-chair and agrees the agenda.",
        "hours_per_month": 10,
        "paid": True,
        "hourly_rate": "15.00",
        "vacancies": 2,
    },
    "facilitator": {
        "title": "Pop-up forum facilitator",
        "description": "Visits community groups in pairs to share the forum's work and hear their views.",
        "hours_per_month": 6,
        "paid": True,
        "hourly_rate": "12.50",
        "vacancies": 6,
    },
    "reader": {
        "title": "Easy read reviewer",
        "description": "Reads draft leaflets and letters and says what would make them clearer.",
        "hours_per_month": 2,
        "paid": False,
        "vacancies": 3,
    },
}
CO_CHAIRS = ["Aisha Rahman", "Ben Okafor"]
FACILITATORS = ["Carys Llewellyn", "Harry Blake", "Jack Doyle", "Priya Nair"]
INTERESTS = [
    ("facilitator", "Frank Osei", "I run a walking group in Ely and know people there.", True),
    ("facilitator", "Rosa Martin", "", False),
    ("reader", "Ines Carvalho", "Easy read helped me a lot; I would like to help others.", True),
    ("reader", "Lena Novak", "Happy to do this by post.", False),
]
ORGANISATIONS = [
    ("Fenland Carers Together", "Charity", "Fenland", "Support and a weekly café for unpaid carers.",
     [("Rosa Martin", "Volunteer")]),
    ("Peterborough Peer Support Network", "Peer support network", "Peterborough",
     "Peer support groups run by people with lived experience.", [("Jack Doyle", "Group lead")]),
    ("Cambridge Wellbeing Café", "Community group", "Cambridge",
     "A drop-in café for anyone who wants company and a chat.", [("Grace Tan", "Coordinator")]),
]


async def _ok(response: httpx.Response) -> dict:
    if response.status_code >= 400:
        raise RuntimeError(f"{response.request.method} {response.request.url.path}: {response.text}")
    return response.json()


def _email(name: str) -> str:
    return name.lower().replace(" ", ".") + "@example.org"


async def load(client: httpx.AsyncClient, today: datetime.date, earlier: dict | None = None) -> dict:
    """Fill an empty membership service; returns the ids the other services' loaders may use."""
    members: dict[str, str] = {}
    for n, (name, area, connections, access_needs, channel) in enumerate(MEMBERS):
        body: dict[str, Any] = {
            "display_name": name, "area": area, "connections": connections, "access_needs": access_needs
        }
        if channel == "email":
            body["email"] = _email(name)
        if channel == "phone":
            body["phone"] = f"07700 900{100 + n:03d}"
        if channel == "post":
            body["postal_address"] = f"{n + 1} Market Street, {area}"
        if channel:
            body["preferred_channel"] = channel
        body["consents"] = [
            {"purpose": "forum_news", "given": channel is not None},
            {"purpose": "involvement_opportunities", "given": n % 3 != 2},
            {"purpose": "photographs", "given": n % 2 == 0},
        ]
        members[name] = (await _ok(await client.post("/members", json=body)))["id"]

    roles = {key: (await _ok(await client.post("/roles", json=body)))["id"] for key, body in ROLES.items()}
    started = today - datetime.timedelta(days=75)
    for key, names in (("co_chair", CO_CHAIRS), ("facilitator", FACILITATORS)):
        for name in names:
            await _ok(
                await client.post(
                    f"/roles/{roles[key]}/assignments",
                    json={"member_id": members[name], "starts_on": started.isoformat()},
                )
            )
    interests = []
    for key, name, note, chat in INTERESTS:
        interest = await _ok(
            await client.post(
                f"/roles/{roles[key]}/interests",
                json={"member_id": members[name], "note": note, "would_like_a_chat": chat},
            )
        )
        interests.append(interest["id"])
    await _ok(
        await client.post(
            f"/interests/{interests[0]}/chat",
            json={
                "chat_on": (today + datetime.timedelta(days=5)).isoformat(),
                "note": "Ely library café, 11am",
            },
        )
    )

    for days_ago, name, kind, hours, note in (
        (3, "Aisha Rahman", "preparation", 2, "Agreeing the agenda with the other co-chair"),
        (3, "Ben Okafor", "preparation", 2, "Agreeing the agenda with the other co-chair"),
        (10, "Carys Llewellyn", "travel", 1.25, "Bus to March for a pop-up forum"),
        (10, "Harry Blake", "travel", 1.25, "Bus to March for a pop-up forum"),
        (17, "Jack Doyle", "preparation", 1.5, "Reading the group's feedback from last time"),
        (24, "Priya Nair", "other", 1, "Meeting a new community group"),
    ):
        worked_on = today - datetime.timedelta(days=days_ago)
        await _ok(
            await client.post(
                f"/members/{members[name]}/involvement",
                json={"kind": kind, "worked_on": worked_on.isoformat(), "hours": hours, "note": note},
            )
        )

    organisations = {}
    for name, kind, area, description, representatives in ORGANISATIONS:
        body = {"name": name, "kind": kind, "area": area, "description": description}
        organisation = await _ok(await client.post("/organisations", json=body))
        organisations[name] = organisation["id"]
        for member, position in representatives:
            await _ok(
                await client.post(
                    f"/organisations/{organisation['id']}/representatives",
                    json={"member_id": members[member], "position": position},
                )
            )

    return {
        "members": members,
        "roles": roles,
        "co_chairs": [members[n] for n in CO_CHAIRS],
        "facilitators": [members[n] for n in FACILITATORS],
        "organisations": organisations,
    }
