"""Each partner runs its own part: one NATS account per organisation, and nobody can speak for
another. The permission matrix is made from the event catalogue, so a new event or consumer is
checked without a new test."""

import asyncio
import uuid
from collections import Counter
from datetime import UTC, date, datetime

import nats
import pytest
from nats.js.api import StreamConfig

from forum_shared import governors
from forum_shared.events import (
    EVENT_TYPES,
    CommunityGroupRegistered,
    Envelope,
    IssueEscalated,
    events_of,
    stream_for,
)
from forum_shared.events.event import source_of
from forum_shared.federation.topology import GOVERNORS_ACCOUNT
from forum_shared.streams import (
    ESCALATIONS_STREAM,
    GOVERNORS,
    SERVICES,
    api_prefix,
    consumed_events,
    governor_durable,
    inbound_stream,
    sources,
)
from forum_shared.testing import read_stream, wait_for

from .services import start

# No user may publish here: its refusal, reported after every earlier one, marks the end of a batch.
NOBODYS_SUBJECT = "forum.nobody.marker"
# The charity's own subject, which it may both publish and receive.
OWN_MARKER = "forum.signposting.marker"


class Listener:
    """A connection's error callback, where NATS reports a refused publish or subscription."""

    def __init__(self) -> None:
        self.errors: list[str] = []

    async def on_error(self, exc: Exception) -> None:
        self.errors.append(str(exc))

    def refused(self, subject: str) -> bool:
        return any("permissions violation" in e and f'"{subject.lower()}"' in e.lower() for e in self.errors)


def envelope_of(event_type, marker: str, source: str | None = None) -> Envelope:
    """A well-formed event of any type (the body's fields do not matter to NATS)."""
    fields = {name: _sample(field.annotation) for name, field in event_type.model_fields.items() if field.is_required()}
    event = event_type.model_construct(**fields)
    return Envelope(id=f"{marker}-{uuid.uuid4().hex[:6]}", source=source or source_of(event_type.owner),
                    type=event_type.type_name(), time=datetime.now(UTC), data=event)


def _sample(annotation):
    text = str(annotation)
    if "datetime" in text:
        return datetime.now(UTC)
    if "date" in text:
        return date.today()
    if "list" in text:
        return []
    if "int" in text or "float" in text or "Decimal" in text:
        return 1
    return "x"


async def test_each_service_may_publish_its_own_events_and_none_of_anyone_elses(nats_server):
    owners = {}
    for service in SERVICES:  # every owner's stream, declared by its owner
        nc = await nats_server.connect(f"service-{service}")
        await nc.jetstream().add_stream(name=stream_for(service), subjects=[f"forum.{service}.>"])
        owners[service] = nc
    listeners = {}
    for service in SERVICES:
        listener = listeners[service] = Listener()
        nc = await nats_server.connect(f"service-{service}", error_cb=listener.on_error)
        for event_type in EVENT_TYPES.values():
            await nc.publish(event_type.subject(), b"{}", headers={"ce-id": f"from-{service}"})
        # The server reports refusals in order: once this last one is reported, every earlier one is.
        await nc.publish(NOBODYS_SUBJECT, b"{}")
        await wait_for(lambda listener=listener: listener.refused(NOBODYS_SUBJECT), what=f"{service}'s refusals")
        await nc.close()
    for service, listener in listeners.items():
        for event_type in EVENT_TYPES.values():
            assert listener.refused(event_type.subject()) == (event_type.owner != service), (service, event_type)
    for owner in SERVICES:
        own = [e for e in EVENT_TYPES.values() if e.owner == owner]

        async def stored(owner=owner, own=own):
            messages = await read_stream(nats_server, stream_for(owner))
            return len(messages) >= len(own) and messages

        messages = await wait_for(stored, what=f"{owner}'s own events stored")
        assert {m.headers["ce-id"] for m in messages} == {f"from-{owner}"}, owner
        assert len(messages) == len(own)
    for nc in owners.values():
        await nc.close()


async def publish_every_event(nats_server) -> None:
    """Each owner publishes one event of each of its types into its own stream."""
    for service in SERVICES:
        nc = await nats_server.connect(f"service-{service}")
        js = nc.jetstream()
        for event_type in EVENT_TYPES.values():
            if event_type.owner == service:
                await js.publish(event_type.subject(), b"{}")
        await nc.close()


