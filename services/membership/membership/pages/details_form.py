"""The form for a member's details, shared by "Join the forum" and staff changing details.

Suggested connections and access needs are tick boxes, with a box for the person's own words;
consents are tick boxes too. The form is turned into the JSON API's own model (MemberCreate or
MemberUpdate), so the same rules and messages apply.
"""

from __future__ import annotations

from typing import Any

from fastapi import Request

from forum_shared.ui import Form, validate_form
from forum_shared.ui.forms import Messages
from membership import domain
from membership.records import Member
from membership.schemas import MemberCreate, MemberUpdate

TEXT_FIELDS = ("display_name", "email", "phone", "postal_address", "preferred_channel", "area")
OWN_WORDS = {"connections": "connections_own", "access_needs": "access_needs_own"}
NAME_NEEDED = "Enter a name (any name you are happy to use)"
MESSAGES: Messages = {
    "display_name": NAME_NEEDED,
    "preferred_channel": "Select how you would like us to contact you",
}

CHANNEL_OPTIONS = [
    ("email", "By email"),
    ("phone", "By phone"),
    ("post", "By post"),
    ("", "No preference"),
]
CONNECTION_OPTIONS = [(c, c) for c in domain.SUGGESTED_CONNECTIONS]
ACCESS_OPTIONS = [(a, a) for a in domain.SUGGESTED_ACCESS_NEEDS]
CONSENT_OPTIONS = [(p.value, wording) for p, wording in domain.CONSENT_WORDING.items()]


def values_of_member(member: Member) -> dict[str, Any]:
    """A member's details as form values, to fill the change form."""
    suggested = {
        "connections": set(domain.SUGGESTED_CONNECTIONS),
        "access_needs": set(domain.SUGGESTED_ACCESS_NEEDS),
    }
    values: dict[str, Any] = {name: getattr(member, name) or "" for name in TEXT_FIELDS}
    for name, own in OWN_WORDS.items():
        labels: tuple[str, ...] = getattr(member, name)
        values[name] = [label for label in labels if label in suggested[name]]
        values[own] = "; ".join(label for label in labels if label not in suggested[name])
    values["consents"] = [c.purpose.value for c in member.consents if c.given]
    return values


def _labels(values: dict[str, Any], name: str) -> list[str]:
    own = [part for part in values[OWN_WORDS[name]].split(";") if part.strip()]
    return [*values[name], *own]


async def posted_values(request: Request) -> dict[str, Any]:
    posted = await request.form()
    values: dict[str, Any] = {name: str(posted.get(name) or "").strip() for name in (*TEXT_FIELDS, *OWN_WORDS.values())}
    for name in (*OWN_WORDS, "consents"):
        values[name] = [v for v in posted.getlist(name) if isinstance(v, str)]
    return values


async def read_join_form(request: Request) -> Form:
    """A new member: every consent shown is answered, yes if ticked and no if not."""
    values = await posted_values(request)
    data: dict[str, Any] = {name: values[name] for name in TEXT_FIELDS}
    data.update({name: _labels(values, name) for name in OWN_WORDS})
    data["consents"] = [{"purpose": p, "given": p in values["consents"]} for p, _ in CONSENT_OPTIONS]
    form = validate_form(MemberCreate, data, MESSAGES)
    form.values = values
    return form


async def read_change_form(request: Request, member: Member) -> Form:
    """Changed details: an emptied field clears that detail; only changed consents are recorded."""
    values = await posted_values(request)
    data: dict[str, Any] = {name: values[name] for name in TEXT_FIELDS}
    data.update({name: _labels(values, name) for name in OWN_WORDS})
    given = {c.purpose.value: c.given for c in member.consents}
    data["consents"] = [
        {"purpose": p, "given": p in values["consents"]}
        for p, _ in CONSENT_OPTIONS
        if given.get(p, False) != (p in values["consents"])
    ]
    form = validate_form(MemberUpdate, data, MESSAGES)
    form.values = values
    if not values["display_name"]:
        form.errors = {"display_name": NAME_NEEDED, **form.errors}
    if form.ok:
        cleared: dict[str, Any] = {
            name: None for name in TEXT_FIELDS[1:] if not values[name] and getattr(member, name)
        }
        cleared.update({name: [] for name in OWN_WORDS if not data[name] and getattr(member, name)})
        form.data = form.data.model_copy(update=cleared)
    return form
