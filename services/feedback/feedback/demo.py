"""A fictional slice of the forum's feedback, for a newcomer's first look: views from people,
community groups and a partner organisation across Cambridgeshire and Peterborough, some triaged,
escalated to governors and answered with “you said, we did”. Everything goes through the service's
own JSON API, so every rule applies as in real use. Every person, group and story here is made up.

Escalations come from real voices only: a group's view is recorded by staff, of a group the
signposting directory lists (given what its demo loader made, `earlier`, this loader waits until
those groups' events have arrived); on its own, with no directory, staff record the same views as
heard at pop-up forums with those groups. A partner organisation's program sends its members'
view with an API token of its own. Praise is counted as what is working and never escalates.

(The API records feedback as received now, so it all carries today's date.)
"""

from __future__ import annotations

import asyncio
import datetime
import time
from typing import Any

import httpx

# (text, area, themes as a person might give them, polarity, contact or None, heard from):
# heard from is None (the public form), ("group", a directory group's key) or ("partner", its name).
FEEDBACK = [
    ("I waited eleven weeks for a first appointment with the community mental health team. "
     "Nobody told me where I was on the list.",
     "Fenland", ["waiting times"], "negative", None, None),
    ("The crisis line answered straight away at 3am and the person I spoke to was calm and kind.",
     "Peterborough", ["crisis care"], "positive", None, None),
    ("As a carer I was not asked anything before my son was discharged. I found out the day after.",
     "Huntingdonshire", ["carers", "discharge and follow-up"], "negative",
     ("Alex Fairweather", "alex.fairweather@example.org", None), None),
    ("Letters about appointments arrive after the appointment date. It has happened twice now.",
     "Cambridge", ["communication"], "negative", None, None),
    ("The peer support worker at the recovery college made a real difference to me.",
     "Cambridge", ["involvement"], "positive", None, None),
    ("The waiting room on the ward is cold and there is nowhere quiet to sit with visitors.",
     "Peterborough", ["environment"], "negative", None, None),
    ("Our members say waits for talking therapies in Wisbech are now over six months.",
     "Fenland", ["waiting times"], "negative", None, ("group", "wisbech_peer_support")),
    ("People on our Saturday walk said they gave up waiting for a psychology assessment.",
     "Huntingdonshire", ["waiting times"], "negative", None, ("group", "huntingdon_walkers")),
    ("Several people at our café said nobody explained the new medication or its side effects.",
     "East Cambridgeshire", ["medication"], "negative", None, ("group", "ely_cafe")),
    ("Members who use our peer support say they wait months to hear anything after a referral.",
     "Peterborough", ["waiting times"], "negative", None, ("partner", "SUN Network")),
    ("When I called the crisis team I was told to ring back in the morning. I did not feel safe.",
     "Fenland", ["crisis care"], "negative", None, None),
    ("The home treatment team visited every day for a week. It kept me out of hospital.",
     "South Cambridgeshire", ["crisis care"], "positive", None, None),
    ("Please hold forum meetings in the evening sometimes; I work during the day.",
     "Cambridge", ["involvement"], "mixed", None, None),
    ("Staff on the ward were rushed but always polite. There just are not enough of them.",
     "Peterborough", ["staff attitude"], "mixed", None, None),
    ("My dad's care coordinator changed three times in a year and we had to tell our story each time.",
     "Huntingdonshire", ["carers", "communication"], "negative",
     ("Jordan Ashby", None, "01480 000 111"), None),
    ("It is hard to get to appointments in Cambridge from March without a car.",
     "Fenland", ["access to services"], "negative", None, None),
    ("The online booking for the wellbeing service was easy to use.",
     "South Cambridgeshire", ["access to services"], "positive", None, None),
    ("Nobody phoned me after I left hospital, even though I was told someone would within a week.",
     "East Cambridgeshire", ["discharge and follow-up"], "negative", None, None),
    ("Our members should be told about changes to services before they happen, not after.",
     "Cambridge", ["involvement"], "negative", None, ("group", "cambridge_voices")),
    ("The pharmacist took time to explain my tablets. Thank you.",
     "Peterborough", ["medication"], "positive", None, None),
    ("Interpreters are not always booked, so my mum's appointments get cancelled.",
     "Peterborough", ["access to services", "communication"], "negative", None, None),
    ("I would like to know what happened to the feedback I gave last year.",
     None, ["involvement"], "mixed", ("Robin Castle", "robin.castle@example.org", None), None),
    ("The garden at the day centre is lovely and helps people relax.",
     "Huntingdonshire", ["environment"], "positive", None, None),
    ("A crisis café open in the evenings in Fenland would help people who cannot get to Peterborough.",
     "Fenland", ["crisis care", "access to services"], "mixed", None, None),
    ("Reception staff at the clinic were dismissive when I said I was struggling.",
     "Cambridge", ["staff attitude"], "negative", None, None),
]

# Which of the above (by position) staff have triaged, with a criticality (1–5, staff only).
TRIAGED = {0: 3, 2: 4, 3: 2, 5: 2, 8: 3, 10: 4, 14: 3, 15: 2, 17: 4, 20: 3, 24: 2}
CLOSED = [16]
# (which feedback, the summary for the public agenda, the notes for governors only)
ESCALATED_BY_STAFF = (10, "Crisis team told people to ring back in the morning (Fenland)",
                      "People in crisis at night were asked to call back the next day. Governors should ask how "
                      "night-time calls to the crisis team are handled.")
