"""Pure rules of membership: people's own words, areas, who may take part, role holdings, pay for
time given, and counts that never expose anyone. Imports only the standard library and the kit's
pure modules; every refusal is a `RuleBroken` whose message a person can act on.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit
from zoneinfo import ZoneInfo

from forum_shared.areas import DISTRICTS
from forum_shared.errors import RuleBroken

FORUM_TIME_ZONE = ZoneInfo("Europe/London")
MAX_LABEL = 100

# Offered as suggestions only: a person may pick several, none, or describe it in their own words.
SUGGESTED_CONNECTIONS = (
    "Lived experience",
    "Carer",
    "Staff",
    "Governor",
    "Partner organisation",
    "Member of the public",
)
SUGGESTED_ACCESS_NEEDS = (
    "British Sign Language (BSL)",
    "Large print",
    "Easy read",
    "Step-free access",
    "Hearing loop",
    "Quiet space",
    "Spoken-language interpreter",
    "Information by post",
)
SUGGESTED_AREAS = DISTRICTS
SUGGESTED_ORGANISATION_KINDS = ("Trust", "Charity", "Peer support network", "Community group")


class Channel(StrEnum):
    email = "email"
    phone = "phone"
    post = "post"


class ConsentPurpose(StrEnum):
    """What a person may agree to; each answer is kept with the time it was given."""

    forum_news = "forum_news"
    involvement_opportunities = "involvement_opportunities"
    share_with_partners = "share_with_partners"
    photographs = "photographs"


CONSENT_WORDING = {
    ConsentPurpose.forum_news: "Hear about forum meetings and news.",
    ConsentPurpose.involvement_opportunities: "Hear about involvement roles and opportunities.",
    ConsentPurpose.share_with_partners: "Let the forum pass my contact details to a partner organisation.",
    ConsentPurpose.photographs: "Appear in photographs taken at forum events.",
}


class MemberStatus(StrEnum):
    active = "active"
    left = "left"


class InterestStatus(StrEnum):
    """Where an expression of interest has got to: there is never an interview, only a chat."""

    interested = "interested"
    chat_arranged = "chat_arranged"
    assigned = "assigned"


class EntrySource(StrEnum):
    """Where a piece of time given was recorded from."""

    meeting = "meeting"
    pop_up = "pop_up"
    staff = "staff"


class EntryKind(StrEnum):
    meeting_attendance = "meeting_attendance"
    pop_up_facilitation = "pop_up_facilitation"
    preparation = "preparation"
    travel = "travel"
    other = "other"


# Kinds staff record by hand; attendance and facilitation come from the meetings service.
MANUAL_KINDS = (EntryKind.preparation, EntryKind.travel, EntryKind.other)


def today() -> date:
    return datetime.now(FORUM_TIME_ZONE).date()


# -- people's own words ---------------------------------------------------------------------
def tidy(text: str) -> str:
    return " ".join(text.split())


def tidy_labels(labels: list[str], suggestions: tuple[str, ...]) -> list[str]:
    """Keep a person's own words; drop blanks and repeats; a suggestion typed in any case takes
    its usual spelling so it is counted with the others."""
    known = {s.casefold(): s for s in suggestions}
    out: dict[str, str] = {}
    for label in labels:
        label = tidy(label)
        if not label:
            continue
        if len(label) > MAX_LABEL:
            raise RuleBroken(f"Please keep each description under {MAX_LABEL} characters.")
        key = label.casefold()
        out.setdefault(key, known.get(key, label))
    return list(out.values())


# -- areas ----------------------------------------------------------------------------------
_POSTCODE = re.compile(r"^([A-Z]{1,2}\d[A-Z\d]?)(?:\s*(\d[A-Z]{2}))?$")


def tidy_area(area: str | None) -> str | None:
    """A district as usually spelt, or a postcode in capitals with its space."""
    if area is None or not tidy(area):
        return None
    area = tidy(area)
    match = _POSTCODE.match(area.upper())
    if match:
        return " ".join(part for part in match.groups() if part)
    known = {s.casefold(): s for s in SUGGESTED_AREAS}
    return known.get(area.casefold(), area)


def area_key(area: str | None) -> str | None:
    """What an area is searched and counted by: a full postcode counts as its postcode district
    (PE13 1AB → PE13), so a count never narrows down to a street."""
    area = tidy_area(area)
    if area is None:
        return None
    match = _POSTCODE.match(area)
    return match.group(1) if match else area.casefold()


def area_label(area: str) -> str:
    tidied = tidy_area(area) or area
    match = _POSTCODE.match(tidied)
    return match.group(1) if match else tidied


# -- counts that never expose anyone --------------------------------------------------------
SMALL_COUNT = 5
SUPPRESSED = f"fewer than {SMALL_COUNT}"


@dataclass(frozen=True)
class CountRow:
    label: str
    count: int | None  # None when suppressed
    shown: str


def safe_counts(counts: dict[str, int], threshold: int = SMALL_COUNT) -> list[CountRow]:
    """Counts for reporting, with small numbers hidden.

    A count below `threshold` is shown as "fewer than N". If exactly one count is hidden, the next
    smallest is hidden too: otherwise the hidden one could be worked out from the total.
    Rows come largest first, then by label.
    """
    rows = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0].casefold()))
    hidden = {label for label, n in rows if n < threshold}
    if len(hidden) == 1 and len(rows) > 1:
        visible = [(label, n) for label, n in rows if label not in hidden]
        hidden.add(min(visible, key=lambda kv: kv[1])[0])
    return [
        CountRow(label, None, SUPPRESSED) if label in hidden else CountRow(label, n, str(n))
        for label, n in rows
    ]


def safe_total(total: int, threshold: int = SMALL_COUNT) -> CountRow:
    if total < threshold:
        return CountRow("all members", None, SUPPRESSED)
    return CountRow("all members", total, str(total))


# -- pay for time given ---------------------------------------------------------------------
def to_hundredths(hours: float | Decimal) -> int:
    """Time is kept in hundredths of an hour, so what finance sees (hours to two places) adds up
    exactly line by line and in total."""
    if not math.isfinite(hours):
        raise RuleBroken(f"{hours} hours is not a length of time.")
    return _hundredths(Decimal(str(hours)))


def hundredths_of(hours: float | Decimal) -> int:
    """Time given on one day, in hundredths of an hour: more than nothing, at most a whole day."""
    hundredths = to_hundredths(hours)
    if hundredths <= 0 or hundredths > 2400:
        raise RuleBroken(f"{hours} hours is not a length of time for one day (more than 0, at most 24).")
    return hundredths


def pay_pence(hours_hundredths: int, hourly_rate_pence: int) -> int:
    """Pay for one entry, to the nearest penny (halves round up)."""
    return (hours_hundredths * hourly_rate_pence * 2 + 100) // 200


def pounds(pence: int) -> str:
    return f"{pence // 100}.{pence % 100:02d}"


def pence_of(amount: Decimal) -> int:
    """An amount in pounds as whole pence."""
    return _hundredths(amount)


def _hundredths(value: Decimal) -> int:
    return int((value * 100).quantize(Decimal(1), ROUND_HALF_UP))


def money(pence: int) -> Decimal:
    return Decimal(pounds(pence))


def hours(hours_hundredths: int) -> Decimal:
    return (Decimal(hours_hundredths) / 100).quantize(Decimal("0.01"))


@dataclass(frozen=True)
class Holding:
    assignment_id: str
    starts_on: date
    ends_on: date | None
    paid: bool
    hourly_rate_pence: int

    def covers(self, day: date) -> bool:
        return self.starts_on <= day and (self.ends_on is None or day <= self.ends_on)


def holding_for(holdings: list[Holding], day: date) -> Holding | None:
    """The role a piece of time counts under: of the roles held that day, a paid one first, then
    the best paid, then the longest held."""
    current = [h for h in holdings if h.covers(day)]
    if not current:
        return None
    return min(current, key=lambda h: (not h.paid, -h.hourly_rate_pence, h.starts_on, h.assignment_id))


def chosen_holding(holdings: list[Holding], assignment_id: str, day: date) -> Holding:
    """The holding staff chose for a piece of time: the member must have held it that day."""
    holding = next((h for h in holdings if h.assignment_id == assignment_id), None)
    if holding is None or not holding.covers(day):
        raise RuleBroken(f"This member did not hold that role on {day:%d %B %Y}.")
    return holding


# -- involvement roles and who holds them ---------------------------------------------------
def overlaps(starts_on: date, ends_on: date | None, other_start: date, other_end: date | None) -> bool:
    return (ends_on is None or other_start <= ends_on) and (other_end is None or starts_on <= other_end)


def is_open(closing_date: date | None, today: date) -> bool:
    """A role takes interest until the end of its closing day, or for as long as it has none."""
    return closing_date is None or closing_date >= today


def places_left(vacancies: int, holdings: list[tuple[date, date | None]], today: date) -> int:
    """Places not filled today, given each holding's first and last day."""
    filled = sum(1 for starts_on, ends_on in holdings if overlaps(starts_on, ends_on, today, today))
    return max(vacancies - filled, 0)


