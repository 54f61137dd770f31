"""Registration for a meeting, and the list of who has a place and who is waiting."""


from pydantic import ConfigDict, Field, model_validator

from forum_shared.dates import Moment
from meetings.domain import AccessService, RegistrationStatus
from meetings.schemas.common import Email, OptionalLine, OptionalText, Public, Request


class RegistrationNeeds(Request):
    """What would help someone take part: all a person changes about their registration later,
    through the link in their email."""

    access_needs: list[AccessService] = Field(default_factory=list, max_length=20)
    access_notes: OptionalText = Field(default=None, max_length=2000, description="Anything else that would help.")


class MemberRegistrationDetails(Request):
    """What a member signed in through membership gives when registering: where to send the
    confirmation, if they wish, and what would help (fields in the order the form shows them)."""

    contact_email: Email = Field(default=None, description="Where to send the confirmation, if anywhere.")
    access_needs: list[AccessService] = Field(default_factory=list, max_length=20)
    access_notes: OptionalText = Field(default=None, max_length=2000, description="Anything else that would help.")


class RegistrationCreate(Request):
    """A member registers with their member id (and, if they wish, an email address for the
    confirmation and any change to the meeting); a member of the public with a name and, if they
    wish, a way to contact them. Nothing else is asked."""

    member_id: OptionalLine = Field(default=None, max_length=64)
    name: OptionalLine = Field(default=None, max_length=200, description="For members of the public.")
    contact_email: Email = Field(default=None, description="Where to send the confirmation and any change.")
    contact_phone: OptionalLine = Field(default=None, max_length=50, description="For members of the public.")
    access_needs: list[AccessService] = Field(default_factory=list, max_length=20)
    access_notes: OptionalText = Field(default=None, max_length=2000, description="Anything else that would help.")

    model_config = ConfigDict(
        json_schema_extra={
            "oneOf": [
                {
                    "title": "A member",
                    "required": ["member_id"],
                    "properties": {"member_id": {"type": "string", "pattern": r"\S"}, "name": {"type": "null"},
                                   "contact_phone": {"type": "null"}},
                },
                {
                    "title": "A member of the public",
                    "required": ["name"],
                    "properties": {"name": {"type": "string", "pattern": r"\S"}, "member_id": {"type": "null"}},
                },
            ]
        }
    )

    @model_validator(mode="after")
    def _member_or_named(self) -> "RegistrationCreate":
        if self.member_id and (self.name or self.contact_phone):
            # (Not the word "email": the pages would read it as a badly written address.)
            raise ValueError(
                "Members register with their member id only: their name and phone number stay in membership."
            )
        if not self.member_id and not self.name:
            raise ValueError("Give a member id, or a name for a member of the public.")
        return self


class RegistrationPublic(Public):
    id: str
    meeting_id: str
    status: RegistrationStatus = Field(description="registered, waiting or cancelled.")
    waiting_position: int | None = Field(description="1 = next to get a place; only while waiting.")
    member_id: str | None
    name: str | None
    contact_email: str | None
    contact_phone: str | None
    access_needs: list[str]
    access_notes: str | None
    registered_at: Moment
    promoted_at: Moment | None
    cancelled_at: Moment | None


class RegistrationsPublic(Public):
    meeting_id: str
    capacity: int | None
    registered: int
    waiting: int
    places_left: int | None
    access_needs: dict[str, int] = Field(description="How many registered people asked for each.")
    registrations: list[RegistrationPublic]
