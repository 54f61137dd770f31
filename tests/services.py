"""The four services, for cross-service tests."""

import importlib

from forum_shared.streams import consumed_events
from forum_shared.testing import ensure_stream, run_service, settings_for

NAMES = ("membership", "meetings", "feedback", "signposting")


async def start(name: str, nats_server, databases, **settings_values):
    """`async with await start("feedback", ...) as svc:` runs one service on a fresh database."""
    app_module = importlib.import_module(f"{name}.app")
    settings_class = importlib.import_module(f"{name}.config").Settings
    # The streams it consumes from exist first, as in a running forum (JetStream retries a source
    # whose stream is missing only every ten seconds or so).
    for owner in {e.owner for e in consumed_events(name)}:
        await ensure_stream(nats_server, owner)
    values = {**nats_server.settings(name), **settings_values}
    if "database_url" not in values:
        values["database_url"] = await databases(name)
    settings = settings_for(settings_class, **values)
    return run_service(app_module.create_app, settings)
