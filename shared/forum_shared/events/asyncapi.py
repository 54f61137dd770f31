"""What FastStream's AsyncAPI 3.0 document leaves out about the forum's events, added in one place.

FastStream describes each message's payload (the event's JSON) but not how it travels: the
CloudEvents attributes are NATS headers (binary mode, see `forum_shared.events.base`), so each
message gets a `headers` schema naming them exactly (`ce-type` is the event's type, `ce-source` its
owner's source), and its `correlationId` points at the `ce-correlationid` header. FastStream also
writes `"custom"` where AsyncAPI wants real versions: the server's protocol version becomes the
NATS client protocol's, and the NATS bindings are those of the AsyncAPI NATS bindings 0.1.0, whose
channel binding has no properties (the subject is the channel's `address`) and whose operation
binding carries only `bindingVersion` here (durable pull consumers, no queue groups).
"""

from __future__ import annotations

import re
from typing import Any

from forum_shared.events.base import CONTENT_TYPE, SPEC_VERSION
from forum_shared.events.event import Event, source_of
from forum_shared.events.registry import event_class

# The `protocol` nats-py announces in its CONNECT (1: it understands cluster topology updates).
NATS_PROTOCOL_VERSION = "1"
# https://github.com/asyncapi/bindings/tree/master/nats
NATS_BINDING_VERSION = "0.1.0"
CORRELATION_HEADER = "ce-correlationid"
MESSAGES = "#/components/messages/"
# Always sent by the outbox (`Envelope.wrap` always sets a correlation id); `ce-causationid` is
# sent only when something caused the event (a request or another event).
REQUIRED_HEADERS = (
    "ce-specversion",
    "ce-id",
    "ce-source",
    "ce-type",
    "ce-time",
    CORRELATION_HEADER,
    "Content-Type",
    "Nats-Msg-Id",
)


def headers_schema(event_type: type[Event]) -> dict[str, Any]:
    """The NATS headers that carry one event type's CloudEvents attributes, as a JSON Schema."""
    return {
        "type": "object",
        "description": "CloudEvents 1.0 attributes in binary mode, as NATS headers.",
        "required": list(REQUIRED_HEADERS),
        "properties": {
            "ce-specversion": {"type": "string", "const": SPEC_VERSION, "description": "CloudEvents version."},
            "ce-id": {"type": "string", "format": "uuid", "description": "The event's id, unique per event."},
            "ce-source": {
                "type": "string",
                "const": source_of(event_type.owner),
                "description": "Its owner: consumers dead-letter an event from anyone else.",
            },
            "ce-type": {
                "type": "string",
                "const": event_type.type_name(),
                "description": "The event's type, the same text as its subject.",
            },
            "ce-time": {"type": "string", "format": "date-time", "description": "When it happened."},
            "ce-causationid": {
                "type": "string",
                "minLength": 1,
                "description": "The id of the request or event that caused it (CloudEvents extension).",
            },
            CORRELATION_HEADER: {
                "type": "string",
                "minLength": 1,
                "description": "The id shared by everything one request set off: its causation id's "
                "correlation id, else the causation id, else its own id (CloudEvents extension).",
            },
            "Content-Type": {"type": "string", "const": CONTENT_TYPE, "description": "The body is JSON."},
            "Nats-Msg-Id": {
                "type": "string",
                "format": "uuid",
                "description": "The same as ce-id, so JetStream drops a duplicate publish.",
            },
        },
    }


def complete(document: dict[str, Any]) -> dict[str, Any]:
    """Add the CloudEvents headers, correlation ids and real protocol and binding versions to a
    FastStream AsyncAPI 3.0 document of NATS channels whose addresses are event types."""
    for server in document.get("servers", {}).values():
        server["protocolVersion"] = NATS_PROTOCOL_VERSION
    components = document.get("components", {})
    messages = components.get("messages", {})
    renamed: dict[str, Any] = {}
    for channel in document.get("channels", {}).values():
        channel.pop("bindings", None)
        event_type = event_class(channel["address"])
        for reference in channel.get("messages", {}).values():
            name = reference["$ref"].removeprefix(MESSAGES)
            message = renamed[_component_key(name)] = messages[name]
            reference["$ref"] = MESSAGES + _component_key(name)
            message["headers"] = headers_schema(event_type)
            message["correlationId"] = {
                "description": "Follows one request through every service it sets off.",
                "location": f"$message.header#/{CORRELATION_HEADER}",
            }
    if messages:
        components["messages"] = renamed
    for operation in document.get("operations", {}).values():
        operation["bindings"] = {"nats": {"bindingVersion": NATS_BINDING_VERSION}}
    return document


def _component_key(name: str) -> str:
    # FastStream names messages `<subject>:<handler>:Message`; AsyncAPI keys of components allow
    # only letters, digits, `.`, `-` and `_` (and its JSON Schema skips validating any other key).
    return re.sub(r"[^\w.\-]", ".", name)
