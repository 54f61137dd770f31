"""A v2 of an event beside its frozen v1: consumers of v2 read v1 through an upcaster.

`IssueEscalatedV2` is made up for these tests (the catalogue has no v2): it renames `raised_by` to
`route` and drops the free-text `reason`, which no v1 consumer could read, so it is a new major
version, not a change to v1.
"""

import json
import shutil
from collections.abc import Mapping
from datetime import UTC, date, datetime
from typing import ClassVar, Literal

import pytest
from pydantic import Field

from forum_shared.consumers import check_from_owner
from forum_shared.events import EVENT_TYPES, Envelope, InvalidEnvelope, IssueEscalated, MemberJoined
from forum_shared.events.contracts import FROZEN, check, schema_of, snapshot_path, write
from forum_shared.events.contracts.compatibility import breaking_changes
from forum_shared.events.event import Code, Id, source_of
from forum_shared.events.feedback import FeedbackEvent
from forum_shared.events.upcasting import Upcasters


class IssueEscalatedV2(FeedbackEvent):
    """A serious issue was escalated to governors; it goes on the next forum meeting's agenda."""

    version: ClassVar[int] = 2
    consumed_by: ClassVar[tuple[str, ...]] = ("governors", "meetings")
    free_text: ClassVar[Mapping[str, str]] = {"summary": "the words for the public agenda"}

    escalation_id: Id = Field(description="Id of the escalation.")
    summary: str = Field(description="The words for the public agenda.")
    route: Literal["staff", "safeguarding", "criticality", "theme_cluster"] = Field(
        description="Which route raised it."
    )
    themes: list[Code] = Field(default_factory=list, description="Themes of the linked feedback.")
    respond_by: date = Field(description="Date by which a response is expected.")
    raised_at: datetime = Field(description="When it was raised (UTC).")


@pytest.fixture
def upcasters() -> Upcasters:
    """The kit's registry, empty: a real v2 registers its upcaster in `forum_shared.events.upcasting.UPCASTERS`."""
    registry = Upcasters()

    @registry.register(IssueEscalated, IssueEscalatedV2)
    def escalation_v2(old: IssueEscalated) -> IssueEscalatedV2:
        return IssueEscalatedV2(
            escalation_id=old.escalation_id, summary=old.summary, route=old.raised_by, themes=old.themes,
            respond_by=old.respond_by, raised_at=old.raised_at,
        )

    return registry


def v1() -> IssueEscalated:
    return IssueEscalated(
        escalation_id="e1", summary="Waits for the crisis line", reason="3 sources within 30 days",
        raised_by="theme_cluster", themes=["crisis-care"], respond_by=date(2026, 12, 1), raised_at=datetime.now(UTC),
    )


def test_a_v2_is_the_same_event_from_the_same_owner_on_its_own_subject():
    assert IssueEscalatedV2.event_name() == IssueEscalated.event_name() == "issue_escalated"
    assert IssueEscalatedV2.subject() == IssueEscalatedV2.type_name() == "forum.feedback.issue_escalated.v2"
    assert IssueEscalatedV2.stream() == IssueEscalated.stream() == "FEEDBACK"
    assert IssueEscalatedV2.type_name() not in EVENT_TYPES  # made up here, never in the catalogue


def test_a_consumer_of_v2_reads_a_v1_event_as_the_owner_published_it(upcasters):
    """v1 as the outbox sends it (headers and body), decoded, believed from its owner, upcast."""
    sent = Envelope.wrap(v1(), source=source_of("feedback"), causation_id="request-1")
    headers, body = sent.headers(), sent.body()

    received = Envelope.decode(headers, body)
    check_from_owner(received, IssueEscalated.subject(), headers)
    assert upcasters.accepted(IssueEscalatedV2) == [IssueEscalatedV2, IssueEscalated]
    envelope = upcasters.envelope(received, IssueEscalatedV2)

    assert envelope.data == IssueEscalatedV2(
        escalation_id="e1", summary="Waits for the crisis line", route="theme_cluster", themes=["crisis-care"],
        respond_by=date(2026, 12, 1), raised_at=sent.data.raised_at,
    )
    assert envelope.type == "forum.feedback.issue_escalated.v2"
    # The same event: the inbox, keyed on the id, still skips a redelivery of it.
    assert (envelope.id, envelope.source, envelope.time, envelope.causation_id, envelope.correlation_id) == (
        sent.id, sent.source, sent.time, "request-1", "request-1"
    )
    assert upcasters.envelope(envelope, IssueEscalatedV2) is envelope  # a v2 passes as it is


def test_an_event_with_no_way_to_the_wanted_version_is_refused(upcasters):
    joined = Envelope.wrap(MemberJoined(member_id="m1", joined_at=datetime.now(UTC)), source=source_of("membership"))
    with pytest.raises(InvalidEnvelope, match="cannot be read as forum.feedback.issue_escalated.v2"):
        upcasters.envelope(joined, IssueEscalatedV2)
    assert Upcasters().accepted(IssueEscalatedV2) == [IssueEscalatedV2]


def test_an_upcaster_goes_to_the_next_version_of_the_same_event_only(upcasters):
    with pytest.raises(ValueError, match="not versions of one event"):
        upcasters.register(MemberJoined, IssueEscalatedV2)
    with pytest.raises(ValueError, match="next major version"):
        upcasters.register(IssueEscalatedV2, IssueEscalated)
    with pytest.raises(ValueError, match="already upcasts"):
        upcasters.register(IssueEscalated, IssueEscalatedV2)


def test_an_upcaster_that_returns_the_wrong_version_is_caught():
    registry = Upcasters()
    registry.register(IssueEscalated, IssueEscalatedV2)(lambda old: old)
    with pytest.raises(TypeError, match="returned a IssueEscalated"):
        registry.upcast(v1(), IssueEscalatedV2)


def test_v2_is_a_new_contract_frozen_beside_v1_which_stays_as_it_was(tmp_path):
    frozen = tmp_path / "frozen"
    shutil.copytree(FROZEN, frozen)
    v1_path = snapshot_path(IssueEscalated.type_name(), frozen)
    v1_published = v1_path.read_bytes()
    catalogue = {**EVENT_TYPES, IssueEscalatedV2.type_name(): IssueEscalatedV2}

    # v2 could never replace v1 …
    assert "raised_by: removed" in breaking_changes(json.loads(v1_published), schema_of(IssueEscalatedV2))
    # … but beside it, it is a new contract to freeze, and v1 is untouched.
    before = check(catalogue, frozen)
    assert (before.missing, before.breaking, before.outdated) == ([IssueEscalatedV2.type_name()], [], [])
    write(catalogue, frozen)
    assert json.loads(snapshot_path(IssueEscalatedV2.type_name(), frozen).read_text()) == schema_of(IssueEscalatedV2)
    assert v1_path.read_bytes() == v1_published
    after = check(catalogue, frozen)
    assert (after.missing, after.breaking, after.outdated) == ([], [], [])

    # v1 stays frozen while the streams keep its events: the owner cannot drop it from the catalogue.
    without_v1 = {name: cls for name, cls in catalogue.items() if cls is not IssueEscalated}
    assert check(without_v1, frozen).breaking == [
        f"{IssueEscalated.type_name()} is frozen but no longer in the catalogue: a published version stays "
        "while the streams keep its events"
    ]
