"""What the JSON API accepts and returns for pop-up forums and the groups and people they need."""

from datetime import date, datetime
from typing import Annotated

from pydantic import BaseModel, Field, field_validator

from meetings.schemas import TIME_HELP, MemberId, Request, Text

Topic = Annotated[str, Field(max_length=300)]


class PopUpForumCreate(Request):
    community_group_id: str = Field(min_length=1, max_length=64, description="A group from /community-groups.")
    facilitator_member_ids: list[MemberId] = Field(
        max_length=10, description="Exactly two members who hold involvement roles (see /role-holders)."
    )
    starts_at: datetime = Field(description=f"Start: {TIME_HELP}")
    ends_at: datetime = Field(description=f"End: {TIME_HELP}")
    venue: Text = Field(default=None, max_length=300, description="Where the group meets.")
    area: Text = Field(default=None, max_length=100, description="Area of the county (see /areas).")
    topics: list[Topic] = Field(default_factory=list, max_length=20, description="Current work to share.")

    @field_validator("topics")
    @classmethod
    def _drop_blank_topics(cls, value: list[str]) -> list[str]:
        return [t for t in value if t]


class PopUpForumHeldCreate(Request):
    participants: int = Field(ge=0, le=100000, description="How many people took part.")
    shared: str = Field(min_length=1, max_length=20000, description="What was shared with the group.")
    hours: float | None = Field(default=None, gt=0, le=12, description="Defaults to the planned length.")
    facilitator_member_ids: list[MemberId] | None = Field(
        default=None, max_length=10, description="Only if the facilitators changed on the day."
    )


class PopUpForumPublic(BaseModel):
    id: str
    community_group_id: str
    community_group_name: str | None
    facilitator_member_ids: list[str]
    starts_at: datetime = Field(description="Start in UK time, with its offset.")
    ends_at: datetime
    venue: str | None
    area: str | None
    topics: list[str]
    status: str = Field(description="planned, held or cancelled.")
    cancel_reason: str | None
    held_on: date | None
    hours: float | None
    participants: int | None
    shared: str | None


class CommunityGroupPublic(BaseModel):
    id: str
    name: str | None
    areas: list[str]
    can_host: bool = Field(description="False once the group has left the signposting directory.")


class RoleHoldingPublic(BaseModel):
    assignment_id: str
    role_id: str
    role_title: str | None
    starts_on: date | None
    ends_on: date | None


class RoleHolderPublic(BaseModel):
    member_id: str
    roles: list[RoleHoldingPublic]
