"""NATS subscribers of the signposting service (thin: event → use case)."""

from forum_shared.consumers import Consumers

consumers = Consumers("signposting")