async def test_each_service_receives_exactly_the_events_it_consumes(nats_server):
    accounts = nats_server.federation.topology.accounts
    for service in SERVICES:
        nc = await nats_server.connect(f"service-{service}")
        await nc.jetstream().add_stream(name=stream_for(service), subjects=[f"forum.{service}.>"])
        await nc.close()
    await publish_every_event(nats_server)
    # Each consumer's inbound stream, as the service declares it; and the governors' stream.
    await nats_server.add_governor("Grace")
    for service in SERVICES:
        nc = await nats_server.connect(f"service-{service}")
        await nc.jetstream().add_stream(StreamConfig(name=inbound_stream(service),
                                                     sources=sources(service, consumed_events(service), accounts)))
        await nc.close()
    for consumer in [*SERVICES, "governors"]:
        expected = {e.subject() for e in consumed_events(consumer)}

        async def arrived(consumer=consumer, expected=expected):
            return {m.subject for m in await read_stream(nats_server, inbound_stream(consumer))} == expected

        await wait_for(arrived, what=f"{consumer}'s events sourced")
    # And nothing more arrives: every event once more, as markers. Each source (one per event type)
    # delivers in order, so once every second copy is in, anything sourced before it is in too.
    await publish_every_event(nats_server)
    for consumer in [*SERVICES, "governors"]:
        expected = {e.subject() for e in consumed_events(consumer)}

        async def both_copies(consumer=consumer, expected=expected):
            subjects = [m.subject for m in await read_stream(nats_server, inbound_stream(consumer))]
            return len(subjects) >= 2 * len(expected) and subjects

        subjects = await wait_for(both_copies, what=f"{consumer}'s markers sourced")
        assert Counter(subjects) == dict.fromkeys(expected, 2), consumer


def every_stream() -> dict[str, str]:
    """Every stream of the forum, each with a subject it holds: the owners', the inbound ones and the
    governors' (whose inbound stream is ESCALATIONS)."""
    streams = {stream_for(owner): events_of(owner)[0].subject() for owner in SERVICES}
    return streams | {inbound_stream(c): consumed_events(c)[0].subject() for c in [*SERVICES, GOVERNORS]}


def js_api_on(stream: str, holds: str) -> list[str]:
    """The JetStream API requests that would read, empty, remove, change or consume from `stream`
    (`holds`: a subject it keeps). (The server maps a leaf node's domain form, `$JS.forum.API…`, to
    these before it checks permissions, and names these in the refusal.)"""
    requests = [
        f"STREAM.INFO.{stream}", f"STREAM.PURGE.{stream}", f"STREAM.DELETE.{stream}", f"STREAM.UPDATE.{stream}",
        f"STREAM.MSG.GET.{stream}", f"DIRECT.GET.{stream}", f"CONSUMER.CREATE.{stream}",
        f"CONSUMER.CREATE.{stream}.intruder", f"CONSUMER.CREATE.{stream}.intruder.{holds}",
        f"CONSUMER.DURABLE.CREATE.{stream}.intruder", f"CONSUMER.MSG.NEXT.{stream}.intruder",
    ]
    return [f"$JS.API.{request}" for request in requests]


