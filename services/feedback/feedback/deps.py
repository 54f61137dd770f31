"""What routes and pages take from the running service: its rules, and today where the forum is."""

from datetime import UTC, date, datetime
from typing import Annotated

from fastapi import Depends, Request

from feedback.domain import Rules


async def get_rules(request: Request) -> Rules:
    return request.app.state.kit.settings.rules()


RulesDep = Annotated[Rules, Depends(get_rules)]


async def get_today(rules: RulesDep) -> date:
    """Today where the forum is, for respond-by dates and overdue flags."""
    return rules.local_date(datetime.now(UTC))


TodayDep = Annotated[date, Depends(get_today)]
