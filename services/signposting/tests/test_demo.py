"""The demo loader fills an empty service through its own API, and the pages show what it made."""

import json
from datetime import date

from forum_shared.testing import read_stream, wait_for
from signposting import demo

from .pages_helpers import signed_in, visitor


async def test_the_demo_fills_the_directory_and_announces_its_community_groups(signposting, nats_server):
    made = await demo.load(signposting.admin, date.today())
    assert len(made["community_group_ids"]) == 5 and set(made["community_groups"]) >= {
        "cambridge_voices",
        "wisbech_peer_support",
    }

    async def registered():
        msgs = await read_stream(nats_server, "SIGNPOSTING", "forum.signposting.community_group_registered.v1")
        ids = {json.loads(m.data)["community_group_id"] for m in msgs}
        return set(made["community_group_ids"]) <= ids

    await wait_for(registered, what="CommunityGroupRegistered for every demo group")

    public = visitor(signposting)
    for where, name in (
        ("PE1", "Carers&#39; coffee morning"),
        ("CB4", "Tuesday evening group"),
        ("Huntingdon", "Saturday morning walk"),
        ("PE13", "Wednesday peer support"),
    ):
        assert name in (await public.get("/find-a-group", params={"where": where})).text, where
    voices = (await public.get("/find-a-group", params={"need": made["needs"]["Hearing voices"]})).text
    assert "Cambridge Hearing Voices Group" in voices and "Tuesdays, 6:30pm to 8pm" in voices

    staff = await signed_in(signposting, "staff")
    assert "Friday drop-in café" in (await staff.get("/staff/listings")).text  # due for checking
    assert "gambling" in (await staff.get("/staff/unmet-need")).text
    assert "Nothing fitted" in (await staff.get("/staff/signposting/records")).text
