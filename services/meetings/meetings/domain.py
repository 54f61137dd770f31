"""Pure rules of forum meetings and pop-up forums. Imports only the standard library and the kit's
framework-free refusal: every rule that says no raises `RuleBroken` (HTTP 422), with words a person
can act on."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from forum_shared.errors import RuleBroken

# The forum meets in Cambridgeshire and Peterborough: every time people see is London time.
LONDON = ZoneInfo("Europe/London")
REMINDER_AHEAD = timedelta(days=1)
FACILITATORS_PER_POP_UP = 2


class MeetingStatus(StrEnum):
    scheduled = "scheduled"
    cancelled = "cancelled"
    held = "held"


class PopUpStatus(StrEnum):
    planned = "planned"
    cancelled = "cancelled"
    held = "held"


class RegistrationStatus(StrEnum):
    registered = "registered"
    waiting = "waiting"
    cancelled = "cancelled"


class ActionStatus(StrEnum):
    open = "open"
    completed = "completed"


class AgendaKind(StrEnum):
    item = "item"
    escalation = "escalation"
    overdue_escalation = "overdue_escalation"
    carried_action = "carried_action"


class AccessService(StrEnum):
    """Access support a meeting offers, or a person registering asks for."""

    bsl_interpreter = "bsl_interpreter"
    hearing_loop = "hearing_loop"
    step_free_access = "step_free_access"
    accessible_toilet = "accessible_toilet"
    live_captions = "live_captions"
    large_print = "large_print"
    easy_read = "easy_read"
    quiet_space = "quiet_space"
    travel_expenses = "travel_expenses"
    carer_expenses = "carer_expenses"


ACCESS_LABELS = {
    AccessService.bsl_interpreter: "BSL interpreter",
    AccessService.hearing_loop: "hearing loop",
    AccessService.step_free_access: "step-free access",
    AccessService.accessible_toilet: "accessible toilet",
    AccessService.live_captions: "live captions",
    AccessService.large_print: "large print papers",
    AccessService.easy_read: "easy read papers",
    AccessService.quiet_space: "quiet space",
    AccessService.travel_expenses: "travel expenses paid",
    AccessService.carer_expenses: "carer costs paid",
}


def access_label(value: str) -> str:
    """How a kind of access support is named to people."""
    try:
        return ACCESS_LABELS[AccessService(value)]
    except ValueError:
        return value.replace("_", " ")


# -- time ------------------------------------------------------------------------------------
def to_london(moment: datetime) -> datetime:
    """A moment as London time. A time without an offset is read as London wall-clock time,
    which is what a person means by "7pm on 3 December"; one that the clocks skip (spring) or
    show twice (autumn) is refused rather than guessed."""
    if moment.tzinfo is not None:
        return moment.astimezone(LONDON)
    first = moment.replace(tzinfo=LONDON, fold=0)
    second = moment.replace(tzinfo=LONDON, fold=1)
    if first.astimezone(UTC).astimezone(LONDON).replace(tzinfo=None) != moment:
        raise RuleBroken(
            f"{moment:%H:%M} on {long_date(moment.date())} does not exist in UK time: the clocks go "
            "forward that night. Please choose another time."
        )
    if first.utcoffset() != second.utcoffset():
        raise RuleBroken(
            f"{moment:%H:%M} on {long_date(moment.date())} happens twice in UK time: the clocks go "
            "back that night. Please give the time with its UTC offset (+01:00 or +00:00)."
        )
    return first


def local_day(moment: datetime) -> date:
    return to_london(moment).date()


def long_date(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def clock(moment: datetime) -> str:
    """'7pm', '10:30am': the time of day as NHS.UK writes it."""
    hour = moment.hour % 12 or 12
    minutes = "" if moment.minute == 0 else f":{moment:%M}"
    return f"{hour}{minutes}{'am' if moment.hour < 12 else 'pm'}"


def day_text(moment: datetime) -> str:
    """'Thursday 3 December 2026', the day in UK time."""
    local = to_london(moment)
    return f"{local:%A} {long_date(local.date())}"


def when(start: datetime, end: datetime | None = None) -> str:
    """'Thursday 3 December 2026, 7pm to 9pm' in UK time."""
    start = to_london(start)
    text = f"{day_text(start)}, {clock(start)}"
    if end is not None:
        end = to_london(end)
        text += f" to {clock(end)}" if end.date() == start.date() else f" to {end.day} {end:%B} {clock(end)}"
    return text


def london_times(starts_at: datetime, ends_at: datetime) -> tuple[datetime, datetime]:
    """A start and end in London time, the end after the start and within twelve hours of it."""
    start, end = to_london(starts_at), to_london(ends_at)
    check_times(start, end)
    return start, end


def hours_between(start: datetime, end: datetime) -> float:
    return round((end - start).total_seconds() / 3600, 2)


def check_times(starts_at: datetime, ends_at: datetime) -> None:
    if ends_at <= starts_at:
        raise RuleBroken("The end must be after the start.")
    if ends_at - starts_at > timedelta(hours=12):
        raise RuleBroken("A meeting cannot last more than 12 hours; please check the start and end.")


def one_year_before(day: date) -> date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)


# -- where meetings are held -------------------------------------------------------------------
def attendance_mode(venue: str | None, online_url: str | None) -> str:
    if venue and online_url:
        return "hybrid"
    return "in_person" if venue else "online"


def check_place(venue: str | None, area: str | None, online_url: str | None) -> None:
    if not venue and not online_url:
        raise RuleBroken("Give a venue, an online link, or both (for a hybrid meeting).")
    if venue and not area:
        raise RuleBroken("Say which area of the county the venue is in.")
    if area and not venue:
        raise RuleBroken("An online-only meeting is not held in an area: give a venue too, or leave the area out.")


def match_area(area: str | None, areas: Iterable[str]) -> str | None:
    """The configured spelling of `area`, or a refusal listing the areas to choose from."""
    if area is None:
        return None
    areas = list(areas)
    for known in areas:
        if known.casefold() == area.strip().casefold():
            return known
    raise RuleBroken(f"'{area}' is not one of the forum's areas. Choose one of: {', '.join(areas)}.")


def suggest_area(areas: list[str], last_visits: Mapping[str, date]) -> str | None:
    """The area visited least recently: one never visited first, in the configured order."""
    if not areas:
        return None
    never = [a for a in areas if a not in last_visits]
    if never:
        return never[0]
    return min(areas, key=lambda a: (last_visits[a], areas.index(a)))


def same_area_warning(area: str | None, previous: tuple[str, date] | None, suggestion: str | None) -> str | None:
    """A warning when a meeting is in the same area as the one before it."""
    if area is None or previous is None or previous[0] != area:
        return None
    warning = (
        f"The previous meeting ({long_date(previous[1])}) was also in {area}. "
        "The forum moves around the county so that everyone can take part"
    )
    if suggestion and suggestion != area:
        warning += f"; {suggestion} has waited longest for a meeting"
    return warning + "."


# -- registration ------------------------------------------------------------------------------
def place_for(capacity: int | None, registered: int) -> RegistrationStatus:
    if capacity is None or registered < capacity:
        return RegistrationStatus.registered
    return RegistrationStatus.waiting


def places_to_offer(capacity: int | None, registered: int, waiting: int) -> int:
    """How many people at the front of the waiting list now get a place."""
    free = waiting if capacity is None else max(capacity - registered, 0)
    return min(free, waiting)


# -- agenda ------------------------------------------------------------------------------------
def overdue_at(due_on: date | None, day: date) -> bool:
    """Overdue on `day`: due before it. An action due that very day is not overdue yet."""
    return due_on is not None and due_on < day


def carried_forward(due_on: date | None, meeting_day: date, today: date) -> bool:
    """An open action goes on a later meeting's agenda as overdue once it is overdue both on the
    meeting's day and today (London): an action due before next week's meeting but after today
    is not overdue yet, and shows up by itself once its day has passed."""
    return overdue_at(due_on, min(meeting_day, today))


# -- pop-up forums -----------------------------------------------------------------------------
def pop_up_area(given: str | None, group_areas: Iterable[str], areas: Iterable[str]) -> str | None:
    """The area a pop-up forum is held in: the one given, else the first of its community group's
    areas that is one of the forum's areas (a group may also name towns or postcode districts)."""
    areas = list(areas)
    if given is not None:
        return match_area(given, areas)
    known = {a.casefold(): a for a in areas}
    return next((known[g.strip().casefold()] for g in group_areas if g.strip().casefold() in known), None)


