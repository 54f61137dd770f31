"""The typed records the store reads and the use cases hand on: what the JSON API's response
models and the pages are built from. Frozen, so a record read in one transaction cannot be changed
by mistake in another; figures derived from stored whole numbers (hours, pounds) are properties,
so they are worked out the same way everywhere.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from membership import domain
from membership.domain import (
    Channel,
    ConsentPurpose,
    CountRow,
    EntryKind,
    EntrySource,
    InterestStatus,
    MemberStatus,
)


@dataclass(frozen=True)
class Consent:
    """A member's newest answer about one use of their details."""

    purpose: ConsentPurpose
    given: bool
    given_at: datetime

    @property
    def wording(self) -> str:
        return domain.CONSENT_WORDING[self.purpose]


@dataclass(frozen=True)
class Member:
    id: str
    display_name: str
    email: str | None
    phone: str | None
    postal_address: str | None
    preferred_channel: Channel | None
    area: str | None
    connections: tuple[str, ...]
    access_needs: tuple[str, ...]
    status: MemberStatus
    joined_at: datetime
    updated_at: datetime
    left_at: datetime | None
    consents: tuple[Consent, ...]

    @property
    def active(self) -> bool:
        return self.status == MemberStatus.active


@dataclass(frozen=True)
class Erasure:
    """What is left of an erased member: the id and when, so a late event about them is ignored."""

    member_id: str
    erased_at: datetime
    message: str


@dataclass(frozen=True)
class Representative:
    """A member who represents a partner organisation at the forum."""

    organisation_id: str
    organisation_name: str
    member_id: str
    display_name: str
    position: str | None
    since: datetime


@dataclass(frozen=True)
class PartnerOrganisation:
    id: str
    name: str
    kind: str
    description: str | None
    website: str | None
    area: str | None
    joined_at: datetime
    representatives: tuple[Representative, ...]


@dataclass(frozen=True)
class InvolvementRole:
    """An advertised role, with what today makes of it: places still free and whether it is open."""

    id: str
    title: str
    description: str
    hours_per_month_hundredths: int
    paid: bool
    hourly_rate_pence: int
    vacancies: int
    vacancies_left: int
    closing_date: date | None
    open: bool
    advertised_at: datetime

    @property
    def hours_per_month(self) -> Decimal:
        return domain.hours(self.hours_per_month_hundredths)

    @property
    def hourly_rate(self) -> Decimal | None:
        return domain.money(self.hourly_rate_pence) if self.paid else None


@dataclass(frozen=True)
class Interest:
    """A member's expression of interest in a role (never an application: there is no interview)."""

    id: str
    role_id: str
    role_title: str
    member_id: str
    display_name: str
    note: str
    would_like_a_chat: bool
    status: InterestStatus
    chat_on: date | None
    chat_note: str | None
    expressed_at: datetime


@dataclass(frozen=True)
class RoleHolding:
    """One member's holding of one role from a start date (an assignment); never overwritten."""

    id: str
    role_id: str
    role_title: str
    member_id: str
    display_name: str
    starts_on: date
    ends_on: date | None
    assigned_at: datetime
    ended_at: datetime | None

    @property
    def current(self) -> bool:
        today = domain.today()
        return domain.overlaps(self.starts_on, self.ends_on, today, today)


@dataclass(frozen=True)
class InvolvementEntry:
    """Time a member gave on one day, with the pay rate copied when it was recorded."""

    id: str
    member_id: str
    display_name: str
    kind: EntryKind
    worked_on: date
    hours_hundredths: int
    assignment_id: str | None
    role_title: str | None
    paid: bool
    hourly_rate_pence: int
    source: EntrySource
    source_id: str | None
    note: str | None
    recorded_at: datetime

    @property
    def hours(self) -> Decimal:
        return domain.hours(self.hours_hundredths)

    @property
    def hourly_rate(self) -> Decimal | None:
        return domain.money(self.hourly_rate_pence) if self.paid else None

    @property
    def amount_pence(self) -> int:
        return domain.pay_pence(self.hours_hundredths, self.hourly_rate_pence) if self.paid else 0

    @property
    def amount(self) -> Decimal:
        return domain.money(self.amount_pence)


@dataclass(frozen=True)
class MemberOverview:
    """Everything staff see on a member's page."""

    member: Member
    holdings: tuple[RoleHolding, ...]
    interests: tuple[Interest, ...]
    representing: tuple[Representative, ...]
    entries: tuple[InvolvementEntry, ...]


@dataclass(frozen=True)
class RoleTotal:
    role_title: str | None
    paid: bool
    hourly_rate: Decimal | None
    hours: Decimal
    amount: Decimal


@dataclass(frozen=True)
class Statement:
    """A member's time given in one month: every entry, and totals that are the sums of its lines."""

    member_id: str
    display_name: str
    month: str
    entries: tuple[InvolvementEntry, ...]
    total_hours: Decimal
    paid_hours: Decimal
    voluntary_hours: Decimal
    amount_due: Decimal
    by_role: tuple[RoleTotal, ...]


@dataclass(frozen=True)
class DiversityReport:
    small_count_threshold: int
    note: str
    members: CountRow
    by_area: tuple[CountRow, ...]
    by_connection: tuple[CountRow, ...]


@dataclass(frozen=True)
class SignInLink:
    """A link emailed to a member to sign in (known by its token's hash, never the token)."""

    member_id: str
    next_url: str | None
    expires_at: datetime
    used_at: datetime | None


@dataclass(frozen=True)
class MemberSession:
    """A member signed in in a browser."""

    member_id: str
    last_seen_at: datetime
    expires_at: datetime
