"""A fictional slice of the forum's directory for a newcomer's first look: needs, community groups
across Cambridgeshire and Peterborough with their weekly sessions, a countywide helpline, a listing
due for checking, and a few anonymous signposting records.

Everything goes through the service's own JSON API, so registering the groups publishes
`CommunityGroupRegistered` and the meetings service learns which groups can host pop-up forums.
Names, addresses, phone numbers (Ofcom's drama range 01632 960xxx) and emails are made up.
"""

from __future__ import annotations

import datetime
from typing import Any

import httpx

NEEDS = {
    "Mental health": None,
    "Hearing voices": "Mental health",
    "Anxiety and low mood": "Mental health",
    "Caring for someone": None,
    "Loneliness": None,
    "Getting active": None,
}

GROUPS: list[dict[str, Any]] = [
    {
        "key": "cambridge_voices",
        "name": "Cambridge Hearing Voices Group",
        "description": (
            "A friendly peer group for people who hear voices or have other unusual experiences. "
            "Come and talk, or just listen."
        ),
        "areas": ["Cambridge", "CB1", "CB4"],
        "email": "voices@cambridge-voices.example.org",
        "phone": "01632 960101",
        "service": "Tuesday evening group",
        "needs": ["Hearing voices", "Mental health"],
        "day": "TU", "opens": "18:30", "closes": "20:00", "note": "Tea and biscuits from 6:15pm",
        "place": ("Chesterton Community Room", "12 Fictional Lane", "Cambridge", "CB4 9ZZ", 52.2180, 0.1370),
        "access": "Step-free entrance and an accessible toilet",
    },
    {
        "key": "peterborough_carers",
        "name": "Peterborough Carers' Coffee Morning",
        "description": (
            "A relaxed coffee morning for anyone who looks after a family member or friend. "
            "Share tips, get information, or have a break."
        ),
        "areas": ["Peterborough", "PE1", "PE3"],
        "email": "coffee@pboro-carers.example.org",
        "phone": "01632 960202",
        "service": "Carers' coffee morning",
        "needs": ["Caring for someone", "Loneliness"],
        "day": "1TH", "freq": "MONTHLY", "opens": "10:00", "closes": "12:00", "note": None,
        "place": ("Cathedral Square Meeting Room", "3 Example Street", "Peterborough", "PE1 9ZZ", 52.5726, -0.2430),
        "access": "Lift to the first floor and a hearing loop",
    },
    {
        "key": "huntingdon_walkers",
        "name": "Huntingdon Men's Walking Group",
        "description": (
            "Gentle walks of about an hour around Huntingdon and Godmanchester for men who want to get out, "
            "get moving and have a chat."
        ),
        "areas": ["Huntingdon", "Godmanchester", "PE29"],
        "email": None,
        "phone": "01632 960303",
        "service": "Saturday morning walk",
        "needs": ["Getting active", "Loneliness", "Mental health"],
        "day": "SA", "opens": "09:30", "closes": "11:00", "note": "Meet by the bandstand; walks go ahead in light rain",
        "place": ("Riverside Park bandstand", "Riverside Park", "Huntingdon", "PE29 9ZZ", 52.3270, -0.1800),
        "access": "Flat, surfaced paths; walks can be shortened",
    },
    {
        "key": "wisbech_peer_support",
        "name": "Wisbech Peer Support Circle",
        "description": (
            "People with lived experience of mental ill health supporting each other. "
            "Run by members, for members."
        ),
        "areas": ["Wisbech", "Fenland", "PE13"],
        "email": "circle@wisbech-peers.example.org",
        "phone": None,
        "service": "Wednesday peer support",
        "needs": ["Mental health", "Anxiety and low mood"],
        "day": "WE", "opens": "14:00", "closes": "16:00", "note": None,
        "place": ("Wisbech Library meeting room", "1 Sample Row", "Wisbech", "PE13 9ZZ", 52.6661, 0.1594),
        "access": "Step-free, wheelchair accessible",
        "languages": [{"name": "English", "code": "en"}, {"name": "Polish", "code": "pl"}],
    },
    {
        "key": "ely_cafe",
        "name": "Ely Wellbeing Café",
        "description": (
            "A drop-in café where you can talk to someone who understands about how you are feeling. "
            "No need to book."
        ),
        "areas": ["Ely", "East Cambridgeshire", "CB7"],
        "email": "hello@ely-wellbeing.example.org",
        "phone": "01632 960505",
        "service": "Friday drop-in café",
        "needs": ["Anxiety and low mood", "Loneliness"],
        "day": "FR", "opens": "13:00", "closes": "15:30", "note": None,
        "place": ("Ely Community Hall", "8 Demonstration Road", "Ely", "CB7 9ZZ", 52.3990, 0.2620),
        "access": None,
        "stale": True,  # not checked with the group for over a year: shows on "Check listings"
    },
]


