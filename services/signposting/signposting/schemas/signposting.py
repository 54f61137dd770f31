"""Signposting someone, anonymously, and the report of where people were signposted and where
nothing fitted. There is nowhere to put a name, contact details or notes, and the words that are
kept are refused if they look like contact details, a full postcode or a date."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints

from forum_shared.dates import Day, Moment
from forum_shared.text import Line
from signposting.domain import is_postcode, personal_detail_in


def no_personal_detail(value: str) -> str:
    try:
        UUID(value)
        return value  # an id, e.g. of a taxonomy term
    except ValueError:
        pass
    reason = personal_detail_in(value)
    if reason:
        raise ValueError(f"This looks like it contains {reason}. Signposting records are anonymous: leave it out.")
    return value


Anonymous = Annotated[Line, StringConstraints(min_length=1, max_length=100), AfterValidator(no_personal_detail)]


def postcode_or_anonymous(value: str) -> str:
    """A postcode alone is fine (only its district is kept); an address or anything personal is not."""
    return value if is_postcode(value) else no_personal_detail(value)


Area = Annotated[Line, StringConstraints(min_length=1, max_length=100), AfterValidator(postcode_or_anonymous)]


class SignpostingCreate(BaseModel):
    """Anonymous by design: there is nowhere to put a name, contact details or notes."""

    model_config = ConfigDict(extra="forbid")

    area: Area | None = Field(
        default=None, description="Where the person lives: a postcode district (PE1), district or town."
    )
    needs: list[Anonymous] = Field(
        default_factory=list, max_length=10, description="Needs, as taxonomy term ids or a few words each."
    )
    service_ids: list[UUID] = Field(
        default_factory=list, max_length=20, description="Services suggested; none means nothing fitted."
    )


class UnmetSearchCreate(BaseModel):
    """A staff search that found nothing, with the parameters `GET /services` was given: kept as
    unmet need. Only the postcode district, the needs and the words are kept, and the words are
    dropped if they look like contact details."""

    model_config = ConfigDict(extra="forbid")

    search: Annotated[Line, StringConstraints(max_length=200)] | None = Field(
        default=None, description="The words searched for."
    )
    taxonomy_term_ids: list[UUID] = Field(
        default_factory=list, max_length=10, description="The needs searched for, as taxonomy term ids."
    )
    postcode: Annotated[Line, StringConstraints(max_length=10)] | None = Field(
        default=None, description="The postcode or postcode district searched, e.g. PE1: only its district is kept."
    )
    area: Annotated[Line, StringConstraints(max_length=100)] | None = Field(
        default=None, description="The district, town or postcode district searched, e.g. Fenland or Wisbech."
    )


class UnmetSearchPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str
    searched_at: Moment
    area: str | None = Field(description="The postcode district or area searched, if any.")
    needs: list[str] = Field(description="The taxonomy term ids searched for.")
    words: str | None = Field(description="The words searched for, unless they looked like contact details.")


class SignpostingPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str
    given_at: Moment
    area: str | None
    needs: list[str]
    service_ids: list[str]


class CountPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    area: str | None = None
    district: str | None = None
    need: str | None = None
    need_name: str | None = Field(default=None, description="The taxonomy term's name, when the need is a term.")
    count: int


class UnmetNeedPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    signposted_to_nothing: list[CountPublic] = Field(
        description="Signposting where no service fitted, by area and need."
    )
    searches_found_nothing: list[CountPublic] = Field(description="Searches that found nothing, by area and need.")
    search_words: list[CountPublic] = Field(description="Words of searches that found nothing, by area.")


class SignpostingReportPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    since: Day | None
    until: Day | None
    signposting_total: int
    by_area: list[CountPublic]
    by_need: list[CountPublic]
    by_area_and_need: list[CountPublic]
    unmet_need: UnmetNeedPublic
