"""A fictional slice of the forum's feedback, for a newcomer's first look: views from people and
community groups across Cambridgeshire and Peterborough, some triaged, a couple escalated to
governors, and some “you said, we did” responses published. Everything goes through the
service's own JSON API. Every person, group and story here is made up.

(The API records feedback as received now, so it all carries today's date.)
"""

from __future__ import annotations

import datetime
from typing import Any

import httpx

# (text, area, themes as a person might give them, polarity, contact or None, community group or None)
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
     "Fenland", ["waiting times"], "negative", None, "demo-group-wisbech-wellbeing"),
    ("People at our coffee morning said they gave up waiting for a psychology assessment.",
     "Huntingdonshire", ["waiting times"], "negative", None, "demo-group-st-neots-coffee"),
    ("Several of our carers said nobody explained the new medication or its side effects.",
     "East Cambridgeshire", ["carers", "medication"], "negative", None, "demo-group-ely-carers"),
    ("Young people in our group said they wait months to hear anything after a referral.",
     "Peterborough", ["waiting times"], "negative", None, "demo-group-peterborough-youth"),
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
    ("Carers' groups should be told about changes to services before they happen, not after.",
     "Cambridge", ["carers", "involvement"], "negative", None, "demo-group-cambridge-carers"),
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
ESCALATED_BY_STAFF = (10, "Crisis team told people to ring back in the morning (Fenland)",
                      "People in crisis at night were asked to call back the next day. Governors should ask how "
                      "night-time calls to the crisis team are handled.")
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


async def load(client: httpx.AsyncClient, today: datetime.date, earlier: dict | None = None) -> dict:
    """Fill an empty feedback service; returns the ids made, for other loaders."""

    async def call(method: str, path: str, body: dict | None = None) -> Any:
        resp = await client.request(method, path, json=body)
        resp.raise_for_status()
        return resp.json()

    ids: list[str] = []
    for text, area, themes, polarity, contact, group in FEEDBACK:
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
        if group:
            body.update(channel="community_group", community_group_id=group)
        ids.append((await call("POST", "/feedback", body))["id"])

    for index, criticality in TRIAGED.items():
        _, area, themes, polarity, _, _ = FEEDBACK[index]
        await call("POST", f"/feedback/{ids[index]}/triage",
                   {"themes": themes, "criticality": criticality, "area": area, "polarity": polarity})
    for index in CLOSED:
        await call("POST", f"/feedback/{ids[index]}/close")

    index, summary, reason = ESCALATED_BY_STAFF
    staff_escalation = await call("POST", f"/feedback/{ids[index]}/escalations", {"summary": summary, "reason": reason})

    # Three community groups raising waiting times within a month escalate it by themselves (a theme
    # cluster); a governor has acknowledged that one and noted what they will do.
    escalations = await call("GET", "/escalations")
    for esc in escalations:
        if esc["raised_by"] == "theme_cluster":
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
