"""Membership's tables and the queries its use cases need, one module per part of the job. Every
query returns typed records (`membership.records`), never rows or dicts."""

from membership.store.tables import (
    assignments,
    consents,
    erasures,
    interests,
    involvement_entries,
    member_sessions,
    member_sign_in_links,
    members,
    metadata,
    organisations,
    representatives,
    roles,
)

__all__ = [
    "assignments",
    "consents",
    "erasures",
    "interests",
    "involvement_entries",
    "member_sessions",
    "member_sign_in_links",
    "members",
    "metadata",
    "organisations",
    "representatives",
    "roles",
]
