"""The CloudEvents envelope that carries an event over NATS.

An event travels in CloudEvents 1.0 *binary mode*: the attributes are NATS headers
(`ce-id`, `ce-type`, ...), the body is the event's JSON. `Nats-Msg-Id` repeats `ce-id` so
JetStream drops a duplicate publish. Headers and subjects never carry personal data.

The base of every contract is in `forum_shared.events.event`, below the contracts. The envelope
sits above the catalogue (`registry`), which it decodes by.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from pydantic import BaseModel, ConfigDict, ValidationError

from forum_shared.events.event import Event, InvalidEnvelope
from forum_shared.events.registry import event_class

SPEC_VERSION = "1.0"
CONTENT_TYPE = "application/json"


class Envelope(BaseModel):
    """One event with its CloudEvents attributes."""

    model_config = ConfigDict(frozen=True)

    id: str
    source: str
    type: str
    time: datetime
    data: Event
    causation_id: str | None = None
    correlation_id: str | None = None

    @classmethod
    def wrap(
        cls,
        event: Event,
        *,
        source: str,
        causation_id: str | None = None,
        correlation_id: str | None = None,
    ) -> Envelope:
        event_id = str(uuid.uuid4())
        return cls(
            id=event_id,
            source=source,
            type=event.type_name(),
            time=datetime.now(UTC),
            data=event,
            causation_id=causation_id,
            correlation_id=correlation_id or causation_id or event_id,
        )

    @property
    def subject(self) -> str:
        return type(self.data).subject()

    def headers(self) -> dict[str, str]:
        headers = {
            "ce-specversion": SPEC_VERSION,
            "ce-id": self.id,
            "ce-source": self.source,
            "ce-type": self.type,
            "ce-time": self.time.isoformat(),
            "Content-Type": CONTENT_TYPE,
            "Nats-Msg-Id": self.id,
        }
        # CloudEvents extension attribute names are lower-case letters and digits only.
        if self.causation_id:
            headers["ce-causationid"] = self.causation_id
        if self.correlation_id:
            headers["ce-correlationid"] = self.correlation_id
        return headers

    def body(self) -> bytes:
        return self.data.model_dump_json().encode()

    @classmethod
    def decode(cls, headers: dict[str, str] | None, body: bytes) -> Envelope:
        """Rebuild an envelope from NATS headers and body, or raise `InvalidEnvelope` saying why."""
        headers = headers or {}
        missing = [h for h in ("ce-id", "ce-type", "ce-source", "ce-time") if not headers.get(h)]
        if missing:
            raise InvalidEnvelope(f"missing CloudEvents header(s): {', '.join(missing)}")
        if headers.get("ce-specversion", SPEC_VERSION) != SPEC_VERSION:
            raise InvalidEnvelope(f"unsupported ce-specversion {headers['ce-specversion']!r}")
        model = event_class(headers["ce-type"])
        try:
            data = model.model_validate_json(body)
            time = datetime.fromisoformat(headers["ce-time"])
        except ValidationError as exc:
            raise InvalidEnvelope(_readable(exc)) from exc
        except ValueError as exc:
            raise InvalidEnvelope(f"ce-time is not an ISO 8601 time: {exc}") from exc
        return cls(
            id=headers["ce-id"],
            source=headers["ce-source"],
            type=headers["ce-type"],
            time=time,
            data=data,
            causation_id=headers.get("ce-causationid"),
            correlation_id=headers.get("ce-correlationid"),
        )


def _readable(exc: ValidationError) -> str:
    parts = []
    for err in exc.errors():
        where = ".".join(str(p) for p in err["loc"]) or "body"
        parts.append(f"{where}: {err['msg']}")
    return "invalid event payload: " + "; ".join(parts)
