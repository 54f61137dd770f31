"""What the JSON API accepts and returns about members, partner organisations and reports."""

from __future__ import annotations

import re
from datetime import datetime

from pydantic import AwareDatetime, BaseModel, ConfigDict, EmailStr, Field, HttpUrl, field_validator

from membership import domain
from membership.domain import Channel, ConsentPurpose

_PHONE = re.compile(r"^\+?[\d\s()\-.]+$")


def clean_name(value: str) -> str:
    value = domain.tidy(value)
    if not value:
        raise ValueError("Please tell us a name (any name you are happy to use).")
    return value


def clean_phone(value: str | None) -> str | None:
    if value is None or not value.strip():
        return None
    value = domain.tidy(value)
    if not _PHONE.match(value) or sum(c.isdigit() for c in value) < 6:
        raise ValueError("Please give a phone number using digits, for example 01733 123456.")
    return value


def clean_text(value: str | None) -> str | None:
    if value is None:
        return None
    return value.strip() or None


class ConsentAnswer(BaseModel):
    model_config = ConfigDict(extra="forbid")

    purpose: ConsentPurpose = Field(description="What the answer is about (see GET /members/choices).")
    given: bool = Field(default=True, description="True to agree, false to say no or withdraw.")
    given_at: AwareDatetime | None = Field(
        default=None, description="When the person answered (e.g. on a paper form); now if left out."
    )

    @field_validator("given_at")
    @classmethod
    def _not_in_future(cls, value: datetime | None) -> datetime | None:
        if value is not None and value > datetime.now(value.tzinfo):
            raise ValueError("The time a consent was given cannot be in the future.")
        return value


class _Details(BaseModel):
    """Fields a member may give when joining and change later; all optional."""

    model_config = ConfigDict(extra="forbid")

    email: EmailStr | None = Field(default=None, description="To hear about meetings, if you wish.")
    phone: str | None = Field(default=None, max_length=50, description="A phone number, if you wish.")
    postal_address: str | None = Field(
        default=None, max_length=1000, description="To receive post, if you wish."
    )
    preferred_channel: Channel | None = Field(
        default=None, description="How you would like us to contact you."
    )
    area: str | None = Field(default=None, max_length=100, description="Your district or postcode area.")
    connections: list[str] = Field(
        default_factory=list,
        max_length=10,
        description="How you describe your connection to the forum, in your words (none is fine).",
    )
    access_needs: list[str] = Field(
        default_factory=list, max_length=20, description="Anything that helps you take part, in your words."
    )
    consents: list[ConsentAnswer] = Field(
        default_factory=list, max_length=20, description="Your answers about how we may use your details."
    )

    @field_validator("phone")
    @classmethod
    def _phone(cls, value: str | None) -> str | None:
        return clean_phone(value)

    @field_validator("postal_address")
    @classmethod
    def _postal_address(cls, value: str | None) -> str | None:
        return clean_text(value)

    @field_validator("area")
    @classmethod
    def _area(cls, value: str | None) -> str | None:
        return domain.tidy_area(value)

    @field_validator("email")
    @classmethod
    def _lower(cls, value: str | None) -> str | None:
        return value.lower() if value else None

    @field_validator("connections")
    @classmethod
    def _connections(cls, value: list[str]) -> list[str]:
        return domain.tidy_labels(value, domain.SUGGESTED_CONNECTIONS)

    @field_validator("access_needs")
    @classmethod
    def _access_needs(cls, value: list[str]) -> list[str]:
        return domain.tidy_labels(value, domain.SUGGESTED_ACCESS_NEEDS)


class MemberCreate(_Details):
    """Only a name is needed to join; everything else is the person's choice."""

    display_name: str = Field(max_length=200, description="Your name, or the name you would like to use.")

    @field_validator("display_name")
    @classmethod
    def _display_name(cls, value: str) -> str:
        return clean_name(value)


class MemberUpdate(_Details):
    """Send only what changes; `null` clears a detail. Consents given here are added to the history."""

    display_name: str | None = Field(default=None, max_length=200, description="A new name to use.")

    @field_validator("display_name")
    @classmethod
    def _display_name(cls, value: str | None) -> str:
        if value is None:
            raise ValueError("A name cannot be removed: please give the name you would like to use.")
        return clean_name(value)


class ConsentPublic(BaseModel):
    purpose: str
    wording: str
    given: bool
    given_at: datetime


class MemberPublic(BaseModel):
    id: str
    display_name: str
    email: str | None
    phone: str | None
    postal_address: str | None = None
    preferred_channel: str | None = None
    area: str | None
    connections: list[str]
    access_needs: list[str] = []
    consents: list[ConsentPublic] = Field(default=[], description="The newest answer for each purpose.")
    status: str = Field(description="active, or left.")
    joined_at: datetime
    updated_at: datetime | None = None
    left_at: datetime | None = None


class ConsentPurposePublic(BaseModel):
    purpose: str
    wording: str


class MemberChoicesPublic(BaseModel):
    """Suggestions to offer people; every list also accepts their own words."""

    connections: list[str]
    access_needs: list[str]
    areas: list[str]
    preferred_channels: list[str]
    consent_purposes: list[ConsentPurposePublic]
    organisation_kinds: list[str]


class ErasurePublic(BaseModel):
    member_id: str
    erased_at: datetime
    message: str


class OrganisationCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(max_length=200, description="The organisation's public name.")
    kind: str = Field(max_length=100, description="Trust, charity, peer support network, community group …")
    description: str | None = Field(
        default=None, max_length=2000, description="What it does, in a few words."
    )
    website: HttpUrl | None = None
    area: str | None = Field(default=None, max_length=100, description="Where it works, if in one area.")

    @field_validator("name", "kind")
    @classmethod
    def _required(cls, value: str) -> str:
        value = domain.tidy(value)
        if not value:
            raise ValueError("This cannot be empty.")
        return value

    @field_validator("area")
    @classmethod
    def _area(cls, value: str | None) -> str | None:
        return domain.tidy_area(value)

    @field_validator("description")
    @classmethod
    def _description(cls, value: str | None) -> str | None:
        return clean_text(value)


class RepresentativeCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    member_id: str = Field(max_length=64, description="The member who represents the organisation.")
    position: str | None = Field(
        default=None, max_length=200, description="Their position, if they give one."
    )

    @field_validator("position")
    @classmethod
    def _position(cls, value: str | None) -> str | None:
        return clean_text(value)


class RepresentativePublic(BaseModel):
    member_id: str
    display_name: str
    position: str | None
    since: datetime


class OrganisationPublic(BaseModel):
    id: str
    name: str
    kind: str
    description: str | None
    website: str | None
    area: str | None
    joined_at: datetime
    representatives: list[RepresentativePublic]


class CountPublic(BaseModel):
    label: str
    count: int | None = Field(description="The number, or null when it is too small to show safely.")
    shown: str = Field(description='What to display: the number, or "fewer than 5".')


class DiversityPublic(BaseModel):
    """Counts for diversity reporting. No individual can be picked out (see `note`)."""

    small_count_threshold: int
    note: str
    members: CountPublic
    by_area: list[CountPublic]
    by_connection: list[CountPublic]
