"""What the store's queries return and the use cases pass on: frozen records, one per thing the
forum reasons about.

HSDS objects themselves travel as `hsds.Document` (JSON by the standard's field names); these
records carry what the forum's own rules look at, beside that document where one is needed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from signposting.domain import ChangeKind, CommunityGroupStatus, ListingKind, ServiceStatus
from signposting.hsds import Document


@dataclass(frozen=True)
class Organization:
    """An organisation of the directory, with the forum's community-group state (never shown in
    Open Referral responses)."""

    id: str
    name: str
    description: str
    email: str | None
    website: str | None
    created_at: datetime
    verified_on: date | None
    community_group: bool
    community_status: CommunityGroupStatus | None
    registered_at: datetime | None
    last_visited_on: date | None
    last_pop_up_id: str | None
    pop_up_count: int
    group_service_id: str | None

    @property
    def is_active_group(self) -> bool:
        """Whether it can host pop-up forums now."""
        return self.community_group and self.community_status == CommunityGroupStatus.ACTIVE


@dataclass(frozen=True)
class CommunityGroup:
    """An organisation that can host (or could once host) the forum's pop-up forums."""

    id: str
    name: str
    description: str
    areas: list[str]
    email: str | None
    phone: str | None
    website: str | None
    status: CommunityGroupStatus
    registered_at: datetime | None
    last_visited_on: date | None
    pop_up_count: int
    service_id: str | None


@dataclass(frozen=True)
class OrganizationSummary:
    """An organisation as the directory lists it for staff: how many services, whether a group."""

    id: str
    name: str
    community_group: bool
    community_status: CommunityGroupStatus | None
    verified_on: date | None
    services: int


@dataclass(frozen=True)
class Service:
    """A service of the directory: what the forum's rules look at, and the whole HSDS object."""

    id: str
    organization_id: str
    name: str
    status: ServiceStatus
    hsds: Document


@dataclass(frozen=True)
class Listing:
    """A listing's verification: one never verified counts from the day it was added."""

    kind: ListingKind
    id: str
    name: str
    verified_on: date | None
    stale: bool


@dataclass(frozen=True)
class Change:
    """One change to a listing (HSDS `metadata`): who changed which field, when, from what to what."""

    id: str
    resource_id: str
    resource_type: str
    last_action_date: datetime
    last_action_type: ChangeKind
    field_name: str
    previous_value: str
    replacement_value: str
    updated_by: str


@dataclass(frozen=True)
class Signposting:
    """Someone was signposted: where (a district at most), what they needed, what was suggested."""

    id: str
    given_at: datetime
    area: str | None
    needs: list[str]
    service_ids: list[str]


@dataclass(frozen=True)
class SignpostingEntry:
    """A signposting record as staff read it: the needs and services by name."""

    id: str
    given_at: datetime
    area: str | None
    needs: list[str]
    services: list[str]


@dataclass(frozen=True)
class UnmetSearch:
    """A staff search that found nothing, recorded as unmet need: where, which needs, and its words
    if they are not personal."""

    id: str
    searched_at: datetime
    area: str | None
    needs: list[str]
    words: str | None


@dataclass(frozen=True)
class Found:
    """One page of a service search: the ids in order, how many in all, and metres from the place
    searched (where it has a centre and the service a location)."""

    ids: list[str]
    total: int
    distances: dict[str, float]


@dataclass(frozen=True)
class DocumentsPage:
    """One page of HSDS objects and how many there are in all."""

    items: list[Document]
    total: int
    page_number: int
    per_page: int
