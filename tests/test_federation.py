"""Each partner runs its own part: one NATS account per organisation, and nobody can speak for
another. The permission matrix is made from the event catalogue, so a new event or consumer is
checked without a new test."""

import asyncio
import uuid
from datetime import UTC, date, datetime

import nats
import pytest
from nats.js.api import StreamConfig

from forum_shared.events import (
    EVENT_TYPES,
    CommunityGroupRegistered,
    Envelope,
    IssueEscalated,
    stream_for,
)
from forum_shared.events.base import source_of
from forum_shared.federation.topology import (
    ESCALATIONS_STREAM,
    SERVICES,
    consumed_events,
    governor_durable,
    inbound_stream,
    sources,
)
from forum_shared.testing import read_stream, wait_for

from .services import start


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
        listeners[service] = Listener()
        nc = await nats_server.connect(f"service-{service}", error_cb=listeners[service].on_error)
        for event_type in EVENT_TYPES.values():
            await nc.publish(event_type.subject(), b"{}", headers={"ce-id": f"from-{service}"})
        await nc.flush()
        await asyncio.sleep(0.2)
        await nc.close()
    for service, listener in listeners.items():
        for event_type in EVENT_TYPES.values():
            assert listener.refused(event_type.subject()) == (event_type.owner != service), (service, event_type)
    for owner in SERVICES:
        stored = await read_stream(nats_server, stream_for(owner))
        assert {m.headers["ce-id"] for m in stored} == {f"from-{owner}"}, owner
        assert len(stored) == len([e for e in EVENT_TYPES.values() if e.owner == owner])
    for nc in owners.values():
        await nc.close()


async def test_each_service_receives_exactly_the_events_it_consumes(nats_server):
    accounts = nats_server.federation.topology.accounts
    for service in SERVICES:
        nc = await nats_server.connect(f"service-{service}")
        js = nc.jetstream()
        await js.add_stream(name=stream_for(service), subjects=[f"forum.{service}.>"])
        for event_type in EVENT_TYPES.values():
            if event_type.owner == service:
                await js.publish(event_type.subject(), b"{}")
        await nc.close()
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
        await asyncio.sleep(0.3)  # and nothing more arrives
        assert {m.subject for m in await read_stream(nats_server, inbound_stream(consumer))} == expected


async def test_the_charity_cannot_read_feedback_events_any_way_it_tries(nats_server):
    feedback = await nats_server.connect("service-feedback")
    await feedback.jetstream().add_stream(name="FEEDBACK", subjects=["forum.feedback.>"])
    listener = Listener()
    charity = await nats_server.connect("service-signposting", error_cb=listener.on_error)
    got: list = []

    async def received(msg) -> None:
        got.append(msg)

    await charity.subscribe("forum.feedback.>", cb=received)
    await charity.flush()
    js = charity.jetstream(timeout=1)
    with pytest.raises((nats.errors.TimeoutError, nats.js.errors.APIError)):
        await js.stream_info("FEEDBACK")
    # Sourcing a subject feedback does not export to the charity gets nothing either.
    await js.add_stream(StreamConfig(name=inbound_stream("signposting"), sources=sources(
        "signposting", [EVENT_TYPES["forum.feedback.feedback_received.v1"]], nats_server.federation.topology.accounts)))
    await feedback.jetstream().publish("forum.feedback.feedback_received.v1", b"{}")
    await asyncio.sleep(1)
    assert got == []
    assert await read_stream(nats_server, inbound_stream("signposting")) == []
    assert listener.refused("forum.feedback.>")
    await charity.close()
    await feedback.close()


async def test_nobody_connects_without_a_key(nats_server):
    with pytest.raises(nats.errors.Error, match="Authorization Violation"):
        await nats.connect(nats_server.url, allow_reconnect=False, max_reconnect_attempts=0)


async def test_a_governor_can_only_read_their_own_place(nats_server):
    feedback = await nats_server.connect("service-feedback")
    await feedback.jetstream().add_stream(name="FEEDBACK", subjects=["forum.feedback.>"])
    await feedback.close()
    options = await nats_server.add_governor("Grace")
    await nats_server.add_governor("Henry")
    listener = Listener()
    grace = await nats.connect(nats_server.url, error_cb=listener.on_error, **options)
    js = grace.jetstream(timeout=1)
    await grace.publish(IssueEscalated.subject(), b"{}")
    await grace.flush()
    await asyncio.sleep(0.2)
    assert listener.refused(IssueEscalated.subject())
    denied = (nats.errors.TimeoutError, nats.js.errors.APIError)
    for attempt in (
        lambda: js.purge_stream(ESCALATIONS_STREAM),
        lambda: js.delete_stream(ESCALATIONS_STREAM),
        lambda: js.delete_consumer(ESCALATIONS_STREAM, governor_durable("Henry")),
        lambda: js.consumer_info(ESCALATIONS_STREAM, governor_durable("Henry")),
        lambda: js.add_consumer(ESCALATIONS_STREAM, durable_name="grace-extra"),
        lambda: js.add_stream(name="MINE", subjects=["mine.>"]),
        lambda: js.stream_info("FEEDBACK"),
        lambda: js.purge_stream("FEEDBACK"),
        lambda: js.publish(IssueEscalated.subject(), b"{}"),
    ):
        with pytest.raises(denied):
            await attempt()
    assert (await js.consumer_info(ESCALATIONS_STREAM, governor_durable("Grace"))).name == governor_durable("Grace")
    await grace.close()


async def test_a_forged_escalation_with_the_charitys_key_is_refused_and_never_reaches_an_agenda(nats_server, database_url):
    async with await start("meetings", nats_server, database_url) as mt, await start("feedback", nats_server, database_url) as fb:
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
    async with await start("meetings", nats_server, database_url) as mt, await start("feedback", nats_server, database_url) as fb:
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