@dataclass(frozen=True)
class RoleHolding:
    member_id: str
    starts_on: date | None
    ends_on: date | None

    def held_on(self, day: date) -> bool:
        # A holding whose start we have not heard of yet does not count.
        return self.starts_on is not None and self.starts_on <= day and (self.ends_on is None or day <= self.ends_on)


def check_facilitators(member_ids: list[str], holdings: Iterable[RoleHolding], days: Iterable[date]) -> list[str]:
    """Exactly two different members, each holding an involvement role on every one of `days`."""
    ids = [m.strip() for m in member_ids]
    if len(ids) != FACILITATORS_PER_POP_UP:
        raise RuleBroken(
            "A pop-up forum needs exactly two facilitators who hold involvement roles; "
            f"{len(ids)} {'was' if len(ids) == 1 else 'were'} given."
        )
    if ids[0] == ids[1]:
        raise RuleBroken("The two facilitators must be two different members.")
    holdings = list(holdings)
    days = list(days)
    for member_id in ids:
        mine = [h for h in holdings if h.member_id == member_id]
        if not all(any(h.held_on(day) for h in mine) for day in days):
            raise RuleBroken(
                f"Member {member_id} does not currently hold an involvement role, so cannot "
                "facilitate a pop-up forum. Choose a member who holds one."
            )
    return ids

