"""The streams keep events as the README's "Kept long enough" says: seven years in every service's
streams by default (`<SERVICE>_STREAM_MAX_AGE_DAYS`), on disk, small events only, a two-hour
duplicate window, oldest dropped first; the governors' ESCALATIONS stream for 400 days."""

import importlib
import os

from nats.js.api import DiscardPolicy, StorageType

from forum_shared import governors
from forum_shared.events import stream_for
from forum_shared.messaging import Messaging
from forum_shared.streams import ESCALATIONS_STREAM, SERVICES, inbound_stream, own_stream_config

DAY = 24 * 60 * 60
SEVEN_YEARS = 7 * 365 * DAY


def default_settings(service: str, monkeypatch):
    """A service's Settings as a partner gets them with nothing set about its streams."""
    prefix = f"{service.upper()}_STREAM_"
    for variable in [v for v in os.environ if v.startswith(prefix)]:
        monkeypatch.delenv(variable)
    return importlib.import_module(f"{service}.config").Settings()


def assert_kept_as_documented(config, max_age: float = SEVEN_YEARS) -> None:
    assert config.storage == StorageType.FILE, config.name
    assert config.max_age == max_age, config.name
    assert config.max_msg_size == 64 * 1024, config.name
    assert config.duplicate_window == 2 * 60 * 60, config.name
    assert config.discard == DiscardPolicy.OLD, config.name
    assert config.max_bytes == -1, config.name  # limited by age only, unless a partner must bound its disk


def test_every_services_streams_keep_events_seven_years_by_default(monkeypatch):
    for service in SERVICES:
        settings = default_settings(service, monkeypatch)
        assert settings.stream_max_age_days == 7 * 365
        own = own_stream_config(service, settings)
        assert (own.name, own.subjects) == (stream_for(service), [f"forum.{service}.>"])
        assert_kept_as_documented(own)
        # Its inbound stream, which a rebuilt database reads again, keeps them as long.
        consumers = importlib.import_module(f"{service}.consumers").consumers
        inbound = Messaging(service, settings, db=None, consumers=consumers).inbound_stream_config()
        assert inbound.name == inbound_stream(service)
        assert_kept_as_documented(inbound)


def test_a_partner_sets_how_long_its_streams_keep_events_with_its_own_setting(monkeypatch):
    for service in SERVICES:
        monkeypatch.setenv(f"{service.upper()}_STREAM_MAX_AGE_DAYS", "3650")
        settings = importlib.import_module(f"{service}.config").Settings()
        assert own_stream_config(service, settings).max_age == 3650 * DAY


async def test_the_server_keeps_each_stream_as_declared_and_escalations_for_400_days(nats_server, monkeypatch):
    for service in SERVICES:
        nc = await nats_server.connect(f"service-{service}")
        try:
            js = nc.jetstream()
            await js.add_stream(own_stream_config(service, default_settings(service, monkeypatch)))
            assert_kept_as_documented((await js.stream_info(stream_for(service))).config)
        finally:
            await nc.close()
    nc = await nats_server.connect("admin-GOVERNORS")
    try:
        js = nc.jetstream()
        await governors.ensure_escalations(js, nats_server.federation.topology.accounts)
        config = (await js.stream_info(ESCALATIONS_STREAM)).config
    finally:
        await nc.close()
    # Longer than any governor is away; older escalations are on the feedback service's pages.
    assert governors.ESCALATIONS_KEPT_DAYS == 400
    assert config.max_age == 400 * DAY
    assert config.storage == StorageType.FILE
