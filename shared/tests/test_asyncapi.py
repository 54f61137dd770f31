"""Every service's AsyncAPI document: valid AsyncAPI 3.0, and each message says how it travels —
the CloudEvents headers, its correlation id — not only its payload.

Each service is documented here as the catalogue says it is (what it owns, what `consumed_by`
names it for), which the README catalogue tests hold the services to.
"""

import json
import re
from pathlib import Path

import jsonschema
import pytest
from nats.aio.client import PROTOCOL

from forum_shared.config import ServiceSettings
from forum_shared.consumers import Consumers
from forum_shared.events import EVENT_TYPES, Envelope, events_of
from forum_shared.events.asyncapi import NATS_BINDING_VERSION, NATS_PROTOCOL_VERSION, REQUIRED_HEADERS
from forum_shared.events.event import OWNERS, source_of
from forum_shared.messaging import Messaging
from forum_shared.streams import consumed_events
from forum_shared.testing import settings_for

ASYNCAPI_3 = json.loads((Path(__file__).parent / "standards" / "asyncapi" / "3.0.0-without-id.json").read_text())
COMPONENT_KEY = re.compile(r"^[\w\d\.\-_]+$")  # what AsyncAPI 3.0 allows, and validates, in components


def document(service: str) -> dict:
    consumers = Consumers(service)
    for event_type in consumed_events(service):

        async def handle(session, event, envelope) -> None:
            """Stands in for the service's handler."""

        handle.__name__ = f"on_{event_type.event_name()}"
        consumers.on(event_type)(handle)
    messaging = Messaging(service, settings_for(ServiceSettings), None, consumers)
    return messaging.asyncapi(f"The {service} service", "1.0.0")


@pytest.fixture(scope="module", params=OWNERS)
def service_document(request) -> tuple[str, dict]:
    return request.param, document(request.param)


def messages_by_event(doc: dict) -> list[tuple[type, dict]]:
    """Each message of the document with the event type its channel carries."""
    found = []
    for channel in doc["channels"].values():
        for reference in channel["messages"].values():
            name = reference["$ref"].removeprefix("#/components/messages/")
            found.append((EVENT_TYPES[channel["address"]], doc["components"]["messages"][name]))
    return found


def test_each_services_asyncapi_document_is_valid_asyncapi_3(service_document):
    _, doc = service_document
    validator = jsonschema.Draft7Validator(ASYNCAPI_3)
    errors = [f"{'/'.join(map(str, e.path))}: {e.message}" for e in validator.iter_errors(doc)]
    assert errors == []
    # The schema validates only components whose keys AsyncAPI allows, so every key must be one.
    for kind, components in doc["components"].items():
        assert all(COMPONENT_KEY.match(key) for key in components), kind


def test_each_service_documents_every_event_it_publishes_and_consumes(service_document):
    service, doc = service_document
    actions = {
        (doc["channels"][op["channel"]["$ref"].removeprefix("#/channels/")]["address"], op["action"])
        for op in doc["operations"].values()
    }
    assert {(e.type_name(), "send") for e in events_of(service)} <= actions
    assert {(e.type_name(), "receive") for e in consumed_events(service)} <= actions
    assert len(messages_by_event(doc)) == len(events_of(service)) + len(consumed_events(service))


def test_every_message_documents_the_cloudevents_headers_it_travels_with(service_document):
    _, doc = service_document
    for event_type, message in messages_by_event(doc):
        headers = message["headers"]
        assert set(headers["required"]) == set(REQUIRED_HEADERS)
        assert {"ce-id", "ce-source", "ce-type", "ce-time", "ce-specversion", "ce-correlationid", "Nats-Msg-Id"} <= set(
            headers["required"]
        )
        fields = headers["properties"]
        assert "ce-causationid" in fields and "ce-causationid" not in headers["required"]
        assert fields["ce-type"]["const"] == event_type.type_name()
        assert fields["ce-source"]["const"] == source_of(event_type.owner)
        assert fields["ce-specversion"]["const"] == "1.0"
        assert fields["ce-time"]["format"] == "date-time"
        assert fields["ce-id"]["format"] == fields["Nats-Msg-Id"]["format"] == "uuid"
        assert message["correlationId"]["location"] == "$message.header#/ce-correlationid"


def test_the_headers_an_owner_sends_are_the_ones_documented(service_document):
    """What `Envelope.headers` really sends validates against each message's headers schema, and
    headers claiming another type or source do not."""
    _, doc = service_document
    for event_type, message in messages_by_event(doc):
        validator = jsonschema.Draft7Validator(message["headers"], format_checker=jsonschema.FormatChecker())
        for cause in (None, "a-request-id"):
            sent = Envelope.wrap(event_type.model_construct(), source=source_of(event_type.owner), causation_id=cause)
            assert list(validator.iter_errors(sent.headers())) == [], event_type
        other = next(t for t in EVENT_TYPES.values() if t.owner != event_type.owner)
        impostor = Envelope.wrap(event_type.model_construct(), source=source_of(other.owner)).headers()
        assert not validator.is_valid(impostor)
        assert not validator.is_valid({**sent.headers(), "ce-type": other.type_name()})
        assert not validator.is_valid({**sent.headers(), "ce-id": "not a uuid"})


def test_protocol_and_binding_versions_are_real_never_custom(service_document):
    _, doc = service_document
    assert "custom" not in json.dumps(doc)
    assert str(PROTOCOL) == NATS_PROTOCOL_VERSION  # what nats-py announces in its CONNECT
    for server in doc["servers"].values():
        assert (server["protocol"], server["protocolVersion"]) == ("nats", NATS_PROTOCOL_VERSION)
    for operation in doc["operations"].values():
        assert operation["bindings"] == {"nats": {"bindingVersion": NATS_BINDING_VERSION}}
    # The NATS channel binding has no properties (the subject is the channel's address).
    assert all(not channel.get("bindings", {}).get("nats") for channel in doc["channels"].values())
