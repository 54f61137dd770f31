"""Pop-up forums, and the community groups and role holders they are planned with."""

from typing import Annotated

from pydantic import Field, field_validator

from forum_shared.dates import Day, Moment
from forum_shared.text import Line, Text
from meetings.domain import PopUpStatus
from meetings.schemas.common import TIME_HELP, MemberId, OptionalLine, Public, Request

Topic = Annotated[Line, Field(max_length=300)]


class PopUpForumCreate(Request):
    community_group_id: Annotated[Line, Field(min_length=1, max_length=64)] = Field(
        description="A group from /community-groups."
    )
    facilitator_member_ids: list[MemberId] = Field(
        max_length=10, description="Exactly two members who hold involvement roles (see /role-holders)."
    )
    starts_at: Moment = Field(description=f"Start: {TIME_HELP}")
    ends_at: Moment = Field(description=f"End: {TIME_HELP}")
    venue: OptionalLine = Field(default=None, max_length=300, description="Where the group meets.")
    area: OptionalLine = Field(
        default=None, max_length=100,
        description="Area of the county (see /areas); left out, the first of the group's areas that is one of them.",
    )
    topics: list[Topic] = Field(default_factory=list, max_length=20, description="Current work to share.")

    @field_validator("topics")
    @classmethod
    def _drop_blank_topics(cls, value: list[str]) -> list[str]:
        return [t for t in value if t]


class PopUpForumHeldCreate(Request):
    participants: int = Field(ge=0, le=100000, description="How many people took part.")
    shared: Annotated[Text, Field(min_length=1, max_length=20000)] = Field(
        description="What was shared with the group."
    )
    hours: float | None = Field(default=None, gt=0, le=12, description="Defaults to the planned length.")
    facilitator_member_ids: list[MemberId] | None = Field(
        default=None, max_length=10, description="Only if the facilitators changed on the day."
    )


class PopUpForumPublic(Public):
    id: str
    community_group_id: str
    community_group_name: str | None
    community_group_areas: list[str] = Field(default=[], description="Areas the hosting group covers.")
    facilitator_member_ids: list[str]
    starts_at: Moment = Field(description="Start in UK time, with its offset.")
    ends_at: Moment
    venue: str | None
    area: str | None
    topics: list[str]
    status: PopUpStatus = Field(description="planned, held or cancelled.")
    cancel_reason: str | None
    held_on: Day | None
    hours: float | None
    participants: int | None
    shared: str | None


class CommunityGroupPublic(Public):
    id: str
    name: str | None
    areas: list[str]
    can_host: bool = Field(description="False once the group has left the signposting directory.")


class RoleHoldingPublic(Public):
    assignment_id: str
    role_id: str
    role_title: str | None
    starts_on: Day | None
    ends_on: Day | None


class RoleHolderPublic(Public):
    member_id: str
    roles: list[RoleHoldingPublic]
