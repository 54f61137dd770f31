"""Events owned by the signposting service (stream `SIGNPOSTING`)."""

from collections.abc import Mapping
from datetime import datetime
from typing import ClassVar

from pydantic import Field

from forum_shared.events.event import Code, Event, Id


class SignpostingEvent(Event):
    owner: ClassVar[str] = "signposting"


class CommunityGroupRegistered(SignpostingEvent):
    """A community group joined the directory and can host pop-up forums."""

    consumed_by: ClassVar[tuple[str, ...]] = ("feedback", "meetings")

    free_text: ClassVar[Mapping[str, str]] = {
        "name": "a community group's public name in the directory",
    }

    community_group_id: Id = Field(description="Id of the group (its organization id in the directory).")
    name: str = Field(description="The group's public name.")
    areas: list[Code] = Field(default_factory=list, description="Areas of the county it covers.")


class CommunityGroupUpdated(SignpostingEvent):
    """A community group's public name or areas changed."""

    consumed_by: ClassVar[tuple[str, ...]] = ("feedback", "meetings")

    free_text: ClassVar[Mapping[str, str]] = {
        "name": "a community group's public name in the directory",
    }

    community_group_id: Id = Field(description="Id of the group.")
    name: str = Field(description="The group's public name.")
    areas: list[Code] = Field(default_factory=list, description="Areas of the county it covers.")


class CommunityGroupWithdrawn(SignpostingEvent):
    """A community group left the directory: it can no longer host pop-up forums."""

    consumed_by: ClassVar[tuple[str, ...]] = ("feedback", "meetings")

    community_group_id: Id = Field(description="Id of the group.")


class SignpostingGiven(SignpostingEvent):
    """Staff signposted someone. Anonymous by design: no person, only area, needs and suggestions."""

    signposting_id: Id = Field(description="Id of the signposting record.")
    given_at: datetime = Field(description="When (UTC).")
    area: Code | None = Field(default=None, description="Area (or postcode district) of the person.")
    needs: list[Code] = Field(default_factory=list, description="Needs, as taxonomy term ids or words.")
    service_ids: list[Id] = Field(default_factory=list, description="Services suggested; empty = unmet need.")