async def test_no_service_may_use_jetstream_on_any_stream_that_is_not_its_own(nats_server):
    """Not another organisation's, not another service's of its own organisation (meetings and
    MEMBERSHIP are both the trust's), not the governors': every stream, as its owner declared it."""
    topology = nats_server.federation.topology
    for service in SERVICES:
        nc = await nats_server.connect(f"service-{service}")
        await nc.jetstream().add_stream(name=stream_for(service), subjects=[f"forum.{service}.>"])
        await nc.close()
    await publish_every_event(nats_server)
    for service in SERVICES:
        nc = await nats_server.connect(f"service-{service}")
        await nc.jetstream().add_stream(StreamConfig(name=inbound_stream(service), sources=sources(
            service, consumed_events(service), topology.accounts)))
        await nc.close()
    admin = await nats_server.connect(f"admin-{GOVERNORS_ACCOUNT}")
    await governors.ensure_escalations(admin.jetstream(), topology.accounts)
    await admin.close()
    streams = every_stream()
    assert len(streams) == 2 * len(SERVICES) + 1

    def own(service: str) -> set[str]:
        return {stream_for(service), inbound_stream(service)}

    def own_info(stream: str) -> str:  # what a service may ask of its own streams: not refused
        return f"$JS.API.STREAM.INFO.{stream}"

    listeners = {}
    for service in SERVICES:
        listener = listeners[service] = Listener()
        nc = await nats_server.connect(f"service-{service}", error_cb=listener.on_error)
        for stream, holds in streams.items():
            for subject in [own_info(stream)] if stream in own(service) else js_api_on(stream, holds):
                await nc.publish(subject, b"{}", reply=f"_INBOX.{service}.attempt")
        await nc.publish(NOBODYS_SUBJECT, b"{}")
        await wait_for(lambda listener=listener: listener.refused(NOBODYS_SUBJECT), what=f"{service}'s refusals")
        await nc.close()
    for service, listener in listeners.items():
        for stream, holds in streams.items():
            if stream in own(service):
                assert not listener.refused(own_info(stream)), (service, stream)
            else:
                assert [s for s in js_api_on(stream, holds) if not listener.refused(s)] == [], (service, stream)
    # Refused before JetStream saw them: every owner's stream still holds each of its events.
    for owner in SERVICES:
        assert len(await read_stream(nats_server, stream_for(owner))) == len(events_of(owner)), owner


async def test_the_charity_cannot_read_feedback_events_any_way_it_tries(nats_server):
    feedback = await nats_server.connect("service-feedback")
    await feedback.jetstream().add_stream(name="FEEDBACK", subjects=["forum.feedback.>"])
    meetings = await nats_server.connect("service-meetings")
    await meetings.jetstream().add_stream(name="MEETINGS", subjects=["forum.meetings.>"])
    listener = Listener()
    charity = await nats_server.connect("service-signposting", error_cb=listener.on_error)
    got: list = []
    own: list = []

    async def received(msg) -> None:
        got.append(msg)

    async def received_own(msg) -> None:
        own.append(msg)

    await charity.subscribe("forum.feedback.>", cb=received)
    await charity.subscribe(OWN_MARKER, cb=received_own)
    await charity.flush()
    js = charity.jetstream(timeout=1)
    with pytest.raises((nats.errors.TimeoutError, nats.js.errors.APIError)):
        await js.stream_info("FEEDBACK")
    # Sourcing a subject feedback does not export to the charity gets nothing either, while one that
    # meetings does export to it (sourced the same way, at the same time) arrives.
    exported = EVENT_TYPES["forum.meetings.pop_up_forum_held.v1"]
    await js.add_stream(StreamConfig(name=inbound_stream("signposting"), sources=sources(
        "signposting", [EVENT_TYPES["forum.feedback.feedback_received.v1"], exported],
        nats_server.federation.topology.accounts)))
    await feedback.jetstream().publish("forum.feedback.feedback_received.v1", b"{}")
    await meetings.jetstream().publish(exported.subject(), b"{}")
    # Published after feedback's event was stored (and so routed): it reaches the charity after it would have.
    await charity.publish(OWN_MARKER, b"{}")

    async def sourced():
        return [m.subject for m in await read_stream(nats_server, inbound_stream("signposting"))]

    assert await wait_for(sourced, what="the exported event sourced") == [exported.subject()]
    await wait_for(lambda: own, what="the charity's own marker")
    await wait_for(lambda: listener.refused("forum.feedback.>"), what="the subscription refused")
    assert got == []
    assert await sourced() == [exported.subject()]
    await charity.close()
    await meetings.close()
    await feedback.close()


async def test_nobody_connects_without_a_key(nats_server):
    with pytest.raises(nats.errors.Error, match="Authorization Violation"):
        await nats.connect(nats_server.url, allow_reconnect=False, max_reconnect_attempts=0)


