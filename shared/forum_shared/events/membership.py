"""Events owned by the membership service (stream `MEMBERSHIP`)."""

from collections.abc import Mapping
from datetime import date, datetime
from typing import ClassVar

from pydantic import Field

from forum_shared.events.event import Code, Event, Id


class MembershipEvent(Event):
    owner: ClassVar[str] = "membership"


class MemberJoined(MembershipEvent):
    """Someone joined the forum. Carries no contact details: other services need only the id."""

    member_id: Id = Field(description="Stable id of the member in the membership service.")
    joined_at: datetime = Field(description="When the member joined (UTC).")
    area: Code | None = Field(
        default=None, description="The area the member said they live in, if they chose to."
    )


class MemberLeft(MembershipEvent):
    """A member left the forum; their record is kept (not erased) unless they also ask for erasure."""

    member_id: Id = Field(description="Id of the member who left.")
    left_at: datetime = Field(description="When they left (UTC).")


class MemberErased(MembershipEvent):
    """A member asked to be forgotten: every service must delete what identifies them."""

    consumed_by: ClassVar[tuple[str, ...]] = ("feedback", "meetings")

    member_id: Id = Field(description="Id of the erased member; the only trace other services keep.")
    erased_at: datetime = Field(description="When the erasure was carried out (UTC).")


class PartnerOrganisationJoined(MembershipEvent):
    """A partner organisation (the trust, a charity, a community group) joined the forum."""

    free_text: ClassVar[Mapping[str, str]] = {
        "name": "an organisation's public name: partners are organisations, not people",
    }

    organisation_id: Id = Field(description="Id of the organisation in the membership service.")
    name: str = Field(description="The organisation's public name.")
    kind: Code = Field(description="What kind of organisation: trust, charity, community group …")


class InvolvementRoleAdvertised(MembershipEvent):
    """An involvement role was advertised for members to express interest in."""

    free_text: ClassVar[Mapping[str, str]] = {
        "title": "the title of a role the forum advertises in public",
    }

    role_id: Id = Field(description="Id of the advertised role.")
    title: str = Field(description="The role's title, e.g. 'Pop-up forum facilitator'.")
    paid: bool = Field(description="Whether time in this role is paid.")
    closing_date: date | None = Field(default=None, description="Last day to express interest.")


class InvolvementRoleAssigned(MembershipEvent):
    """A member started holding an involvement role."""

    consumed_by: ClassVar[tuple[str, ...]] = ("meetings",)

    free_text: ClassVar[Mapping[str, str]] = {
        "role_title": "the advertised role's public title, so consumers need not look it up",
    }

    assignment_id: Id = Field(description="Id of this holding of the role (member, role, dates).")
    member_id: Id = Field(description="Id of the member who holds the role.")
    role_id: Id = Field(description="Id of the role.")
    role_title: str = Field(description="The role's title, so consumers need not look it up.")
    starts_on: date = Field(description="First day the member holds the role.")


class InvolvementRoleEnded(MembershipEvent):
    """A member stopped holding an involvement role."""

    consumed_by: ClassVar[tuple[str, ...]] = ("meetings",)

    assignment_id: Id = Field(description="Id of the holding that ended.")
    member_id: Id = Field(description="Id of the member.")
    role_id: Id = Field(description="Id of the role.")
    ends_on: date = Field(description="Last day the member held the role.")