async def _post(client: httpx.AsyncClient, path: str, body: dict) -> dict:
    resp = await client.post(path, json=body)
    if resp.status_code != 201:
        raise RuntimeError(f"signposting demo: POST {path} answered {resp.status_code}: {resp.text}")
    return resp.json()


def _service(group: dict, org_id: str, needs: dict[str, str], today: datetime.date) -> dict:
    name, address_1, city, postcode, lat, lon = group["place"]
    location = {"name": name, "location_type": "physical", "latitude": lat, "longitude": lon,
                "addresses": [{"address_1": address_1, "city": city, "state_province": "Cambridgeshire",
                               "postal_code": postcode, "country": "GB", "address_type": "physical"}]}
    if group.get("access"):
        location["accessibility"] = [{"description": group["access"]}]
    checked = today - datetime.timedelta(days=400) if group.get("stale") else today
    return {
        "name": group["service"], "organization_id": org_id, "description": group["description"], "status": "active",
        "taxonomy_term_ids": [needs[n] for n in group["needs"]],
        "service_areas": [{"name": a} for a in group["areas"]],
        "schedules": [{"freq": group.get("freq", "WEEKLY"), "byday": group["day"], "opens_at": group["opens"],
                       "closes_at": group["closes"], "description": group["note"]}],
        "service_at_locations": [{"location": location}],
        "phones": [{"number": group["phone"]}] if group["phone"] else [],
        "email": group["email"],
        "cost_options": [{"option": "Free", "amount": 0, "currency": "GBP"}],
        "languages": group.get("languages", []),
        "assured_date": checked.isoformat(),
    }


async def load(client: httpx.AsyncClient, today: datetime.date, earlier: dict | None = None) -> dict:
    """Fill an empty signposting service; returns the ids other services' demo loaders may need."""
    taxonomy = await _post(client, "/taxonomies", {"name": "Partnership Forum needs",
                                                   "description": "What people ask the forum for help with."})
    needs: dict[str, str] = {}
    for name, parent in NEEDS.items():
        body = {"name": name, "description": f"Help with {name.lower()}.", "taxonomy_id": taxonomy["id"]}
        if parent:
            body["parent_id"] = needs[parent]
        needs[name] = (await _post(client, "/taxonomy_terms", body))["id"]

    groups: dict[str, str] = {}
    services: dict[str, str] = {}
    for group in GROUPS:
        details = {k: group[k] for k in ("name", "description", "areas", "email", "phone") if group.get(k)}
        groups[group["key"]] = (await _post(client, "/community-groups", details))["id"]
        service = _service(group, groups[group["key"]], needs, today)
        services[group["key"]] = (await _post(client, "/services", service))["id"]

    trust = await _post(client, "/organizations", {
        "name": "Fenland and Cambridge Listening Trust", "description": "A fictional charity running a listening line.",
        "website": "https://listening-trust.example.org", "phones": [{"number": "01632 960909"}]})
    services["listening_line"] = (await _post(client, "/services", {
        "name": "Countywide Listening Line", "organization_id": trust["id"], "status": "active",
        "description": (
            "Trained volunteers listen, in confidence, every evening. "
            "You do not have to be in crisis to call."
        ),
        "taxonomy_term_ids": [needs["Mental health"], needs["Loneliness"]],
        "service_areas": [{"name": "Cambridgeshire and Peterborough"}],
        "schedules": [{"freq": "WEEKLY", "byday": "MO,TU,WE,TH,FR,SA,SU", "opens_at": "18:00", "closes_at": "23:00"}],
        "phones": [{"number": "01632 960999"}], "assured_date": today.isoformat(),
    }))["id"]

    signposted = [
        {"area": "PE13", "needs": [needs["Mental health"]], "service_ids": [services["wisbech_peer_support"]]},
        {"area": "PE1", "needs": [needs["Caring for someone"]], "service_ids": [services["peterborough_carers"]]},
        {"area": "CB4", "needs": [needs["Hearing voices"]],
         "service_ids": [services["cambridge_voices"], services["listening_line"]]},
        {"area": "PE15", "needs": ["gambling"], "service_ids": []},  # nothing fitted: unmet need
    ]
    for record in signposted:
        await _post(client, "/signpostings", record)
    return {
        "community_groups": groups,
        "community_group_ids": list(groups.values()),
        "services": services,
        "needs": needs,
        "organization_ids": [*groups.values(), trust["id"]],
    }