async def test_a_governor_can_only_read_their_own_place(nats_server):
    feedback = await nats_server.connect("service-feedback")
    await feedback.jetstream().add_stream(name="FEEDBACK", subjects=["forum.feedback.>"])
    await feedback.jetstream().publish(IssueEscalated.subject(), b"{}")
    await feedback.close()
    options = await nats_server.add_governor("Grace")
    await nats_server.add_governor("Henry")

    async def sourced():
        return len(await read_stream(nats_server, ESCALATIONS_STREAM)) == 1

    await wait_for(sourced, what="the escalation in the governors' stream")  # there to be read, were it allowed
    listener = Listener()
    grace = await nats.connect(nats_server.url, error_cb=listener.on_error, **options)
    js = grace.jetstream(timeout=1)
    # The governors' account imports feedback's consumer-create subject for escalations (its stream
    # sources them through it); a governor's key may not use that import either.
    through_import = grace.jetstream(prefix=api_prefix("feedback"), timeout=1)
    imported = f"{api_prefix('feedback')}.CONSUMER.CREATE.FEEDBACK.*.{IssueEscalated.subject()}"
    assert imported in [i.get("to") for i in nats_server.federation.topology.imports(GOVERNORS_ACCOUNT)]
    henry = governor_durable("Henry")
    own_consumer_on_feedback = f"{api_prefix('feedback')}.CONSUMER.CREATE.FEEDBACK.grace.{IssueEscalated.subject()}"
    attempts = {
        f"$JS.API.STREAM.PURGE.{ESCALATIONS_STREAM}": js.purge_stream(ESCALATIONS_STREAM),
        f"$JS.API.STREAM.DELETE.{ESCALATIONS_STREAM}": js.delete_stream(ESCALATIONS_STREAM),
        f"$JS.API.STREAM.INFO.{ESCALATIONS_STREAM}": js.stream_info(ESCALATIONS_STREAM),
        f"$JS.API.STREAM.MSG.GET.{ESCALATIONS_STREAM}": js.get_msg(ESCALATIONS_STREAM, 1),
        f"$JS.API.CONSUMER.DELETE.{ESCALATIONS_STREAM}.{henry}": js.delete_consumer(ESCALATIONS_STREAM, henry),
        f"$JS.API.CONSUMER.INFO.{ESCALATIONS_STREAM}.{henry}": js.consumer_info(ESCALATIONS_STREAM, henry),
        f"$JS.API.CONSUMER.MSG.NEXT.{ESCALATIONS_STREAM}.{henry}": grace.request(
            f"$JS.API.CONSUMER.MSG.NEXT.{ESCALATIONS_STREAM}.{henry}", b'{"batch": 1}', timeout=1),
        f"$JS.API.CONSUMER.DURABLE.CREATE.{ESCALATIONS_STREAM}.grace-extra": js.add_consumer(
            ESCALATIONS_STREAM, durable_name="grace-extra"),
        "$JS.API.STREAM.CREATE.MINE": js.add_stream(name="MINE", subjects=["mine.>"]),
        "$JS.API.STREAM.INFO.FEEDBACK": js.stream_info("FEEDBACK"),
        "$JS.API.STREAM.PURGE.FEEDBACK": js.purge_stream("FEEDBACK"),
        "$JS.API.CONSUMER.DURABLE.CREATE.FEEDBACK.grace": js.add_consumer("FEEDBACK", durable_name="grace"),
        own_consumer_on_feedback: through_import.add_consumer(
            "FEEDBACK", name="grace", filter_subject=IssueEscalated.subject()),
        IssueEscalated.subject(): js.publish(IssueEscalated.subject(), b"{}"),
    }
    results = await asyncio.gather(*attempts.values(), return_exceptions=True)
    for subject, result in zip(attempts, results, strict=True):
        # Refused by NATS on that very subject; nothing answered, so it never reached JetStream (a
        # JetStream error such as "stream not found" would mean it had).
        await wait_for(lambda subject=subject: listener.refused(subject), what=f"{subject} refused")
        assert isinstance(result, nats.errors.TimeoutError), (subject, result)
    assert (await js.consumer_info(ESCALATIONS_STREAM, governor_durable("Grace"))).name == governor_durable("Grace")
    await grace.close()
    # Nothing changed: Henry's place and the escalation are still there, and Grace made nothing.
    admin = await nats_server.connect(f"admin-{GOVERNORS_ACCOUNT}")
    try:
        admin_js = admin.jetstream()
        assert (await admin_js.consumer_info(ESCALATIONS_STREAM, henry)).name == henry
        names = {c.name for c in await admin_js.consumers_info(ESCALATIONS_STREAM)}
        assert names == {governor_durable("Grace"), henry}
    finally:
        await admin.close()
    assert await sourced() and len(await read_stream(nats_server, "FEEDBACK")) == 1


