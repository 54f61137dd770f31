"""What the JSON API accepts and returns about members."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, EmailStr, Field, field_validator

from forum_shared.dates import AwareMoment, Moment
from forum_shared.text import FilledLine, Line, Text
from membership import domain
from membership.domain import Channel, ConsentPurpose, MemberStatus
from membership.schemas.base import Public, clean_name, clean_phone, clean_text, own_words


class ConsentAnswer(BaseModel):
    model_config = ConfigDict(extra="forbid")

    purpose: ConsentPurpose = Field(description="What the answer is about (see GET /members/choices).")
    given: bool = Field(default=True, description="True to agree, false to say no or withdraw.")
    given_at: AwareMoment | None = Field(
        default=None, description="When the person answered (e.g. on a paper form); now if left out."
    )

    @field_validator("given_at")
    @classmethod
    def _not_in_future(cls, value: Moment | None) -> datetime | None:
        if value is not None and value > datetime.now(value.tzinfo):
            raise ValueError("The time a consent was given cannot be in the future.")
        return value


class _Details(BaseModel):
    """Fields a member may give when joining and change later; all optional."""

    model_config = ConfigDict(extra="forbid")

    email: EmailStr | None = Field(default=None, description="To hear about meetings, if you wish.")
    phone: Line | None = Field(default=None, max_length=50, description="A phone number, if you wish.")
    postal_address: Text | None = Field(
        default=None, max_length=1000, description="To receive post, if you wish."
    )
    preferred_channel: Channel | None = Field(
        default=None, description="How you would like us to contact you."
    )
    area: Line | None = Field(default=None, max_length=100, description="Your district or postcode area.")
    connections: list[Line] = Field(
        default_factory=list,
        max_length=10,
        description="How you describe your connection to the forum, in your words (none is fine).",
    )
    access_needs: list[Line] = Field(
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
        return own_words(value, domain.SUGGESTED_CONNECTIONS)

    @field_validator("access_needs")
    @classmethod
    def _access_needs(cls, value: list[str]) -> list[str]:
        return own_words(value, domain.SUGGESTED_ACCESS_NEEDS)


class MemberCreate(_Details):
    """Only a name is needed to join; everything else is the person's choice."""

    display_name: FilledLine = Field(
        max_length=200, description="Your name, or the name you would like to use."
    )

    @field_validator("display_name")
    @classmethod
    def _display_name(cls, value: str) -> str:
        return clean_name(value)


class MemberUpdate(_Details):
    """Send only what changes; `null` clears a detail. Consents given here are added to the history."""

    display_name: FilledLine | None = Field(default=None, max_length=200, description="A new name to use.")

    @field_validator("display_name")
    @classmethod
    def _display_name(cls, value: str | None) -> str:
        if value is None:
            raise ValueError("A name cannot be removed: please give the name you would like to use.")
        return clean_name(value)


class ConsentPublic(Public):
    purpose: ConsentPurpose
    wording: str
    given: bool
    given_at: Moment


class MemberPublic(Public):
    id: str
    display_name: str
    email: str | None
    phone: str | None
    postal_address: str | None = None
    preferred_channel: Channel | None = None
    area: str | None
    connections: list[str]
    access_needs: list[str] = []
    consents: list[ConsentPublic] = Field(default=[], description="The newest answer for each purpose.")
    status: MemberStatus = Field(description="active, or left.")
    joined_at: Moment
    updated_at: Moment | None = None
    left_at: Moment | None = None


class ConsentPurposePublic(Public):
    purpose: ConsentPurpose
    wording: str


class MemberChoicesPublic(Public):
    """Suggestions to offer people; every list also accepts their own words."""

    connections: list[str]
    access_needs: list[str]
    areas: list[str]
    preferred_channels: list[Channel]
    consent_purposes: list[ConsentPurposePublic]
    organisation_kinds: list[str]

    @classmethod
    def offered(cls) -> MemberChoicesPublic:
        """What the domain suggests today."""
        return cls(
            connections=list(domain.SUGGESTED_CONNECTIONS),
            access_needs=list(domain.SUGGESTED_ACCESS_NEEDS),
            areas=list(domain.SUGGESTED_AREAS),
            preferred_channels=list(Channel),
            consent_purposes=[
                ConsentPurposePublic(purpose=p, wording=w) for p, w in domain.CONSENT_WORDING.items()
            ],
            organisation_kinds=list(domain.SUGGESTED_ORGANISATION_KINDS),
        )


class JoiningPublic(Public):
    """What anyone but staff is told on joining: the same whether or not the email given was
    already a member's, so joining cannot be used to find out who is a member."""

    message: str = Field(
        default=(
            "Thank you. You are a member of the Partnership Forum. If you gave us a way to contact you "
            "and said you would like to hear about meetings, we will let you know about the next one."
        ),
        description="The same for everyone who joins.",
    )


class ErasurePublic(Public):
    member_id: str
    erased_at: Moment
    message: str
