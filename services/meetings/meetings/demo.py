"""Demo data: a month of forum meetings around `today` and a few pop-up forums, made through the
service's own JSON API so that every rule and event applies as in real use. Fictional people only.

Community groups and involvement-role holders reach this service as events from signposting and
membership. Given what those services' demo loaders made (`earlier`), the loader waits until their
events have arrived and plans pop-up forums with those groups and facilitators; on its own it uses
whatever groups and role holders are known here, and plans no pop-up forums without them.
"""

from __future__ import annotations

import asyncio
import time
from datetime import date, timedelta
from typing import Any

import httpx

# (days from today, preferred area, venue, address, hour, capacity, online)
MEETINGS = [
    (-24, "Peterborough", "Peterborough Central Library", "Broadway, Peterborough", 14, 40, False),
    (-17, "Huntingdonshire", "Huntingdon Community Centre", "Coneygear Road, Huntingdon", 18, 30, False),
    (-10, "Cambridge", "Cambridge Guildhall, Small Hall", "Market Square, Cambridge", 14, 50, True),
    (-3, "Fenland", "Wisbech Boathouse", "Harbour Square, Wisbech", 10, 30, False),
    (4, "East Cambridgeshire", "Ely Library", "6 Market Street, Ely", 14, 30, True),
    (11, None, None, None, 18, None, True),
    (18, "South Cambridgeshire", "Cambourne Hub", "High Street, Cambourne", 10, 5, False),
    (25, "Peterborough", "Werrington Village Centre", "Staniland Way, Peterborough", 14, 40, False),
]

AGENDA = [
    ("Welcome, introductions and notes of the last meeting", "Forum chair", 15),
    ("Getting a GP appointment: what members told us", "Healthwatch partner", 30),
    ("Community mental health teams: an update", "Head of Community Mental Health", 30),
    ("Any other business", None, 10),
]

PUBLIC = [
    ("Priya Chandran", "priya.chandran@example.org", ["step_free_access"]),
    ("Tom Whitfield", None, []),
    ("Margaret Oyelaran", "m.oyelaran@example.org", ["hearing_loop", "large_print"]),
    ("Dan Kowalski", None, ["travel_expenses"]),
    ("Aisha Rahman", "aisha.r@example.org", ["bsl_interpreter"]),
    ("Gareth Lloyd", None, []),
    ("Sophie Turner-Bell", "sophie.tb@example.org", ["quiet_space"]),
]

MINUTES = (
    "Attendees shared experiences of waiting times for community mental health appointments. "
    "The Head of Community Mental Health explained the new single point of access. Members asked "
    "for clearer letters and for the forum to see the access figures every quarter."
)

# (days from today, hour, topics, participants if held, what was shared)
POP_UPS = [
    (-12, 11, ["Getting a GP appointment", "Travel to hospital appointments"], 14,
     "We shared the forum's work on GP access and heard about long waits on the phone."),
    (-5, 13, ["Community mental health teams"], 9,
     "We explained the single point of access; the group asked for evening drop-ins."),
    (6, 10, ["Carers' breaks", "Discharge from hospital"], None, None),
    (20, 14, ["Young people's mental health"], None, None),
]


async def _ok(response: httpx.Response) -> Any:
    if response.status_code >= 400:
        request = response.request
        raise RuntimeError(f"{request.method} {request.url.path}: {response.status_code} {response.text}")
    return response.json() if response.content else {}


def _at(day: date, hour: int, minutes: int = 0) -> str:
    return f"{day.isoformat()}T{hour:02d}:{minutes:02d}"


async def _groups_and_facilitators(client: httpx.AsyncClient, earlier: dict, timeout: float) -> tuple[list, list]:
    """The community groups that can host and the members who can facilitate: the demo's own
    once their events have arrived (from `earlier`), else whatever is known here."""
    wanted_groups = set(earlier.get("signposting", {}).get("community_group_ids", []))
    wanted_holders = earlier.get("membership", {}).get("facilitators", [])
    deadline = time.monotonic() + timeout
    while True:
        groups = await _ok(await client.get("/community-groups", params={"can_host": "true"}))
        holders = [h["member_id"] for h in await _ok(await client.get("/role-holders"))]
        missing_groups = wanted_groups - {g["id"] for g in groups}
        missing_holders = set(wanted_holders) - set(holders)
        if not missing_groups and not missing_holders:
            break
        if time.monotonic() > deadline:
            raise RuntimeError(
                f"meetings has not heard of {len(missing_groups)} community group(s) and {len(missing_holders)} "
                f"role holder(s) after {timeout:.0f} s: are all the services connected to NATS?"
            )
        await asyncio.sleep(0.2)
    if wanted_groups:
        groups = [g for g in groups if g["id"] in wanted_groups]
    return groups, wanted_holders or holders


