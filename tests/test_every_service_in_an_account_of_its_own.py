"""An organisation's NATS account is its trust boundary. The services one organisation runs in one
account could source each other's events (NATS does not check a stream's sources within an
account); an organisation that wants its services kept apart gives each an account of its own in
topology.toml. The same services, with nothing changed but their settings, then run as before."""

import pytest
from nats.js.api import StreamConfig

from forum_shared.events import InvolvementRoleAssigned, MemberJoined, stream_for
from forum_shared.federation.local import LocalFederation
from forum_shared.federation.topology import Topology
from forum_shared.streams import SERVICES, api_prefix, inbound_stream, sources
from forum_shared.testing import nats_server_class, read_stream, wait_for

from .services import start

# Every service in an account of its own: MEMBERSHIP_ORG, MEETINGS_ORG, FEEDBACK_ORG, SIGNPOSTING_ORG.
EVERY_SERVICE_APART = Topology(organisations={f"{service.upper()}_ORG": (service,) for service in SERVICES})


@pytest.fixture
def apart_server(tmp_path, nats_keys):
    """A nats-server for this test, running that topology (with the session's keys)."""
    folder = tmp_path / "nats-apart"
    server = nats_server_class()(folder, federation=LocalFederation(folder, topology=EVERY_SERVICE_APART,
                                                                      keys_folder=nats_keys))
    server.start()
    yield server
    server.stop()


async def test_with_every_service_in_an_account_of_its_own_a_community_group_still_reaches_meetings(
    apart_server, database_url
):
    async with (
        await start("signposting", apart_server, database_url) as sp,
        await start("meetings", apart_server, database_url) as mt,
    ):
        # Only the settings differ: which account runs each service.
        assert mt.kit.settings.nats_accounts == EVERY_SERVICE_APART.accounts
        assert len(set(EVERY_SERVICE_APART.accounts.values())) == len(SERVICES) + 1  # and the governors'
        group = (await sp.staff.post("/community-groups", json={"name": "Ely Carers", "areas": ["Ely"]})).json()

        async def meetings_knows():
            return group["id"] in {g["id"] for g in (await mt.staff.get("/community-groups")).json()}

        await wait_for(meetings_knows, what="the group, from signposting's account to meetings'")
        # It came across accounts, through signposting's export: meetings' stream sources it there.
        admin = await apart_server.connect_admin(inbound_stream("meetings"))
        try:
            info = await admin.jetstream().stream_info(inbound_stream("meetings"))
        finally:
            await admin.close()
        assert info.config.sources and all(
            s.external is not None and s.external.api == api_prefix(s.name.lower()) for s in info.config.sources)


async def declare_meetings_inbound_with_an_extra_source(server, accounts) -> list:
    """Meetings declares its inbound stream sourcing, besides a membership event it consumes, one it
    does not (MemberJoined, which nobody consumes); membership then publishes one of each."""
    assert "meetings" not in MemberJoined.consumed_by and "meetings" in InvolvementRoleAssigned.consumed_by
    for owner in ("membership", "meetings"):
        nc = await server.connect(f"service-{owner}")
        await nc.jetstream().add_stream(name=stream_for(owner), subjects=[f"forum.{owner}.>"])
        await nc.close()
    meetings = await server.connect("service-meetings")
    js = meetings.jetstream()
    try:
        await js.add_stream(StreamConfig(name=inbound_stream("meetings"), sources=sources(
            "meetings", [MemberJoined, InvolvementRoleAssigned], accounts)))
        membership = await server.connect("service-membership")
        await membership.jetstream().publish(MemberJoined.subject(), b"{}")
        await membership.jetstream().publish(InvolvementRoleAssigned.subject(), b"{}")
        await membership.close()

        async def consumed_one_arrived():
            subjects = [m.subject for m in await read_stream(server, inbound_stream("meetings"))]
            return InvolvementRoleAssigned.subject() in subjects and subjects

        await wait_for(consumed_one_arrived, what="the event meetings consumes, sourced")
        info = await js.stream_info(inbound_stream("meetings"))
        return info.sources
    finally:
        await meetings.close()


async def test_with_every_service_in_an_account_of_its_own_meetings_cannot_source_membership_events_it_does_not_consume(
    apart_server,
):
    found = await declare_meetings_inbound_with_an_extra_source(apart_server, EVERY_SERVICE_APART.accounts)
    # Membership's account exports to meetings' only what meetings consumes: the source of the other
    # never reached membership's stream (never active), while the consumed one's did.
    assert sorted(source.active == -1 for source in found) == [False, True], found
    subjects = [m.subject for m in await read_stream(apart_server, inbound_stream("meetings"))]
    assert subjects == [InvolvementRoleAssigned.subject()]


async def test_within_one_organisations_account_its_services_could_source_each_others_events(nats_server):
    """In the default topology the trust runs membership and meetings in one account: there, nothing
    but the trust's own configuration keeps meetings from membership's other events."""
    accounts = nats_server.federation.topology.accounts
    assert accounts["meetings"] == accounts["membership"]
    await declare_meetings_inbound_with_an_extra_source(nats_server, accounts)

    async def both():
        subjects = {m.subject for m in await read_stream(nats_server, inbound_stream("meetings"))}
        return subjects == {MemberJoined.subject(), InvolvementRoleAssigned.subject()}

    await wait_for(both, what="membership's MemberJoined sourced by meetings within the trust's account")
