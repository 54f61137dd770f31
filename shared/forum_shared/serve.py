"""Run a service's app with uvicorn, from its settings."""

from typing import Any

import uvicorn

from forum_shared.config import ServiceSettings


def uvicorn_options(settings: ServiceSettings) -> dict[str, Any]:
    """A client's address comes from the socket, so it cannot be made up in a header, unless the
    operator names the reverse proxies it sits behind (TRUSTED_PROXIES): only then is their
    X-Forwarded-For believed (uvicorn otherwise trusts any client on 127.0.0.1)."""
    trusted = settings.trusted_proxies.strip()
    return {"proxy_headers": bool(trusted), "forwarded_allow_ips": trusted or None}


def serve(factory: str, settings: ServiceSettings) -> None:
    # log_config=None: uvicorn's own records go through the forum's logging (`logs.configure`).
    uvicorn.run(factory, factory=True, host=settings.host, port=settings.port, log_level="warning",
                log_config=None, **uvicorn_options(settings))
