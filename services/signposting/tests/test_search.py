"""Search by area and need: postcode districts, proximity, areas, needs, days, languages, access."""

from datetime import UTC, date, datetime, timedelta


async def _names(client, **params) -> list[str]:
    resp = await client.get("/services", params={"per_page": 100, **params})
    assert resp.status_code == 200, resp.text
    return [s["name"] for s in resp.json()["contents"]]


async def test_postcode_finds_the_services_covering_it_nearest_first(signposting, seed):
    await seed(signposting.staff)
    client = signposting.client
    # Wisbech is in Fenland: the Fenland cafe and the countywide line cover it, nothing else does.
    assert await _names(client, postcode="PE13") == ["Wisbech Wellbeing Cafe", "Countywide Listening Line"]
    # A full postcode counts by its district; the group based in March is nearest, then Wisbech.
    assert await _names(client, postcode="pe15 8aa") == [
        "March Carers Group",
        "Wisbech Wellbeing Cafe",
        "Countywide Listening Line",
    ]
    assert await _names(client, postcode="CB4") == ["Cambridge Hearing Voices Group", "Countywide Listening Line"]
    page = (await client.get("/services", params={"postcode": "PE13"})).json()
    assert page["contents"][0]["distance"] < 1000  # metres from the district's centre


async def test_proximity_keeps_only_services_within_that_many_metres_of_the_postcode(signposting, seed):
    await seed(signposting.staff)
    client = signposting.client
    assert await _names(client, postcode="PE1", proximity=5000) == ["Peterborough Anxiety Support"]
    # March has no coordinates of its own: its postcode district's centre stands in for them.
    assert await _names(client, postcode="PE1", proximity=30000) == [
        "Peterborough Anxiety Support",
        "March Carers Group",
        "Wisbech Wellbeing Cafe",
    ]
    within = (await client.get("/services", params={"postcode": "PE1", "proximity": 30000})).json()["contents"]
    assert all(s["distance"] <= 30000 for s in within)
    assert [s["distance"] for s in within] == sorted(s["distance"] for s in within)
    assert await _names(client, postcode="CB4", proximity=100) == []


async def test_area_names_match_districts_towns_and_the_postcode_districts_in_them(signposting, seed):
    await seed(signposting.staff)
    client = signposting.client
    assert set(await _names(client, area="Fenland")) == {
        "Wisbech Wellbeing Cafe",
        "March Carers Group",
        "Countywide Listening Line",
    }
    assert set(await _names(client, area="wisbech")) == {"Wisbech Wellbeing Cafe", "Countywide Listening Line"}
    assert set(await _names(client, area="Peterborough")) == {
        "Peterborough Anxiety Support",
        "Countywide Listening Line",
    }
    assert len(await _names(client, area="Cambridgeshire and Peterborough")) == 5


async def test_needs_days_languages_and_access_narrow_the_search(signposting, seed):
    ids = await seed(signposting.staff)
    client = signposting.client
    # A need includes the needs under it: anxiety is a kind of mental health need.
    assert set(await _names(client, taxonomy_term_id=ids["Mental health"])) == {
        "Wisbech Wellbeing Cafe",
        "Cambridge Hearing Voices Group",
        "Countywide Listening Line",
        "Peterborough Anxiety Support",
    }
    assert await _names(client, taxonomy_term_id=ids["Anxiety"]) == ["Peterborough Anxiety Support"]
    assert await _names(client, taxonomy_term_id=f"{ids['Carers']},{ids['Anxiety']}") == [
        "March Carers Group",
        "Peterborough Anxiety Support",
    ]
    assert await _names(client, taxonomy_id=ids["taxonomy"], postcode="PE13") == [
        "Wisbech Wellbeing Cafe",
        "Countywide Listening Line",
    ]
    assert await _names(client, postcode="PE13", taxonomy_term_id=ids["Loneliness"]) == [
        "Wisbech Wellbeing Cafe",
        "Countywide Listening Line",
    ]

    thursday = date(2026, 12, 3)
    assert thursday.weekday() == 3
    for day in ("TH", "thursday", "Thu", thursday.isoformat()):
        assert await _names(client, day=day) == ["Countywide Listening Line", "March Carers Group"]
    assert await _names(client, day="MO", start_time="09:00", end_time="12:00") == [
        "Countywide Listening Line",
        "Wisbech Wellbeing Cafe",
    ]
    assert await _names(client, day="MO", start_time="11:00") == []

    assert await _names(client, language="pl") == ["Wisbech Wellbeing Cafe"]
    assert await _names(client, language="Lithuanian") == ["Peterborough Anxiety Support"]
    assert await _names(client, accessibility="wheelchair") == ["Wisbech Wellbeing Cafe"]
    assert await _names(client, accessibility="lift") == ["Peterborough Anxiety Support"]
    assert await _names(client, organization_id=ids["carers_org"]) == [
        "March Carers Group",
        "Peterborough Anxiety Support",
    ]


async def test_words_rank_a_match_in_the_name_above_one_elsewhere(signposting, seed):
    await seed(signposting.staff)
    client = signposting.client
    # "carers" is in the March group's name, but only in the organisation's name for Peterborough.
    assert await _names(client, search="carers") == ["March Carers Group", "Peterborough Anxiety Support"]
    assert await _names(client, search="LONELINESS") == ["Countywide Listening Line", "Wisbech Wellbeing Cafe"]
    assert await _names(client, search="100%_") == []


async def test_modified_after_returns_only_services_changed_since(signposting, seed):
    await seed(signposting.staff)
    client = signposting.client
    before = (datetime.now(UTC) - timedelta(hours=1)).isoformat()
    after = (datetime.now(UTC) + timedelta(hours=1)).isoformat()
    assert len(await _names(client, modified_after=before)) == 5
    assert await _names(client, modified_after=after) == []
    assert len(await _names(client, modified_after=date.today().isoformat())) == 5
