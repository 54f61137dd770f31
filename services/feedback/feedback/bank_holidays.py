"""England's bank holidays, which respond-by dates skip: the rules the government has set since
1978, and the one-off days it has added, as GOV.UK lists them (https://www.gov.uk/bank-holidays).

Written out here rather than taken from a holidays library, which loads every country's and
calendar's rules (about 20 MB of the service's memory) to answer for one. A new one-off bank
holiday is added to `ONE_OFF`, or a moved one to `MOVED`, when the government announces it; a test
checks these rules against the `holidays` package for every year from 1980 to 2045.
"""

from __future__ import annotations

import functools
from datetime import date, timedelta

MONDAY, FRIDAY, SATURDAY, SUNDAY = 0, 4, 5, 6

# Bank holidays the government moved from their usual day, by (year, usual day): the new day.
MOVED = {
    (1995, "early May"): date(1995, 5, 8),  # 50th anniversary of VE Day
    (2002, "spring"): date(2002, 6, 4),  # Golden Jubilee
    (2012, "spring"): date(2012, 6, 4),  # Diamond Jubilee
    (2020, "early May"): date(2020, 5, 8),  # 75th anniversary of VE Day
    (2022, "spring"): date(2022, 6, 2),  # Platinum Jubilee
}
# Days added once.
ONE_OFF = frozenset({
    date(1981, 7, 29),  # Wedding of Charles and Diana
    date(1999, 12, 31),  # Millennium
    date(2002, 6, 3),  # Golden Jubilee
    date(2011, 4, 29),  # Wedding of William and Catherine
    date(2012, 6, 5),  # Diamond Jubilee
    date(2022, 6, 3),  # Platinum Jubilee
    date(2022, 9, 19),  # State funeral of Queen Elizabeth II
    date(2023, 5, 8),  # Coronation of Charles III
})


def easter_sunday(year: int) -> date:
    """Western Easter (the Gregorian computus: Meeus, Jones and Butcher)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    m = (32 + 2 * e + 2 * i - h - k) % 7
    n = (a + 11 * h + 22 * m) // 451
    month, day = divmod(h + m - 7 * n + 114, 31)
    return date(year, month, day + 1)


def _first_monday(year: int, month: int) -> date:
    first = date(year, month, 1)
    return first + timedelta(days=(MONDAY - first.weekday()) % 7)


def _last_monday(year: int, month: int) -> date:
    last = (date(year + month // 12, month % 12 + 1, 1)) - timedelta(days=1)
    return last - timedelta(days=(last.weekday() - MONDAY) % 7)


def _new_year(year: int) -> set[date]:
    day = date(year, 1, 1)
    if day.weekday() == SATURDAY:
        return {day, date(year, 1, 3)}
    if day.weekday() == SUNDAY:
        return {day, date(year, 1, 2)}
    return {day}


def _christmas(year: int) -> set[date]:
    """Christmas Day and Boxing Day, and a weekday in place of each that falls at a weekend."""
    christmas = date(year, 12, 25)
    days = {christmas, date(year, 12, 26)}
    if christmas.weekday() in (FRIDAY, SATURDAY):  # Boxing Day, or both, at the weekend
        days.add(date(year, 12, 28))
    if christmas.weekday() in (SATURDAY, SUNDAY):  # Christmas Day at the weekend
        days.add(date(year, 12, 27))
    return days


@functools.cache
def in_year(year: int) -> frozenset[date]:
    """England's bank holidays in `year` (with the weekend days they stand in for)."""
    easter = easter_sunday(year)
    usual = {
        "early May": _first_monday(year, 5),
        "spring": _last_monday(year, 5),
        "summer": _last_monday(year, 8),
    }
    days = {MOVED.get((year, name), day) for name, day in usual.items()}
    days |= {easter - timedelta(days=2), easter + timedelta(days=1)}
    days |= _new_year(year) | _christmas(year)
    days |= {day for day in ONE_OFF if day.year == year}
    return frozenset(days)


def in_england(day: date) -> bool:
    return day in in_year(day.year)
