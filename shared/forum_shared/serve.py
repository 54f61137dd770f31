"""Run a service's app with uvicorn, from its settings."""

import uvicorn

from forum_shared.config import ServiceSettings


def serve(factory: str, settings: ServiceSettings) -> None:
    uvicorn.run(factory, factory=True, host=settings.host, port=settings.port, log_level="warning")
