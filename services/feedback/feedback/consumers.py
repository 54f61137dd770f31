"""NATS subscribers of the feedback service (thin: event → use case)."""

from forum_shared.consumers import Consumers

consumers = Consumers("feedback")