CLUSTER_THEME = "waiting times"  # raised as a concern by the public, two groups and a partner
STAFF_MEMBER = "Sam Okafor (involvement team)"  # who enters the groups' views
RESPONSES = [
    (3, "Appointment letters arrived after the appointment date.",
     "The clinic now sends a text message and an email as well as a letter, at least ten days before.", "change_made"),
    (12, "Forum meetings are hard to attend for people who work during the day.",
     "From next quarter, every other forum meeting will be held at 6pm, in a different part of the county.",
     "change_planned"),
    (5, "The ward waiting room is cold and there is nowhere quiet to sit with visitors.",
     "The heating has been repaired and a small family room has been opened next to the ward.", "change_made"),
]
GOVERNOR = "Margaret Okonjo"  # a fictional governor who signs acknowledgements


async def _ok(response: httpx.Response) -> Any:
    if response.status_code >= 400:
        request = response.request
        raise RuntimeError(f"{request.method} {request.url.path}: {response.status_code} {response.text}")
    return response.json() if response.content else {}


async def _listed_groups(client: httpx.AsyncClient, earlier: dict, timeout: float) -> dict[str, str]:
    """The directory's groups by key, once this service has heard of all that signposting's demo
    made (none on its own)."""
    wanted: dict[str, str] = earlier.get("signposting", {}).get("community_groups", {})
    deadline = time.monotonic() + timeout
    while wanted:
        known = {g["id"] for g in await _ok(await client.get("/community-groups"))}
        if set(wanted.values()) <= known:
            break
        if time.monotonic() > deadline:
            raise RuntimeError(
                f"feedback has not heard of {len(set(wanted.values()) - known)} community group(s) after "
                f"{timeout:.0f} s: are all the services connected to NATS?"
            )
        await asyncio.sleep(0.2)
    return wanted


async def load(
    client: httpx.AsyncClient, today: datetime.date, earlier: dict | None = None, timeout: float = 60
) -> dict:
    """Fill an empty feedback service; returns the ids made, for other loaders."""
    groups = await _listed_groups(client, earlier or {}, timeout)

    async def call(method: str, path: str, body: dict | None = None, headers: dict | None = None) -> Any:
        return await _ok(await client.request(method, path, json=body, headers=headers))

    # A partner organisation's program sends its members' views with a token of its own.
    partner = await call("POST", "/api-tokens", {"name": "SUN Network", "role": "partner"})
    as_partner = {"authorization": f"Bearer {partner['token']}"}

    ids: list[str] = []
    for text, area, themes, polarity, contact, heard in FEEDBACK:
        body: dict = {"text": text, "themes": themes, "polarity": polarity}
        if area:
            body["area"] = area
        if contact:
            name, email, phone = contact
            body.update(contact_name=name, contact_consent=True)
            if email:
                body["contact_email"] = email
            if phone:
                body["contact_phone"] = phone
        if heard is None:
            ids.append((await call("POST", "/feedback", body))["id"])
        elif heard[0] == "partner":
            ids.append((await call("POST", "/partner/feedback", body, as_partner))["id"])
        elif heard[1] in groups:
            body.update(channel="community_group", community_group_id=groups[heard[1]])
            ids.append((await call("POST", "/feedback", body))["id"])
        else:
            pop_up = "demo-pop-up-" + heard[1].replace("_", "-")
            view = {k: v for k, v in body.items() if k in ("text", "themes", "polarity", "area")}
            [made] = await call("POST", f"/pop-up-forums/{pop_up}/feedback", {"entered_by": STAFF_MEMBER,
                                                                               "views": [view]})
            ids.append(made["id"])
    await call("POST", f"/api-tokens/{partner['id']}/revoke")

    for index, criticality in TRIAGED.items():
        _, area, themes, polarity, _, _ = FEEDBACK[index]
        await call("POST", f"/feedback/{ids[index]}/triage",
                   {"themes": themes, "criticality": criticality, "area": area, "polarity": polarity})
    for index in CLOSED:
        await call("POST", f"/feedback/{ids[index]}/close")

    index, summary, notes = ESCALATED_BY_STAFF
    staff_escalation = await call(
        "POST", f"/feedback/{ids[index]}/escalations", {"summary": summary, "notes_for_governors": notes}
    )

    # The public, two community groups and a partner raising waiting times as a concern within a
    # month escalate it by themselves (a theme cluster); a governor has acknowledged it and noted
    # what they will do.
    for esc in await call("GET", "/escalations"):
        if esc["cluster_theme"] == CLUSTER_THEME:
            await call("POST", f"/escalations/{esc['id']}/acknowledge", {"governor": GOVERNOR})
            await call("POST", f"/escalations/{esc['id']}/notes",
                       {"governor": GOVERNOR,
                        "text": "I will ask for the waiting-list figures by area at the next open meeting."})

    response_ids = []
    for index, you_said, we_did, outcome in RESPONSES:
        response = await call("POST", f"/feedback/{ids[index]}/responses",
                              {"you_said": you_said, "we_did": we_did, "outcome": outcome})
        response_ids.append(response["id"])

    return {
        "feedback_ids": ids,
        "escalation_ids": [e["id"] for e in await call("GET", "/escalations")],
        "staff_escalation_id": staff_escalation["id"],
        "response_ids": response_ids,
    }
