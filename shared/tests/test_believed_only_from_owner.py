"""A consumer believes an event only from its owner (`check_from_owner`), for every event in the
catalogue: the subject, the `ce-source` and the stream it was sourced from must all be the owner's.
No NATS here: NATS permissions stop most of this first; this is the check behind them."""

import re
import uuid
from datetime import UTC, datetime

import pytest

from forum_shared.consumers import NotFromOwner, check_from_owner
from forum_shared.events import EVENT_TYPES, Envelope, stream_for, subject_for
from forum_shared.events.event import OWNERS, source_of
from forum_shared.streams import ESCALATIONS_STREAM, inbound_stream

EVERY_EVENT = sorted(EVENT_TYPES.values(), key=lambda e: e.subject())


def arriving(event_type, source: str | None = None) -> Envelope:
    """An event of `event_type` as a consumer decodes it (its fields do not matter to the check)."""
    source = source_of(event_type.owner) if source is None else source
    return Envelope(id=str(uuid.uuid4()), source=source, type=event_type.type_name(), time=datetime.now(UTC),
                    data=event_type.model_construct())


def sourced_from(stream: str, subject: str) -> list[dict[str, str]]:
    """The `Nats-Stream-Source` header a sourced message carries, as nats-server writes it: from another
    account (the stream's name, a colon and a hash of the import) and from the same account."""
    return [{"Nats-Stream-Source": f"{stream}:lyGmjukT 2 {subject} > {subject} uD0mK6t4"},
            {"Nats-Stream-Source": f"{stream} 2 {subject} > {subject}"}]


def refused(envelope: Envelope, subject: str, headers: dict[str, str]) -> str:
    with pytest.raises(NotFromOwner) as refusal:
        check_from_owner(envelope, subject, headers)
    assert str(refusal.value).startswith("not from its owner"), refusal.value
    return str(refusal.value)


def test_the_catalogue_has_events_of_every_owner():
    assert {e.owner for e in EVERY_EVENT} == set(OWNERS)


def test_every_event_arriving_on_another_owners_subject_is_refused_naming_its_type_and_the_subject():
    for event_type in EVERY_EVENT:
        envelope = arriving(event_type)
        for other in OWNERS:
            if other == event_type.owner:
                continue
            subject = subject_for(other, event_type.event_name(), event_type.version)
            text = refused(envelope, subject, {})
            assert envelope.type in text and subject in text and f"which {event_type.owner} does not own" in text
        owner = event_type.owner
        for subject in ("forum", f"forum.{owner}", f"{owner}.member_joined.v1", f"elsewhere.{owner}.x"):
            assert subject in refused(envelope, subject, {}), (event_type, subject)


def test_every_event_with_a_ce_source_that_is_not_its_owners_is_refused_naming_it():
    for event_type in EVERY_EVENT:
        wrong = [source_of(o) for o in OWNERS if o != event_type.owner]
        for source in [*wrong, "/forum/attacker", f"/forum/{event_type.owner}/", event_type.owner, ""]:
            text = refused(arriving(event_type, source), event_type.subject(), {})
            assert f"ce-source {source!r}" in text and repr(source_of(event_type.owner)) in text, (event_type, source)


def test_every_event_sourced_from_a_stream_that_is_not_its_owners_is_refused_naming_the_stream():
    others = [stream_for(o) for o in OWNERS] + [inbound_stream(o) for o in OWNERS] + [ESCALATIONS_STREAM, "MINE"]
    for event_type in EVERY_EVENT:
        envelope, subject = arriving(event_type), event_type.subject()
        for stream in others:
            if stream == stream_for(event_type.owner):
                continue
            for headers in sourced_from(stream, subject):
                text = refused(envelope, subject, headers)
                assert re.search(rf"came from stream {stream}\b", text) and stream_for(event_type.owner) in text, (
                    event_type, headers)


def test_every_event_from_its_owner_on_its_subject_and_stream_is_believed():
    for event_type in EVERY_EVENT:
        envelope, subject = arriving(event_type), event_type.subject()
        for headers in [{}, *sourced_from(stream_for(event_type.owner), subject)]:
            check_from_owner(envelope, subject, headers)  # raises if not believed