async def test_a_forged_escalation_with_the_charitys_key_is_refused_and_never_reaches_an_agenda(
    nats_server, database_url
):
    async with (
        await start("meetings", nats_server, database_url) as mt,
        await start("feedback", nats_server, database_url) as fb,
    ):
        await mt.wait_subscribed("meetings-add_escalation_to_agenda")
        listener = Listener()
        charity = await nats_server.connect("service-signposting", error_cb=listener.on_error)
        forged = Envelope.wrap(IssueEscalated(escalation_id="esc-forged", summary="Forged: close the ward",
                                              reason="made up", raised_by="staff", respond_by=date(2027, 1, 5),
                                              raised_at=datetime.now(UTC)), source=source_of("feedback"))
        await charity.publish(forged.subject, forged.body(), headers=forged.headers())
        await charity.flush()
        with pytest.raises(nats.errors.TimeoutError):
            await charity.jetstream(timeout=1).publish(forged.subject, forged.body(), headers=forged.headers())
        await charity.close()
        assert listener.refused(forged.subject)

        # A real escalation after it arrives; the forged one never did.
        item = (await fb.client.post("/feedback", json={"text": "Nobody rang back", "area": "Ely"})).json()
        real = (await fb.staff.post(f"/feedback/{item['id']}/escalations",
                                    json={"summary": "No call back", "reason": "Several people"})).json()

        async def waiting():
            return {i["escalation_id"] for i in (await mt.staff.get("/agenda/waiting")).json()}

        await wait_for(lambda: _has(waiting, real["id"]), what="the real escalation on the agenda")
        assert "esc-forged" not in await waiting()
        assert all(m.headers["ce-id"] != forged.id for m in await read_stream(nats_server, "FEEDBACK"))


async def _has(items, wanted) -> bool:
    return wanted in await items()


async def test_an_event_from_the_right_account_with_the_wrong_source_is_dead_lettered(nats_server, database_url):
    async with (
        await start("meetings", nats_server, database_url) as mt,
        await start("feedback", nats_server, database_url) as fb,
    ):
        await mt.wait_subscribed()
        await fb.wait_subscribed()
        # A leaked key of the right account: NATS lets it through, the consumers do not believe it.
        escalation = Envelope.wrap(IssueEscalated(escalation_id="esc-wrong-source", summary="Forged", reason="r",
                                                  raised_by="staff", respond_by=date(2027, 1, 5),
                                                  raised_at=datetime.now(UTC)), source="/forum/attacker")
        group = Envelope.wrap(CommunityGroupRegistered(community_group_id="grp-forged", name="Not in the directory",
                                                       areas=["Ely"]), source="attacker")
        for owner, envelope in (("feedback", escalation), ("signposting", group)):
            nc = await nats_server.connect(f"service-{owner}")
            await nc.jetstream().publish(envelope.subject, envelope.body(), headers=envelope.headers())
            await nc.close()

        async def dead(service) -> list[dict]:
            return (await service.staff.get("/dead-letters")).json()

        letters = await wait_for(lambda: _count(dead(mt), 2), what="meetings dead-letters both")
        [fb_letter] = await wait_for(lambda: _count(dead(fb), 1), what="feedback dead-letters the group")
        for letter in [*letters, fb_letter]:
            assert "not from its owner" in letter["error"] and "ce-source" in letter["error"]
        assert {letter["event_id"] for letter in letters} == {escalation.id, group.id}
        assert "esc-wrong-source" not in {i["escalation_id"] for i in (await mt.staff.get("/agenda/waiting")).json()}
        assert "grp-forged" not in {g["id"] for g in (await mt.staff.get("/community-groups")).json()}
        # Replaying it does not make it believable.
        assert (await mt.staff.post(f"/dead-letters/{letters[0]['id']}/replay")).status_code == 409


async def _count(letters, n: int):
    found = await letters
    return found if len(found) >= n else None
