"""Directory entries in plain English for pages: when a group meets, where, and how to get in touch."""

from __future__ import annotations

from typing import Any

DAY_NAMES = {"MO": "Monday", "TU": "Tuesday", "WE": "Wednesday", "TH": "Thursday", "FR": "Friday",
             "SA": "Saturday", "SU": "Sunday"}
DAY_OPTIONS = list(DAY_NAMES.items())
ORDINALS = {"1": "first", "2": "second", "3": "third", "4": "fourth", "-1": "last"}


def clock(value: str | None) -> str:
    """'14:30:00' → '2:30pm'; '10:00:00' → '10am' (as NHS.UK writes times)."""
    if not value:
        return ""
    hour, minute = (int(p) for p in value.split(":")[:2])
    suffix = "am" if hour < 12 else "pm"
    hour = hour % 12 or 12
    if hour == 12 and minute == 0:
        return "midday" if suffix == "pm" else "midnight"
    return f"{hour}{suffix}" if minute == 0 else f"{hour}:{minute:02d}{suffix}"


def _and(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _days(byday: str, freq: str | None) -> str:
    parts = []
    for code in byday.split(","):
        day, nth = code[-2:], code[:-2]
        if nth in ORDINALS:
            parts.append(f"the {ORDINALS[nth]} {DAY_NAMES.get(day, day)} of the month")
        else:
            parts.append(DAY_NAMES.get(day, day) + ("s" if freq != "MONTHLY" else ""))
    if len(parts) == 7 and all(not c[:-2] for c in byday.split(",")):
        return "Every day"
    text = _and(parts)
    return text[0].upper() + text[1:]


def when(schedule: dict[str, Any]) -> str:
    """One schedule as a sentence: 'Tuesdays, 10am to 12pm (in the church hall)'."""
    words = _days(schedule["byday"], schedule.get("freq")) if schedule.get("byday") else ""
    opens, closes = clock(schedule.get("opens_at")), clock(schedule.get("closes_at"))
    if opens and closes:
        words += f", {opens} to {closes}" if words else f"{opens} to {closes}"
    elif opens:
        words += f", from {opens}" if words else f"From {opens}"
    note = schedule.get("description")
    if note and words:
        return f"{words} ({note})"
    return words or note or ""


def address_lines(location: dict[str, Any]) -> list[str]:
    for address in location.get("addresses", []):
        if address.get("address_type", "physical") == "physical":
            return [p for p in (location.get("name"), address.get("address_1"), address.get("address_2"),
                                address.get("city"), address.get("postal_code")) if p]
    return [location["name"]] if location.get("name") else []


def summary(service: dict[str, Any]) -> dict[str, Any]:
    """What a person needs to decide whether to go: what, where, when, how to get in touch."""
    places = [address_lines(link["location"]) for link in service.get("service_at_locations", [])]
    phones = [p["number"] for p in service.get("phones", [])]
    for contact in service.get("contacts", []):
        phones += [p["number"] for p in contact.get("phones", [])]
    emails = [service["email"]] if service.get("email") else []
    emails += [c["email"] for c in service.get("contacts", []) if c.get("email")]
    organization = service.get("organization") or {}
    return {
        "id": service["id"],
        "name": service["name"],
        "organization": organization.get("name"),
        "organization_id": service.get("organization_id"),
        "description": service.get("description") or "",
        "needs": [a["taxonomy_term"]["name"] for a in service.get("attributes", [])],
        "areas": [a["name"] for a in service.get("service_areas", [])],
        "places": [p for p in places if p],
        "times": [t for t in (when(s) for s in service.get("schedules", [])) if t],
        "phones": list(dict.fromkeys(phones or [p["number"] for p in organization.get("phones", [])])),
        "emails": list(dict.fromkeys(emails or ([organization["email"]] if organization.get("email") else []))),
        "website": service.get("url") or organization.get("website"),
        "costs": [c.get("option") or c.get("amount_description") for c in service.get("cost_options", [])
                  if c.get("option") or c.get("amount_description")],
        "access": [a.get("description") for link in service.get("service_at_locations", [])
                   for a in link["location"].get("accessibility", []) if a.get("description")],
        "languages": [lang.get("name") or lang.get("code") for lang in service.get("languages", [])],
        "distance": service.get("distance"),
        "status": service.get("status", "active"),
    }


def miles(metres: float | None) -> str:
    if metres is None:
        return ""
    value = metres / 1609.344
    return "less than a mile" if value < 1 else f"about {value:.0f} mile{'s' if round(value) != 1 else ''}"