async def load(client: httpx.AsyncClient, today: date, earlier: dict | None = None, timeout: float = 60) -> dict:
    areas: list[str] = await _ok(await client.get("/areas"))
    groups, holders = await _groups_and_facilitators(client, earlier or {}, timeout)

    def area_for(preferred: str | None, index: int) -> str | None:
        if preferred is None or not areas:
            return None
        return preferred if preferred in areas else areas[index % len(areas)]

    meeting_ids: list[str] = []
    for index, (offset, preferred, venue, address, hour, capacity, online) in enumerate(MEETINGS):
        day = today + timedelta(days=offset)
        area = area_for(preferred, index)
        body = {
            "title": "Partnership Forum" + (f" – {area}" if area else " online: winter pressures"),
            "starts_at": _at(day, hour),
            "ends_at": _at(day, hour + 2),
            "venue": venue if area else None,
            "address": address if area else None,
            "area": area,
            "online_url": "https://meet.example.org/partnership-forum" if online or not area else None,
            "capacity": capacity,
            "access_services": ["hearing_loop", "step_free_access", "travel_expenses"]
            + (["live_captions"] if online or not area else []),
            "access_notes": "Tea, coffee and a light lunch are provided." if hour == 14 else None,
        }
        meeting = await _ok(await client.post("/meetings", json={k: v for k, v in body.items() if v is not None}))
        meeting_ids.append(meeting["id"])

    held, recorded_later, upcoming = meeting_ids[:3], meeting_ids[3], meeting_ids[4:]
    for number, meeting_id in enumerate(held):
        actions = []
        if number == 0:
            actions = [
                {"description": "Share quarterly access figures for community mental health teams",
                 "owner_name": "Head of Community Mental Health", "due_on": str(today - timedelta(days=10))},
                {"description": "Send the forum's GP access findings to the integrated care board",
                 "owner_name": "Patient Experience team", "due_on": str(today + timedelta(days=14))},
            ]
        await _ok(await client.post(f"/meetings/{meeting_id}/held", json={
            "attendee_member_ids": holders[: 2 + number],
            "public_attendees": 8 + 3 * number,
            "minutes": MINUTES if number != 1 else None,
            "actions": actions,
        }))
    if held:
        done = await _ok(await client.post(f"/meetings/{held[1]}/actions", json={
            "description": "Put large print agendas on every table", "owner_name": "Forum administrator",
            "due_on": str(today - timedelta(days=12)),
        }))
        completed_on = str(today - timedelta(days=13))
        await _ok(await client.post(f"/actions/{done['id']}/complete", json={"completed_on": completed_on}))

    for meeting_id in upcoming[:2] + upcoming[3:]:
        for title, presenter, minutes in AGENDA:
            await _ok(await client.post(f"/meetings/{meeting_id}/agenda", json={
                "title": title, "presenter": presenter, "duration_minutes": minutes,
            }))

    # People register for the next meeting, and fill the small one with a waiting list.
    for meeting_id, people in ((upcoming[0], PUBLIC[:4]), (upcoming[2], PUBLIC)):
        for name, email, needs in people:
            await _ok(await client.post(f"/meetings/{meeting_id}/registrations", json={
                "name": name, "contact_email": email, "access_needs": needs,
            }))

    pop_up_ids: list[str] = []
    if groups and len(holders) >= 2:
        for index, (offset, hour, topics, participants, shared) in enumerate(POP_UPS):
            group = groups[index % len(groups)]
            day = today + timedelta(days=offset)
            response = await client.post("/pop-up-forums", json={
                "community_group_id": group["id"],
                "facilitator_member_ids": [holders[index % len(holders)], holders[(index + 1) % len(holders)]],
                "starts_at": _at(day, hour),
                "ends_at": _at(day, hour + 1, 30),
                "topics": topics,
            })
            if response.status_code == 422 and offset < 0:
                continue  # the facilitators did not yet hold their roles on that day
            pop_up = await _ok(response)
            pop_up_ids.append(pop_up["id"])
            if participants is not None:
                await _ok(await client.post(f"/pop-up-forums/{pop_up['id']}/held", json={
                    "participants": participants, "shared": shared,
                }))

    return {
        "meeting_ids": meeting_ids,
        "held_meeting_ids": held,
        "to_record_meeting_id": recorded_later,
        "next_meeting_id": upcoming[0],
        "pop_up_ids": pop_up_ids,
    }