def require_end_not_before_start(starts_on: date, ends_on: date) -> None:
    if ends_on < starts_on:
        raise RuleBroken(f"The end date cannot be before the start date ({starts_on:%d %B %Y}).")


def last_day_on_leaving(starts_on: date, today: date) -> date:
    """A member who leaves holds their roles until today; a holding that has not started yet ends
    on its first day: it never really began."""
    return max(today, starts_on)


def month_bounds(month: str) -> tuple[date, date]:
    """'2026-11' → (1 Nov 2026, 1 Dec 2026): the first day and the day after the last."""
    match = re.fullmatch(r"(\d{4})-(\d{2})", month)
    if not match or not 1 <= int(match.group(2)) <= 12:
        raise RuleBroken(f"{month!r} is not a month: please write it as YYYY-MM, for example 2026-11.")
    year, mon = int(match.group(1)), int(match.group(2))
    first = date(year, mon, 1)
    return first, date(year + mon // 12, mon % 12 + 1, 1)


def missing_contact(
    channel: str | None, email: str | None, phone: str | None, post: str | None
) -> str | None:
    """Why a preferred way of contact cannot be used, if it cannot."""
    needed = {
        Channel.email: (email, "an email address"),
        Channel.phone: (phone, "a phone number"),
        Channel.post: (post, "a postal address"),
    }
    if channel is None:
        return None
    detail, what = needed[Channel(channel)]
    return None if detail else f"You chose to be contacted by {channel}: please also give {what}."


def require_contact(channel: str | None, email: str | None, phone: str | None, post: str | None) -> None:
    """A preferred way of contact comes with the detail it needs."""
    problem = missing_contact(channel, email, phone, post)
    if problem:
        raise RuleBroken(problem)


# -- email to members -----------------------------------------------------------------------
# Email a member did not directly ask for has a topic (it carries a one-click unsubscribe), and goes
# only to a member who agreed to hear about that kind of thing. A direct answer to something the
# member did (joining, leaving, erasure, a sign-in link) has no topic and needs no consent.
ROLES_TOPIC = "membership.roles"
CONSENT_FOR_TOPIC = {ROLES_TOPIC: ConsentPurpose.involvement_opportunities}


def may_email(topic: str | None, answers: Mapping[ConsentPurpose, bool]) -> bool:
    """Whether a member may be sent email of `topic`, given their newest answer about each use of
    their details: always for a direct answer; otherwise only if they said yes to what the topic
    is about (no answer is no)."""
    if topic is None:
        return True
    purpose = CONSENT_FOR_TOPIC.get(topic)
    return purpose is not None and answers.get(purpose, False)


# -- signing in by an emailed link ----------------------------------------------------------
SIGN_IN_LINK_LIFETIME = timedelta(minutes=15)
SIGN_IN_LINKS_PER_WINDOW = 3  # links emailed to one member …
SIGN_IN_LINK_WINDOW = timedelta(minutes=15)  # … in any this long, so nobody can flood their inbox
MAX_NEXT_LENGTH = 2000


class LinkState(StrEnum):
    usable = "usable"
    used = "used"
    expired = "expired"


LINK_REFUSALS = {
    LinkState.used: "This sign-in link has already been used. Each link works once.",
    LinkState.expired: "This sign-in link has expired. Links work for 15 minutes.",
}
LINK_UNKNOWN = "This sign-in link is not valid. Check you copied all of it from the email."


def may_send_sign_in_link(sent_recently: int) -> bool:
    """Whether another link may be emailed to a member who was sent `sent_recently` in the window."""
    return sent_recently < SIGN_IN_LINKS_PER_WINDOW


def sign_in_link_state(expires_at: datetime, used_at: datetime | None, now: datetime) -> LinkState:
    if used_at is not None:
        return LinkState.used
    if now >= expires_at:
        return LinkState.expired
    return LinkState.usable


# -- where to go after signing in: this site, or another of the forum's sites (never elsewhere) --
_UNSAFE_IN_URL = re.compile(r"[\\\s\x00-\x1f\x7f]")
_DEFAULT_PORTS = {"http": 80, "https": 443}


def origin(url: str) -> str | None:
    """`scheme://host[:port]` of an absolute http(s) URL, as a browser writes an origin (lower
    case, the default port left out); None for anything else, or a URL naming a user."""
    if not url or len(url) > MAX_NEXT_LENGTH or _UNSAFE_IN_URL.search(url):
        return None
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    if scheme not in _DEFAULT_PORTS or not parts.hostname or parts.username is not None or "@" in parts.netloc:
        return None
    shown_port = f":{port}" if port is not None and port != _DEFAULT_PORTS[scheme] else ""
    return f"{scheme}://{parts.hostname}{shown_port}"


def forum_site_origin(url: str, sites: Iterable[str]) -> str | None:
    """The origin of `url` if it is one of the forum's sites' origins, else None."""
    found = origin(url)
    return found if found is not None and found in {origin(site) for site in sites} else None


def local_path(url: str) -> str | None:
    """`url` if it is a path on this site (not `//elsewhere`), else None."""
    if not url or len(url) > MAX_NEXT_LENGTH or _UNSAFE_IN_URL.search(url):
        return None
    if not url.startswith("/") or url.startswith("//"):
        return None
    return url


def safe_next(url: str | None, sites: Iterable[str]) -> str | None:
    """Where a member may be sent after signing in: a path here or a URL on one of the forum's
    sites; None for anything else, so a link can never send them to another site."""
    if not url:
        return None
    return local_path(url) or (url if forum_site_origin(url, sites) else None)


def with_query(url: str, name: str, value: str) -> str:
    """`url` with `name=value` in its query, replacing any `name` already there."""
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != name]
    return urlunsplit(parts._replace(query=urlencode([*query, (name, value)])))
