"""NATS subscribers of the membership service (thin: event → use case)."""

from forum_shared.consumers import Consumers

consumers = Consumers("membership")
