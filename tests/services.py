"""The four services, for cross-service tests."""

import importlib

from forum_shared.testing import run_service, settings_for

NAMES = ("membership", "meetings", "feedback", "signposting")


async def start(name: str, nats_server, database_url, **settings_values):
    """`async with await start("feedback", ...) as svc:` runs one service on a fresh database."""
    app_module = importlib.import_module(f"{name}.app")
    settings_class = importlib.import_module(f"{name}.config").Settings
    settings = settings_for(
        settings_class, database_url=await database_url(name), nats_url=nats_server.url, **settings_values
    )
    return run_service(app_module.create_app, settings)
